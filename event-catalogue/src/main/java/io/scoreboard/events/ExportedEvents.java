package io.scoreboard.events;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An event as a board's own export carries it (issue 17, {@code GET …/events.ndjson}): the published envelope,
 * exactly as the topic holds it, less every payload member that holds a token's hash ({@code adminTokenHash},
 * {@code tokenHash} …: a member whose name ends in {@code Hash}), on one line. The hashes stay where they are needed
 * (the event store, the topic, the read model's access table), never in a user's copy. Written in one pass (a
 * rebuild writes one line per event), by the events' own mapper with those members left out.
 */
public final class ExportedEvents {

    private static final ObjectMapper WITHOUT_HASHES = EventJson.mapper().copy().registerModule(new SimpleModule()
            .setSerializerModifier(new BeanSerializerModifier() {
                @Override
                public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription bean,
                                                                 List<BeanPropertyWriter> properties) {
                    properties.removeIf(p -> p.getName().endsWith("Hash"));
                    return properties;
                }
            }));

    private ExportedEvents() {}

    /** One NDJSON line, without its line break. */
    public static String line(EventEnvelope envelope) {
        return new String(EventJson.writeEnvelope(envelope, WITHOUT_HASHES), StandardCharsets.UTF_8);
    }
}

package io.scoreboard.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An event as a board's own export carries it (issue 17, {@code GET …/events.ndjson}): the published envelope,
 * exactly as the topic holds it, less every payload member that holds a token's hash ({@code adminTokenHash},
 * {@code tokenHash} …: a member whose name ends in {@code Hash}), on one line. The hashes stay where they are needed
 * (the event store, the topic, the read model's access table), never in a user's copy.
 */
public final class ExportedEvents {

    private ExportedEvents() {}

    /** One NDJSON line, without its line break. */
    public static String line(EventEnvelope envelope) {
        try {
            JsonNode tree = EventJson.mapper().readTree(EventJson.writeEnvelope(envelope));
            JsonNode payload = tree.get("payload");
            if (payload instanceof ObjectNode members) {
                List<String> hashes = new ArrayList<>();
                members.fieldNames().forEachRemaining(name -> {
                    if (name.endsWith("Hash")) {
                        hashes.add(name);
                    }
                });
                members.remove(hashes);
            }
            return EventJson.mapper().writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the export line of event " + envelope.eventId(), e);
        }
    }
}

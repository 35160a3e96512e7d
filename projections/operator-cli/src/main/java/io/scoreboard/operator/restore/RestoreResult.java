package io.scoreboard.operator.restore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a restore did.
 *
 * @param environment  the environment of the restored store
 * @param database     its database name
 * @param topic        the topic it came from
 * @param records      topic records read, duplicates included
 * @param events       distinct events restored
 * @param boards       boards they belong to
 * @param lastPosition highest restored position; new events get higher ones
 * @param duration     from the first record read to the commit
 */
public record RestoreResult(String environment, String database, String topic, long records, long events,
                            long boards, long lastPosition, Duration duration) {

    /** Things the topic does not carry, so no restore can bring them back. */
    static final String NOT_RESTORED = "Idempotency-Key records (idempotency_keys) are not in Kafka and were not "
            + "restored: a client retrying a write from before the loss with its old key gets it applied again. "
            + "Event metadata (Axon's traceId/correlationId) is not in Kafka either: restored events have none.";

    public long duplicates() {
        return records - events;
    }

    public double eventsPerSecond() {
        return events / Math.max(1e-3, duration.toNanos() / 1e9);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", "restore-event-store");
        json.put("from", "kafka");
        json.put("environment", environment);
        json.put("database", database);
        json.put("topic", topic);
        json.put("recordsRead", records);
        json.put("duplicatesSkipped", duplicates());
        json.put("eventsRestored", events);
        json.put("boards", boards);
        json.put("lastPosition", lastPosition);
        json.put("durationMillis", duration.toMillis());
        json.put("eventsPerSecond", Math.round(eventsPerSecond()));
        json.put("notRestored", java.util.List.of("idempotency_keys", "event metadata"));
        return json;
    }
}

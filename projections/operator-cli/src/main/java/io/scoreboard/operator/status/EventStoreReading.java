package io.scoreboard.operator.status;

import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.source.StoredEvents;
import java.sql.Connection;
import java.time.Instant;

/** The event store in one snapshot: counts, head, and how much of it Kafka has acknowledged. */
record EventStoreReading(String database, StoredEvents.Summary summary, Part<ReplicationReading> replication) {

    static EventStoreReading read(Target target, Instant now) throws Exception {
        try (Connection c = target.openEvents()) {
            StoredEvents.beginSnapshot(c);
            StoredEvents.Summary summary = StoredEvents.summary(c);
            Part<ReplicationReading> replication = Part.read(() -> ReplicationReading.read(c, now));
            return new EventStoreReading(Target.databaseName(target.eventsUrl()), summary, replication);
        }
    }
}

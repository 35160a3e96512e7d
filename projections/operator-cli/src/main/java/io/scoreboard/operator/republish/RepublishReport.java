package io.scoreboard.operator.republish;

import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.source.StoredEvents;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What a republish did, for people (a few lines) and for scripts (one JSON document with --json). */
record RepublishReport(Target target, String database, boolean topicCreated, StoredEvents.Summary snapshot,
                       Sent sent, boolean replicatorPaused, int resumes) {

    /** Events Kafka acknowledged, and how long sending them took. */
    record Sent(long acknowledged, Duration elapsed) {
        double rate() {
            return acknowledged / Math.max(1e-3, elapsed.toNanos() / 1e9);
        }
    }

    void print(Console console) {
        console.say(String.format(Locale.ROOT, "Republished %,d events of %,d boards to '%s' (positions up to %,d) "
                        + "in %.1f s, %,.0f events/s.", sent.acknowledged(), snapshot.boards(), target.topic(),
                snapshot.lastPosition(), sent.elapsed().toMillis() / 1000.0, sent.rate()));
        if (resumes > 0) {
            console.say("It went on " + resumes + " time(s) after PostgreSQL or Kafka was unreachable; events sent "
                    + "again after an outage follow their first copies, and every consumer skips them.");
        }
        if (replicatorPaused) {
            console.say("Released the replicator: it resumes from its own position within a few seconds; events it "
                    + "sends again are skipped by every consumer.");
        }
        console.result(json());
    }

    Map<String, Object> json() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("command", "republish");
        result.put("environment", target.environment());
        result.put("eventStore", database);
        result.put("kafka", target.kafka());
        result.put("topic", target.topic());
        result.put("topicCreated", topicCreated);
        result.put("eventsSent", sent.acknowledged());
        result.put("boards", snapshot.boards());
        result.put("lastPosition", snapshot.lastPosition());
        result.put("durationMs", sent.elapsed().toMillis());
        result.put("eventsPerSecond", Math.round(sent.rate()));
        result.put("replicatorPaused", replicatorPaused);
        result.put("resumes", resumes);
        return result;
    }
}

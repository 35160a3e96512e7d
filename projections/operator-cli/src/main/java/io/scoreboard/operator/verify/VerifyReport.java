package io.scoreboard.operator.verify;

import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.source.StoredEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What verify compared and found: a summary and the first differences for people, everything counted in JSON. */
final class VerifyReport {

    private final Target target;
    private final Differences differences;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();

    Differences differences() {
        return differences;
    }

    VerifyReport(Target target, Differences differences) {
        this.target = target;
        this.differences = differences;
        json.put("environment", target.environment());
    }

    void store(StoredEvents.Summary s) {
        json.put("eventStore", Map.of("database", Target.databaseName(target.eventsUrl()), "events", s.events(),
                "boards", s.boards(), "lastPosition", s.lastPosition()));
        lines.add(row("event store snapshot", n(s.events()) + " events   " + n(s.boards()) + " boards   position "
                + n(s.lastPosition()) + "   (" + Target.databaseName(target.eventsUrl()) + ")"));
    }

    void topic(Map<Integer, Long> cut, Map<Integer, Long> reached, TopicComparison c) {
        Map<String, Object> topic = new LinkedHashMap<>();
        topic.put("name", target.topic());
        topic.put("cutOffsets", byName(cut));
        topic.put("readToOffsets", byName(reached));
        topic.put("records", c.records());
        topic.put("duplicates", c.duplicates());
        topic.put("newerEvents", c.newerEvents());
        json.put("topic", topic);
        lines.add(row("topic " + target.topic(), n(c.records()) + " records read   " + n(c.duplicates())
                + " duplicate copies   cut at " + offsets(cut)));
        if (!reached.equals(cut)) {
            lines.add(row("  read on for replication", "to " + offsets(reached) + "   " + n(c.newerEvents())
                    + " events newer than the snapshot"));
        }
    }

    void readModel(ReadModelCheck check) {
        json.put("readModel", Map.of("database", Target.databaseName(target.readUrl()),
                "checkpoints", byName(check.checkpoints()), "boards", check.readModelBoards(),
                "eventsRecomputed", check.foldedEvents()));
        lines.add(row("read model", n(check.readModelBoards()) + " boards   " + n(check.foldedEvents())
                + " events recomputed   checkpoints " + (check.checkpoints().isEmpty() ? "(none)"
                : offsets(check.checkpoints())) + "   (" + Target.databaseName(target.readUrl()) + ")"));
    }

    void print(Console console) {
        Map<String, Object> counts = new LinkedHashMap<>();
        differences.counts().forEach((kind, count) -> counts.put(kind.id(), count));
        json.put("result", differences.total() == 0 ? "agree" : "differ");
        json.put("differenceCount", differences.total());
        json.put("differenceCounts", counts);
        json.put("differences", differences.first().stream().map(Difference::json).toList());
        if (console.json()) {
            console.result(json);
            return;
        }
        console.say("Verify, environment " + target.environment() + " (" + target.origin() + ")");
        lines.forEach(console::say);
        differences.counts().forEach((kind, count) -> console.say(row(kind.label(), n(count))));
        if (differences.total() == 0) {
            console.say("RESULT: OK, everything compared agrees.");
            return;
        }
        console.say("Differences (first " + differences.first().size() + " of " + n(differences.total()) + "):");
        differences.first().forEach(d -> console.say("  " + d.describe()));
        console.say("RESULT: " + n(differences.total()) + " DIFFERENCES.");
        differences.counts().forEach((kind, count) -> {
            if (count > 0) {
                console.say("fix (" + kind.label() + "): " + kind.fix());
            }
        });
    }

    private static Map<String, Long> byName(Map<Integer, Long> offsets) {
        Map<String, Long> m = new TreeMap<>();
        offsets.forEach((p, o) -> m.put(p.toString(), o));
        return m;
    }

    static String offsets(Map<Integer, Long> offsets) {
        StringBuilder s = new StringBuilder();
        offsets.forEach((p, o) -> s.append(s.isEmpty() ? "" : " ").append(p).append(':').append(o));
        return s.toString();
    }

    static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String row(String label, String value) {
        return String.format(Locale.ROOT, "  %-38s %s", label, value);
    }
}

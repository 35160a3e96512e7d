package io.scoreboard.operator.status;

import io.scoreboard.operator.cli.Target;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.startup.ReplicatorToken;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The status as a compact table for people and as one JSON document for scripts. */
final class StatusReport {

    private final Target target;
    private final Part<EventStoreReading> store;
    private final Part<TopicReading> topic;
    private final Part<List<ProjectionReading>> projections;

    StatusReport(Target target, Part<EventStoreReading> store, Part<TopicReading> topic,
                 Part<List<ProjectionReading>> projections) {
        this.target = target;
        this.store = store;
        this.projections = projections;
        this.topic = topic;
    }

    List<String> lines() {
        List<String[]> rows = new ArrayList<>();
        String eventsDb = Target.databaseName(target.eventsUrl());
        if (store instanceof Part.Known<EventStoreReading> known) {
            EventStoreReading s = known.value();
            rows.add(row("event store", eventsDb, "position " + n(s.summary().lastPosition()) + "   events "
                    + n(s.summary().events()) + "   boards " + n(s.summary().boards())));
            rows.add(row("replication", ReplicatorToken.PROCESSOR, describe(s.replication())));
        } else {
            rows.add(row("event store", eventsDb, unknown(store)));
        }
        rows.add(row("topic", target.topic(), describeTopic()));
        String readDb = Target.databaseName(target.readUrl());
        if (projections instanceof Part.Known<List<ProjectionReading>> known) {
            if (known.value().isEmpty()) {
                rows.add(row("projection", readDb, "no checkpoints: nothing projected yet (empty read model)"));
            }
            for (ProjectionReading p : known.value()) {
                rows.add(row("projection", p.name(), describe(p)));
            }
        } else {
            rows.add(row("read model", readDb, unknown(projections)));
        }
        List<String> lines = new ArrayList<>();
        lines.add("Scoreboard status, environment " + target.environment() + " (" + target.origin() + ")");
        lines.addAll(table(rows));
        for (Part<?> part : List.of(store, topic, projections)) {
            if (part instanceof Part.Unknown<?> u && u.fix() != null && !lines.contains("fix: " + u.fix())) {
                lines.add("fix: " + u.fix());
            }
        }
        return lines;
    }

    Map<String, Object> json() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("environment", target.environment());
        result.put("eventStore", json(store, s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("database", s.database());
            m.put("lastPosition", s.summary().lastPosition());
            m.put("events", s.summary().events());
            m.put("boards", s.summary().boards());
            m.put("replication", json(s.replication(), r -> Map.of("processor", ReplicatorToken.PROCESSOR,
                    "replicatedPosition", r.replicatedPosition(), "gaps", r.gaps(), "lagEvents", r.lagEvents(),
                    "lagMillis", r.lagMillis())));
            return m;
        }));
        result.put("topic", json(topic, t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("exists", t.exists());
            Map<String, Object> partitions = new TreeMap<>();
            t.endOffsets().forEach((p, end) -> partitions.put(p.toString(),
                    Map.of("beginOffset", t.beginOffsets().getOrDefault(p, 0L), "endOffset", end)));
            m.put("partitions", partitions);
            m.put("records", t.records());
            return m;
        }));
        result.put("projections", json(projections, list -> list.stream().map(this::json).toList()));
        return result;
    }

    private Map<String, Object> json(ProjectionReading p) {
        Map<Integer, Long> ends = endOffsets();
        Map<Integer, Long> lag = ends == null ? Map.of() : p.lag(ends);
        Map<String, Object> partitions = new TreeMap<>();
        p.checkpoints().forEach((partition, c) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("nextOffset", c.nextOffset());
            m.put("maxPosition", c.maxPosition());
            m.put("lag", lag.get(partition));
            partitions.put(partition.toString(), m);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("appliedPosition", p.appliedPosition());
        m.put("partitions", partitions);
        m.put("lag", ends == null ? null : lag.values().stream().mapToLong(Long::longValue).sum());
        return m;
    }

    private static <T> Map<String, Object> json(Part<T> part, java.util.function.Function<T, Object> known) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (part instanceof Part.Known<T> k) {
            m.put("state", "ok");
            Object value = known.apply(k.value());
            if (value instanceof Map<?, ?> fields) {
                fields.forEach((key, v) -> m.put(key.toString(), v));
            } else {
                m.put("value", value);
            }
        } else if (part instanceof Part.Unknown<T> u) {
            m.put("state", u.state());
            m.put("problem", u.problem());
            m.put("fix", u.fix());
        }
        return m;
    }

    /** The topic's end offsets by partition, null when unknown or missing (then no lag can be computed). */
    private Map<Integer, Long> endOffsets() {
        return topic instanceof Part.Known<TopicReading> t && t.value().exists() ? t.value().endOffsets() : null;
    }

    private String describeTopic() {
        if (!(topic instanceof Part.Known<TopicReading> known)) {
            return unknown(topic);
        }
        TopicReading t = known.value();
        if (!t.exists()) {
            return "MISSING: the topic does not exist on " + target.kafka() + " (refill it: ./scoreboard republish)";
        }
        return t.endOffsets().size() + " partitions   records " + n(t.records()) + "   end offsets "
                + offsets(t.endOffsets());
    }

    private String describe(ProjectionReading p) {
        String offsets = "next offsets " + offsets(p.checkpoints().entrySet().stream().collect(
                TreeMap::new, (m, e) -> m.put(e.getKey(), e.getValue().nextOffset()), Map::putAll));
        String position = "position " + n(p.appliedPosition());
        Map<Integer, Long> ends = endOffsets();
        if (ends == null) {
            return position + "   lag unknown (no topic)   " + offsets;
        }
        Map<Integer, Long> lag = p.lag(ends);
        long total = lag.values().stream().mapToLong(Long::longValue).sum();
        String lagText = lag.values().stream().anyMatch(l -> l < 0)
                ? "CHECKPOINT PAST THE TOPIC'S END (topic recreated? rebuild the read model)"
                : "lag " + n(total) + " records";
        return position + "   " + lagText + "   " + offsets;
    }

    private static String describe(Part<ReplicationReading> replication) {
        if (!(replication instanceof Part.Known<ReplicationReading> known)) {
            return unknown(replication);
        }
        ReplicationReading r = known.value();
        String replicated = r.replicatedPosition() < 0 ? "not started" : "replicated to " + n(r.replicatedPosition());
        String lag = r.lagEvents() == 0 ? "lag 0"
                : "lag " + n(r.lagEvents()) + " events, oldest " + age(r.lagMillis());
        return replicated + "   " + lag + (r.gaps().isEmpty() ? "" : "   gaps " + r.gaps().size());
    }

    private static String age(long millis) {
        long seconds = millis / 1000;
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d:%02d min", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%,d h %02d min", seconds / 3600, seconds / 60 % 60);
    }

    private static String unknown(Part<?> part) {
        Part.Unknown<?> u = (Part.Unknown<?>) part;
        return u.state().toUpperCase(Locale.ROOT) + ": " + u.problem();
    }

    private static String offsets(Map<Integer, Long> offsets) {
        StringBuilder s = new StringBuilder();
        offsets.forEach((p, o) -> s.append(s.isEmpty() ? "" : " ").append(p).append(':').append(o));
        return s.toString();
    }

    private static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String[] row(String what, String name, String detail) {
        return new String[] {what, name, detail};
    }

    private static List<String> table(List<String[]> rows) {
        int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        return rows.stream().map(r -> String.format(Locale.ROOT, "  %-" + w0 + "s  %-" + w1 + "s  %s", r[0], r[1], r[2]))
                .toList();
    }
}

package io.scoreboard.operator.verify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Every difference counted by kind; the first {@code limit} kept with their details. */
final class Differences {

    private final int limit;
    private final Map<Difference.Kind, Long> counts = new EnumMap<>(Difference.Kind.class);
    private final List<Difference> first = new ArrayList<>();

    Differences(int limit) {
        this.limit = limit;
        for (Difference.Kind kind : Difference.Kind.values()) {
            counts.put(kind, 0L);
        }
    }

    void add(Difference d) {
        counts.merge(d.kind(), 1L, Long::sum);
        if (first.size() < limit) {
            first.add(d);
        }
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    long count(Difference.Kind kind) {
        return counts.get(kind);
    }

    Map<Difference.Kind, Long> counts() {
        return counts;
    }

    List<Difference> first() {
        return first;
    }

    /** Replaces kept differences of {@code kind} (adds detail that needed another read). */
    void refine(Difference.Kind kind, UnaryOperator<Difference> refine) {
        first.replaceAll(d -> d.kind() == kind ? refine.apply(d) : d);
    }
}

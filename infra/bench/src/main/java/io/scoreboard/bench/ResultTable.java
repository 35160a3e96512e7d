package io.scoreboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark scenario's table: each figure beside the reference measured on the same machine a
 * moment before, their ratio, and the target. Printed for people; written as JSON under
 * bench-results/ for comparing runs (ratios, not absolute times, are what compare across runs).
 */
final class ResultTable {

    /** Which side of its target a figure must be on; NONE for figures reported without one. */
    enum Goal { AT_LEAST, AT_MOST, NONE }

    /**
     * @param referenceValue NaN when the figure has no same-run reference
     * @param minRatio       a second target on the ratio to the reference (NaN: none)
     */
    record Row(String figure, double value, String unit, String reference, double referenceValue, double target,
               Goal goal, double minRatio) {

        /** A figure that must reach {@code target} (a rate). */
        Row(String figure, double value, String unit, String reference, double referenceValue, double target) {
            this(figure, value, unit, reference, referenceValue, target, Goal.AT_LEAST, Double.NaN);
        }

        /** A figure that must stay at or below {@code target} (a latency, a duration, a count of losses). */
        static Row atMost(String figure, double value, String unit, String reference, double referenceValue,
                          double target) {
            return new Row(figure, value, unit, reference, referenceValue, target, Goal.AT_MOST, Double.NaN);
        }

        double ratio() {
            return referenceValue == 0 || Double.isNaN(referenceValue) ? Double.NaN : value / referenceValue;
        }

        boolean meetsTarget() {
            boolean value = switch (goal) {
                case AT_LEAST -> this.value >= target;
                case AT_MOST -> this.value <= target;
                case NONE -> true;
            };
            return value && (Double.isNaN(minRatio) || ratio() >= minRatio);
        }

        String targetText() {
            if (goal == Goal.NONE) {
                return "—";
            }
            String ratioText = Double.isNaN(minRatio) ? "" : String.format(Locale.ROOT, "ratio ≥ %.2f", minRatio);
            // a target on the ratio alone is stated as a floor of 0 on the value
            String text = goal == Goal.AT_LEAST && target == 0 && !ratioText.isEmpty() ? ratioText
                    : (goal == Goal.AT_LEAST ? "≥ " : "≤ ") + number(target) + " " + unit
                    + (ratioText.isEmpty() ? "" : ", " + ratioText);
            return text + ": " + (meetsTarget() ? "met" : "MISSED");
        }
    }

    private final String title;
    private final Map<String, Object> context;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    ResultTable(String title, Map<String, Object> context) {
        this.title = title;
        this.context = context;
    }

    String title() {
        return title;
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /** After a run of several scenarios: every figure that has a target, in one table, and the run's time. */
    static void printSummary(List<ResultTable> tables, java.time.Duration took) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Summary: %d tables in %d min %02d s%n", tables.size(), took.toMinutes(),
                took.toSecondsPart());
        String format = "%-64s %-36s %18s  %6s  %s%n";
        System.out.printf(Locale.ROOT, format, "table", "figure", "value", "ratio", "target");
        for (ResultTable table : tables) {
            for (Row r : table.rows) {
                if (r.goal() != Goal.NONE) {
                    System.out.printf(Locale.ROOT, format, table.title, r.figure(), number(r.value()) + " " + r.unit(),
                            Double.isNaN(r.ratio()) ? "—" : String.format(Locale.ROOT, "%.2f", r.ratio()),
                            r.targetText());
                }
            }
        }
        System.out.println();
    }

    void add(Row row) {
        rows.add(row);
    }

    /** A line printed under the table (e.g. a breakdown); the JSON carries the same figures in the context. */
    void note(String line) {
        notes.add(line);
    }

    /** Raw figures for the JSON only (e.g. every phase's percentiles), too long to print as context. */
    void detail(String key, Object value) {
        details.put(key, value);
    }

    void print() {
        System.out.println();
        System.out.println(title);
        context.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        System.out.println();
        String format = "%-36s %18s  %-34s %14s  %6s  %s%n";
        System.out.printf(Locale.ROOT, format, "figure", "value", "same-run reference", "reference", "ratio", "target");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, format, r.figure(), number(r.value()) + " " + r.unit(),
                    r.reference(), Double.isNaN(r.referenceValue()) ? "—" : number(r.referenceValue()),
                    Double.isNaN(r.ratio()) ? "—" : String.format(Locale.ROOT, "%.2f", r.ratio()), r.targetText());
        }
        System.out.println();
        notes.forEach(System.out::println);
        if (!notes.isEmpty()) {
            System.out.println();
        }
    }

    Path writeJson(Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", title);
        doc.put("date", Instant.now().toString());
        doc.put("context", context);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("figure", r.figure());
            m.put("value", r.value());
            m.put("unit", r.unit());
            m.put("reference", r.reference());
            m.put("referenceValue", orNull(r.referenceValue()));
            m.put("ratio", orNull(r.ratio()));
            m.put("target", r.goal() == Goal.NONE ? null : r.target());
            m.put("goal", r.goal().name());
            m.put("minRatio", orNull(r.minRatio()));
            m.put("met", r.meetsTarget());
            out.add(m);
        }
        doc.put("rows", out);
        if (!details.isEmpty()) {
            doc.put("details", details);
        }
        Path file = directory.resolve(name + "-" + Instant.now().toString().replace(':', '-') + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
        return file;
    }

    /** Small figures (latencies in ms) keep a decimal; large ones (rates) are grouped whole numbers. */
    static String number(double value) {
        return Math.abs(value) < 100 ? String.format(Locale.ROOT, "%,.1f", value) : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}

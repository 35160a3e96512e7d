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

    /** @param atMost the target is a ceiling (a latency), not a floor (a rate) */
    record Row(String figure, double value, String unit, String reference, double referenceValue, double target,
               boolean atMost) {

        /** A figure whose target is a floor: at least {@code target}. */
        Row(String figure, double value, String unit, String reference, double referenceValue, double target) {
            this(figure, value, unit, reference, referenceValue, target, false);
        }

        /** A figure whose target is a ceiling, e.g. a p99 latency. */
        static Row atMost(String figure, double value, String unit, String reference, double referenceValue,
                          double target) {
            return new Row(figure, value, unit, reference, referenceValue, target, true);
        }

        double ratio() {
            return referenceValue == 0 ? 0 : value / referenceValue;
        }

        boolean meetsTarget() {
            return atMost ? value <= target : value >= target;
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
        String format = "%-32s %16s  %-34s %12s  %6s  %s%n";
        System.out.printf(Locale.ROOT, format, "figure", "value", "same-run reference", "reference", "ratio", "target");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, format, r.figure(), number(r.value()) + " " + r.unit(),
                    r.reference(), number(r.referenceValue()),
                    String.format(Locale.ROOT, "%.2f", r.ratio()),
                    String.format(Locale.ROOT, "%s %s %s: %s", r.atMost() ? "≤" : "≥", number(r.target()), r.unit(),
                            r.meetsTarget() ? "met" : "MISSED"));
        }
        System.out.println();
        notes.forEach(System.out::println);
        if (!notes.isEmpty()) {
            System.out.println();
        }
    }

    /** Whole numbers for rates; two decimals for small figures such as latencies in milliseconds. */
    private static String number(double value) {
        return String.format(Locale.ROOT, Math.abs(value) < 100 ? "%,.2f" : "%,.0f", value);
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
            m.put("referenceValue", r.referenceValue());
            m.put("ratio", r.ratio());
            m.put("target", r.target());
            m.put("targetIs", r.atMost() ? "at most" : "at least");
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
}

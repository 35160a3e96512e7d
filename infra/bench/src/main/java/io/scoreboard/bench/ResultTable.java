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

    record Row(String figure, double value, String unit, String reference, double referenceValue, double target) {
        double ratio() {
            return referenceValue == 0 ? 0 : value / referenceValue;
        }

        boolean meetsTarget() {
            return value >= target;
        }
    }

    private final String title;
    private final Map<String, Object> context;
    private final List<Row> rows = new ArrayList<>();

    ResultTable(String title, Map<String, Object> context) {
        this.title = title;
        this.context = context;
    }

    void add(Row row) {
        rows.add(row);
    }

    void print() {
        System.out.println();
        System.out.println(title);
        context.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        System.out.println();
        String format = "%-32s %14s  %-30s %14s  %6s  %s%n";
        System.out.printf(Locale.ROOT, format, "figure", "value", "same-run reference", "reference", "ratio", "target");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, format, r.figure(), String.format(Locale.ROOT, "%,.0f %s", r.value(), r.unit()),
                    r.reference(), String.format(Locale.ROOT, "%,.0f", r.referenceValue()),
                    String.format(Locale.ROOT, "%.2f", r.ratio()),
                    String.format(Locale.ROOT, "≥ %,.0f %s: %s", r.target(), r.unit(), r.meetsTarget() ? "met" : "MISSED"));
        }
        System.out.println();
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
            m.put("met", r.meetsTarget());
            out.add(m);
        }
        doc.put("rows", out);
        Path file = directory.resolve(name + "-" + Instant.now().toString().replace(':', '-') + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
        return file;
    }
}

package io.scoreboard.deployment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series the services export for their own meters: every meter builder in their main sources
 * (name, type, base unit), registered in Micrometer's Prometheus registry (the one the services use), scraped.
 */
final class MeterNames {

    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Gauge|Counter|FunctionCounter|Timer|DistributionSummary)\\.builder\\(\\s*\"([a-z0-9.]+)\"([^;]*?)\\.register\\(",
            Pattern.DOTALL);
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([a-z]+)\"\\s*\\)");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)", Pattern.MULTILINE);

    private MeterNames() {}

    static Set<String> exportedSeries(Path... sourceRoots) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        int meters = 0;
        for (Path root : sourceRoots) {
            for (String source : javaSources(root)) {
                Matcher m = BUILDER.matcher(source);
                while (m.find()) {
                    Matcher unit = BASE_UNIT.matcher(m.group(3));
                    String baseUnit = unit.find() ? unit.group(1) : null;
                    register(registry, m.group(1), m.group(2), baseUnit);
                    meters++;
                }
            }
        }
        if (meters == 0) {
            throw new IllegalStateException("no meter builder found under the service sources: has the code moved?");
        }
        Set<String> series = new TreeSet<>();
        Matcher line = SERIES.matcher(registry.scrape());
        while (line.find()) {
            series.add(line.group(1));
        }
        return series;
    }

    private static void register(PrometheusMeterRegistry registry, String type, String name, String baseUnit) {
        switch (type) {
            case "Gauge" -> Gauge.builder(name, () -> 1).baseUnit(baseUnit).register(registry);
            case "Counter" -> Counter.builder(name).baseUnit(baseUnit).register(registry);
            case "FunctionCounter" -> FunctionCounter.builder(name, registry, r -> 1).baseUnit(baseUnit).register(registry);
            case "Timer" -> Timer.builder(name).register(registry);
            case "DistributionSummary" -> DistributionSummary.builder(name).baseUnit(baseUnit).register(registry);
            default -> throw new IllegalArgumentException(type);
        }
    }

    private static Iterable<String> javaSources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
    }
}

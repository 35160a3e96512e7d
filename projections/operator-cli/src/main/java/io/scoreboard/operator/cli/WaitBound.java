package io.scoreboard.operator.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --wait <duration>}: how long a command waits out an unreachable PostgreSQL or Kafka before it
 * gives up ({@link WaitingOut}). Each command has its own default ({@link OperatorCommand#defaultWait()}):
 * the long changing commands wait, {@code status} answers at once.
 */
public final class WaitBound {

    /** The default of every command but status: long enough for a restart or a failover, short enough to notice. */
    public static final Duration CHANGING_COMMANDS = Duration.ofMinutes(10);

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|min|h)?");

    @Option(names = "--wait", paramLabel = "<duration>", converter = Converter.class,
            description = "How long to wait for an unreachable or restarting PostgreSQL or Kafka (retrying, one "
                    + "line per wait on stderr) before giving up with exit code 4: e.g. 30s, 5m, 1h; 0 gives up at "
                    + "once (default: ${DEFAULT-VALUE})")
    Duration wait;

    /** The operator's bound, or {@code fallback} when none was given. */
    public Duration or(Duration fallback) {
        return wait != null ? wait : fallback;
    }

    /** {@code 0}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT5M}). */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? (n == 0 ? "s" : "") : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("'" + text + "' needs a unit: e.g. " + n + "s or " + n + "m");
            };
        }
        try {
            Duration d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            if (d.isNegative()) {
                throw new IllegalArgumentException("'" + text + "' is negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write e.g. 0, 30s, 5m or 1h");
        }
    }

    /** The way an operator writes it: {@code 0}, {@code 1.5 s}, {@code 10m}, {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.toMillis() < 60_000 && d.toMillis() % 1000 != 0) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        long s = d.toSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append('m');
        }
        if (s % 60 != 0 || b.isEmpty()) {
            b.append(s % 60).append('s');
        }
        return b.toString();
    }

    static final class Converter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("--wait " + e.getMessage());
            }
        }
    }
}

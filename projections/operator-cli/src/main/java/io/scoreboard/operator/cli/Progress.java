package io.scoreboard.operator.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of one long step with rate and ETA: a bar redrawn in place on a terminal, a plain line
 * every few seconds otherwise (logs, CI), and a last line when done. Thread-safe: a reader thread
 * may advance it while another prints.
 */
public final class Progress {

    private static final long TERMINAL_REDRAW_NANOS = Duration.ofMillis(200).toNanos();
    private static final long PLAIN_LINE_NANOS = Duration.ofSeconds(5).toNanos();
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final String task;
    private final String unit;
    private final long startNanos = System.nanoTime();
    private long total;
    private long done;
    private long lastDrawNanos = startNanos;
    private boolean finished;

    Progress(PrintStream out, boolean terminal, String task, String unit, long total) {
        this.out = out;
        this.terminal = terminal;
        this.task = task;
        this.unit = unit;
        this.total = total;
    }

    public synchronized void total(long newTotal) {
        total = newTotal;
    }

    public synchronized void advance(long units) {
        done += units;
        long now = System.nanoTime();
        if (now - lastDrawNanos >= (terminal ? TERMINAL_REDRAW_NANOS : PLAIN_LINE_NANOS)) {
            lastDrawNanos = now;
            draw(now, false);
        }
    }

    public synchronized long done() {
        return done;
    }

    /** Units per second so far. */
    public synchronized double rate() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return done / seconds;
    }

    public synchronized Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Draws the final state on its own line. */
    public synchronized void finish() {
        if (!finished) {
            finished = true;
            draw(System.nanoTime(), true);
        }
    }

    private void draw(long now, boolean last) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = done / seconds;
        StringBuilder line = new StringBuilder(task).append(' ');
        if (total > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            if (terminal) {
                int filled = (int) Math.round(fraction * BAR_WIDTH);
                line.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
            }
            line.append(String.format(Locale.ROOT, "%3d%% %,d/%,d %s", (int) (fraction * 100), done, total, unit));
        } else {
            line.append(String.format(Locale.ROOT, "%,d %s", done, unit));
        }
        line.append(String.format(Locale.ROOT, "  %,.0f %s/s", rate, unit));
        if (last) {
            line.append("  in ").append(format(Duration.ofNanos(now - startNanos)));
        } else if (total > 0 && rate > 0 && done < total) {
            line.append("  ETA ").append(format(Duration.ofSeconds((long) ((total - done) / rate))));
        }
        if (terminal) {
            out.print("\r" + line + "\u001b[K" + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        return String.format(Locale.ROOT, "%d:%02d min", s / 60, s % 60);
    }
}

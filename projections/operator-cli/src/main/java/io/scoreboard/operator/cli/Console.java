package io.scoreboard.operator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The CLI's only way to talk to people and scripts. Human messages go to stdout; with
 * {@code --json} stdout carries exactly one JSON document (the command's result) and every
 * message and progress line goes to stderr, so {@code ... --json | jq} always parses.
 */
public final class Console {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final boolean terminal;
    private final BufferedReader in;

    public Console(PrintStream out, PrintStream err, boolean json, boolean terminal, BufferedReader in) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.terminal = terminal;
        this.in = in;
    }

    /** The real console: a terminal when the JVM has one (progress bars then redraw in place). */
    public static Console system(boolean json) {
        return new Console(System.out, System.err, json, System.console() != null,
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    public boolean json() {
        return json;
    }

    /** Someone can answer a question (a terminal, and not a script asking for JSON). */
    public boolean interactive() {
        return terminal && !json;
    }

    /** A line for people. */
    public void say(String line) {
        (json ? err : out).println(line);
    }

    /** A warning, always on stderr. */
    public void warn(String line) {
        err.println("warning: " + line);
    }

    /** One line per wait for an unreachable server ({@link WaitingOut}), always on stderr. */
    public void waiting(String line) {
        err.println(line);
        err.flush();
    }

    public void error(String problem, String fix) {
        err.println("error: " + problem);
        if (fix != null) {
            err.println("fix:   " + fix);
        }
    }

    /** The command's result for scripts (with --json); people get the lines the command said. */
    public void result(Map<String, ?> result) {
        if (json) {
            try {
                out.println(JSON.writeValueAsString(result));
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the result as JSON", e);
            }
        }
    }

    /** Asks a question on the terminal; null at end of input. */
    public String ask(String question) {
        out.print(question);
        out.flush();
        try {
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** A progress display for {@code total} units (0 or less when unknown). */
    public Progress progress(String task, String unit, long total) {
        return new Progress(json ? err : out, terminal && !json, task, unit, total);
    }
}

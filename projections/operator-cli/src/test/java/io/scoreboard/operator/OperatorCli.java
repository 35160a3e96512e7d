package io.scoreboard.operator;

import io.scoreboard.testsupport.TestDatabases;
import io.scoreboard.testsupport.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process as an operator would, capturing what it prints and its exit status. */
public final class OperatorCli {

    private OperatorCli() {}

    public record Result(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    /**
     * The flags that point the CLI at a test's databases and topic, as the owner role. (Tests run in
     * the module directory, where no .scoreboard/stack.json can fill in anything else.)
     */
    public static List<String> targetFlags(TestDatabases databases, String topic, String environment) {
        return List.of("--environment=" + environment,
                "--events-url=" + databases.eventsJdbcUrl(),
                "--read-url=" + databases.server().jdbcUrl(databases.readDatabase()),
                "--db-user=" + databases.ownerRole().user(),
                "--db-password=" + databases.ownerRole().password(),
                "--kafka=" + TestKafka.bootstrapServers(),
                "--topic=" + topic);
    }

    public static synchronized Result run(List<String> args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = OperatorMain.run(args.toArray(String[]::new));
            return new Result(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    public static Result run(List<String> target, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(target);
        return run(args);
    }
}

package io.scoreboard.operator.reset;

import io.scoreboard.operator.cli.Confirmation;
import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.OperatorCommand;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.startup.TopicEnvironment;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reset-local}: deletes the local stack's data directory, the only command that deletes
 * anything, and only that: every database in it must record environment {@value #DEV}, the stack
 * must be stopped (its lock free), and {@code --confirm dev} must be given. The 2020 incident was
 * exactly this kind of wipe run against production; each check below refuses before anything changes.
 */
@Command(name = "reset-local", mixinStandardHelpOptions = true, description = "Delete the local stack's data directory (.scoreboard/): its "
        + "PostgreSQL databases, Kafka log and logs. Only for a stopped local stack whose databases belong to 'dev'; "
        + "needs --confirm dev.")
public final class ResetLocalCommand extends OperatorCommand {

    static final String DEV = "dev";

    @Option(names = "--confirm", paramLabel = "<env>", description = "The environment's name typed back: dev")
    String confirm;

    /**
     * Never touches a broker: it deletes the stopped local stack's own directory (its Kafka log
     * included), proven to be dev by the databases recorded in that directory.
     */
    @Override
    protected Optional<TopicEnvironment.Use> topicUse() {
        return Optional.empty();
    }

    @Override
    protected ExitCode run(Target target, Console console) throws IOException {
        if (!DEV.equals(target.environment())) {
            throw OperatorException.refused("reset-local is only for environment '" + DEV + "', but this run is "
                    + "configured for '" + target.environment() + "'. Nothing was changed.",
                    "there is no reset for " + target.environment() + "; use rebuild, restore-event-store or republish");
        }
        if (confirm != null && !confirm.equals(DEV)) {
            throw OperatorException.refused("--confirm " + confirm + " does not match '" + DEV + "', the only "
                    + "environment reset-local works on. Nothing was changed.",
                    "check that this is the local stack you meant; if it is, pass --confirm " + DEV);
        }
        requireNoForeignDatabase(target);
        LocalStackDirectory local = LocalStackDirectory.of(target);
        local.requireStopped();
        console.say("checking the environment recorded in " + local.postgresDirectory() + " …");
        Map<String, Optional<String>> recorded = EmbeddedDatabasesIdentity.read(local);
        requireDev(local, recorded);
        Confirmation.require(console, confirm, DEV, "delete " + local.path() + " (databases " + recorded.keySet()
                + ", the Kafka log, logs)");
        deleteTree(local.path());
        console.say("Deleted " + local.path() + ". ./scoreboard up starts a fresh stack.");
        console.result(Map.of("deleted", local.path().toString(), "environment", DEV,
                "databases", recorded.keySet()));
        return ExitCode.OK;
    }

    /**
     * A configured database that answers must belong to dev (the refusal names both environments).
     * One that does not answer is expected: reset-local needs the stack stopped, and reads the
     * identity from its data directory instead.
     */
    private static void requireNoForeignDatabase(Target target) {
        for (Supplier<Connection> open : List.<Supplier<Connection>>of(target::openEvents, target::openRead)) {
            try (Connection ignored = open.get()) {
                // belongs to dev: the checks on the directory follow
            } catch (OperatorException e) {
                if (e.code() != ExitCode.UNREACHABLE) {
                    throw e;
                }
            } catch (SQLException e) {
                // closing failed; the connection was checked
            }
        }
    }

    private static void requireDev(LocalStackDirectory local, Map<String, Optional<String>> recorded) {
        recorded.forEach((database, environment) -> {
            if (environment.isPresent() && !environment.get().equals(DEV)) {
                throw OperatorException.refused("the database " + database + " in " + local.path() + " belongs to "
                        + "environment '" + environment.get() + "', but reset-local only deletes '" + DEV
                        + "'. Nothing was changed.", "if that data really is disposable, delete the directory by "
                        + "hand after checking where it came from");
            }
        });
        if (recorded.values().stream().noneMatch(Optional::isPresent)) {
            throw OperatorException.refused("no database in " + local.path() + " records its environment, so it "
                    + "cannot be proven to be '" + DEV + "'. Nothing was changed.",
                    "delete the directory by hand if you are sure it is a disposable local stack");
        }
    }

    /** Deletes the tree without following links: a link inside is removed, never what it points at. */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

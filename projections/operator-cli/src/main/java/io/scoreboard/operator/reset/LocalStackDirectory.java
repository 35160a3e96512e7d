package io.scoreboard.operator.reset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.Target;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local stack's own data directory, proven to be one before anything is deleted: it holds the
 * stack.json the settings came from, it is named {@code .scoreboard}, it holds only what
 * {@code ./scoreboard up} puts there, and its PostgreSQL is the stack's embedded one.
 */
final class LocalStackDirectory {

    static final String NAME = ".scoreboard";
    /** What ./scoreboard up writes there; anything else means it is not (only) the stack's directory. */
    private static final Set<String> STACK_ENTRIES = Set.of("stack.json", "credentials.json", "postgres", "kafka", "kafka-cluster", "logs");
    private static final String FIX_BY_HAND = "if this really is a local stack's data, stop it and delete the "
            + "directory by hand; reset-local deletes only what it can prove is the local stack's";

    private final Path dir;
    private final JsonNode stack;

    private LocalStackDirectory(Path dir, JsonNode stack) {
        this.dir = dir;
        this.stack = stack;
    }

    /** Refuses unless the settings came from a local stack whose databases are its embedded PostgreSQL. */
    static LocalStackDirectory of(Target target) {
        Path given = target.localDataDir().orElseThrow(() -> OperatorException.refused(
                "the settings do not come from a local stack's stack.json, so there is no local data directory to "
                        + "reset. Nothing was changed.",
                "run it in the directory where ./scoreboard up ran (it reads .scoreboard/stack.json), or pass "
                        + "--stack <dir>/.scoreboard/stack.json"));
        Path dir = realDirectory(given);
        JsonNode stack = readStack(dir);
        LocalStackDirectory local = new LocalStackDirectory(dir, stack);
        local.requireEmbeddedDatabases(target);
        local.requireOnlyStackEntries();
        return local;
    }

    Path path() {
        return dir;
    }

    Path postgresDirectory() {
        return dir.resolve("postgres");
    }

    List<String> databaseNames() {
        JsonNode databases = stack.path("postgres").path("databases");
        return Stream.of(databases.path("events").asText(null), databases.path("read").asText(null))
                .filter(n -> n != null && !n.isBlank()).toList();
    }

    /** Refuses while the stack runs: its PostgreSQL and Kafka would go on writing into deleted files. */
    void requireStopped() {
        Optional<ProcessHandle> stackProcess = Optional.of(stack.path("pid").asLong(-1)).filter(pid -> pid > 0)
                .flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("LocalStackMain")).orElse(false));
        if (stackProcess.isPresent() || locked(dir.resolve("kafka")) || locked(postgresDirectory())) {
            throw OperatorException.refused("the local stack using " + dir + " is still running"
                    + stackProcess.map(p -> " (pid " + p.pid() + ")").orElse("") + ". Nothing was changed.",
                    "stop it with Ctrl-C in the terminal running ./scoreboard up, then run reset-local again");
        }
    }

    private void requireEmbeddedDatabases(Target target) {
        JsonNode postgres = stack.path("postgres");
        if (!postgres.path("embedded").asBoolean(false)) {
            throw OperatorException.refused("the local stack in " + dir + " used an existing PostgreSQL ("
                    + postgres.path("url").asText("?") + "), not its embedded one: its databases are not in this "
                    + "directory, and reset-local never drops databases. Nothing was changed.",
                    "drop those databases by hand if you mean to, after checking which environment they belong to");
        }
        JsonNode databases = postgres.path("databases");
        if (!target.eventsUrl().equals(databases.path("eventsUrl").asText())
                || !target.readUrl().equals(databases.path("readUrl").asText())) {
            throw OperatorException.refused("the configured databases (" + target.eventsUrl() + ", " + target.readUrl()
                    + ") are not the local stack's (" + databases.path("eventsUrl").asText() + ", "
                    + databases.path("readUrl").asText() + "). Nothing was changed.",
                    "unset SCOREBOARD_EVENTS_URL / SCOREBOARD_READ_URL and drop --events-url / --read-url: "
                            + "reset-local works only on the stack.json's own databases");
        }
        if (!Files.exists(postgresDirectory().resolve("data").resolve("PG_VERSION"), LinkOption.NOFOLLOW_LINKS)) {
            throw OperatorException.refused("there is no embedded PostgreSQL data in " + postgresDirectory()
                    + ", so the environment of its databases cannot be proven. Nothing was changed.", FIX_BY_HAND);
        }
    }

    private void requireOnlyStackEntries() {
        List<String> foreign = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> !STACK_ENTRIES.contains(n) && !n.startsWith("."))
                    .sorted().forEach(foreign::add);
        } catch (IOException e) {
            throw OperatorException.refused("cannot list " + dir + ": " + e.getMessage() + ". Nothing was changed.",
                    FIX_BY_HAND);
        }
        if (!foreign.isEmpty()) {
            throw OperatorException.refused(dir + " holds " + foreign + ", which ./scoreboard up does not write: "
                    + "it does not look like (only) the local stack's data. Nothing was changed.",
                    "move those out first, or " + FIX_BY_HAND);
        }
    }

    /**
     * The directory with every symbolic link resolved, refused unless it is a {@code .scoreboard}
     * directory that is not the file system's root, the home directory or one of its ancestors.
     */
    private static Path realDirectory(Path given) {
        Path real;
        try {
            real = given.toRealPath();
        } catch (IOException e) {
            throw OperatorException.refused("cannot resolve " + given + ": " + e.getMessage() + ". Nothing was changed.",
                    FIX_BY_HAND);
        }
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        boolean dangerous = real.getParent() == null || home.startsWith(real);
        if (dangerous || real.getFileName() == null || !real.getFileName().toString().equals(NAME)) {
            throw OperatorException.refused(given + (given.equals(real) ? "" : " (really " + real + ")")
                    + " is not a local stack's " + NAME + " directory. Nothing was changed.", FIX_BY_HAND);
        }
        return real;
    }

    private static JsonNode readStack(Path dir) {
        Path file = dir.resolve("stack.json");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw OperatorException.refused(file + " is not a plain file in the directory (a link, or missing). "
                    + "Nothing was changed.", FIX_BY_HAND);
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw OperatorException.refused("cannot read " + file + ": " + e.getMessage() + ". Nothing was changed.",
                    FIX_BY_HAND);
        }
    }

    /** Whether a running server holds the directory's lock (the lock file DirectoryLock uses). */
    private static boolean locked(Path serverDir) {
        Path lockFile = serverDir.resolve(".in-use.lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            return true; // cannot tell: treat as running, never delete under a live server
        }
    }
}

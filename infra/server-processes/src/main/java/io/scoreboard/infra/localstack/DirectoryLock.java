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
public final class DirectoryLock implements AutoCloseable {

    /**
     * Directories locked by this JVM. Checked before touching the lock file: on Linux, closing any
     * channel to a locked file drops the process's lock on it, so we never open it twice.
     */
    private static final Set<Path> HELD = new HashSet<>();
    private static final String LOCK_FILE = ".in-use.lock";

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
        Path file = absolute.resolve(LOCK_FILE);
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

    /**
     * Whether a running server (in this JVM or another process) holds {@code dir}'s lock, without taking it.
     * The operator CLI asks before it deletes a stopped stack's directory.
     */
    public static boolean isHeld(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.contains(absolute)) {
                return true; // ours: opening the file again would drop the lock
            }
        }
        Path file = absolute.resolve(LOCK_FILE);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            return true; // cannot tell: treat as held, so that nothing is deleted under a live server
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

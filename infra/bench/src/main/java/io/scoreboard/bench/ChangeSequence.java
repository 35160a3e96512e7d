package io.scoreboard.bench;

import java.util.Arrays;

/**
 * What one live viewer received, checked as it arrives: after its {@code snapshot}, every {@code change} must carry
 * the next version (n + 1 after n) and a higher position than the one before. A change that does not move forward is
 * a repeat (or arrived out of order) and is not kept; a version that jumps counts the versions skipped. Each kept
 * change's arrival time is recorded by its position, so that a command's position can be looked up afterwards: was
 * it received, and when. Used by one thread at a time.
 */
final class ChangeSequence {

    private boolean started;
    private long version;
    private long position;
    private long[] positions = new long[64];
    private long[] arrivals = new long[64];
    private int kept;
    private long repeated;
    private long skippedVersions;
    private long snapshots;
    private long beforeSnapshot;

    /** A snapshot: the board at {@code version}, its last event at {@code position}. A later one replaces the first. */
    void snapshot(long version, long position) {
        snapshots++;
        started = true;
        this.version = version;
        this.position = position;
    }

    /** A change received at {@code arrivalNanos} (System.nanoTime). */
    void change(long position, long version, long arrivalNanos) {
        if (!started) {
            beforeSnapshot++;
            return;
        }
        if (version <= this.version || position <= this.position
                || (kept > 0 && position <= positions[kept - 1])) {
            repeated++; // again, or behind what came already (a snapshot that went back is followed by repeats)
            return;
        }
        if (version > this.version + 1) {
            skippedVersions += version - this.version - 1;
        }
        this.version = version;
        this.position = position;
        if (kept == positions.length) {
            positions = Arrays.copyOf(positions, kept * 2);
            arrivals = Arrays.copyOf(arrivals, kept * 2);
        }
        positions[kept] = position;
        arrivals[kept] = arrivalNanos;
        kept++;
    }

    /** When the change at {@code position} arrived, or {@link Long#MIN_VALUE} if it never did. */
    long arrivalOf(long position) {
        int at = Arrays.binarySearch(positions, 0, kept, position);
        return at < 0 ? Long.MIN_VALUE : arrivals[at];
    }

    /** The position of the last change kept, or of the snapshot if none came after it yet. */
    long lastPosition() {
        return position;
    }

    long version() {
        return version;
    }

    /** Changes kept (each moved the sequence forward). */
    int changes() {
        return kept;
    }

    long repeated() {
        return repeated;
    }

    long skippedVersions() {
        return skippedVersions;
    }

    long snapshots() {
        return snapshots;
    }

    /** Changes that came before any snapshot (the stream must open with one). */
    long beforeSnapshot() {
        return beforeSnapshot;
    }
}

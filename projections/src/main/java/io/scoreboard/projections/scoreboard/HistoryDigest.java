package io.scoreboard.projections.scoreboard;

import java.nio.charset.StandardCharsets;

/**
 * A board's history ({@code board_changes}, {@code participant_changes}, {@code team_changes} and
 * {@code board_events} rows) in five numbers: how many rows of each, and the sum of their 64-bit hashes. A sum does
 * not depend on the order the rows were seen in, so the read database (read per table) and a fold (in event order)
 * can be compared without either holding the rows: a recomputation keeps a few bytes per board, not its history.
 */
public record HistoryDigest(long boardChanges, long participantChanges, long teamChanges, long events, long hashSum) {

    public static final HistoryDigest EMPTY = new HistoryDigest(0, 0, 0, 0, 0);

    public HistoryDigest with(BoardChangeRow row) {
        return new HistoryDigest(boardChanges + 1, participantChanges, teamChanges, events, hashSum + row.hash());
    }

    public HistoryDigest with(ParticipantChangeRow row) {
        return new HistoryDigest(boardChanges, participantChanges + 1, teamChanges, events, hashSum + row.hash());
    }

    public HistoryDigest with(TeamChangeRow row) {
        return new HistoryDigest(boardChanges, participantChanges, teamChanges + 1, events, hashSum + row.hash());
    }

    public HistoryDigest with(BoardEventRow row) {
        return new HistoryDigest(boardChanges, participantChanges, teamChanges, events + 1, hashSum + row.hash());
    }

    public HistoryDigest plus(HistoryDigest other) {
        return new HistoryDigest(boardChanges + other.boardChanges, participantChanges + other.participantChanges,
                teamChanges + other.teamChanges, events + other.events, hashSum + other.hashSum);
    }

    @Override
    public String toString() {
        return boardChanges + " board, " + participantChanges + " participant and " + teamChanges
                + " team changes, " + events + " exported events, hash " + Long.toHexString(hashSum);
    }

    /** FNV-1a over the UTF-8 bytes, then a final mix so that near-equal texts spread over all 64 bits. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb34ca7c2a5e5L;
        h ^= h >>> 33;
        return h;
    }
}

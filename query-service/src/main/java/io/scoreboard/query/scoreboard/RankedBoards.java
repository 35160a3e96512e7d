package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.BoardSlice;
import io.scoreboard.projections.scoreboard.RankedParticipant;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Whole boards as ranked by the read model's SQL, kept in memory under the board's version, so a
 * read of an unchanged board costs a primary-key lookup instead of ranking every participant again
 * (the ranking SQL takes ~25 ms of PostgreSQL CPU for 10,000 participants). A version names one state
 * of a board for good — it rises with every event applied to it, and a rebuild reproduces the same
 * state at the same version — so an entry is never stale: a board that moved on has another version
 * and is ranked afresh. The least recently read boards go first once {@code maxParticipants} is
 * reached. Pages and neighbourhoods are cut from the cached ranking exactly as the SQL cuts them
 * (by place: rank, then name, then id).
 */
final class RankedBoards {

    /** The longest first page whose written answer a board keeps (the API's default page size). */
    static final int WRITTEN_PAGE_MAX_LIMIT = 100;

    /** A first page of the board as its answer's bytes, for one page size. */
    record WrittenPage(int limit, byte[] bytes) {}

    /**
     * A board, ranked, with each participant's place (0-based) in the listing, and the last first page
     * written for it (see {@link #firstPage}).
     */
    record RankedBoard(ScoreboardView whole, Map<UUID, Integer> placeOf, AtomicReference<WrittenPage> written) {

        static RankedBoard of(ScoreboardView whole) {
            Map<UUID, Integer> places = new HashMap<>(whole.participants().size() * 2);
            List<RankedParticipant> all = whole.participants();
            for (int i = 0; i < all.size(); i++) {
                places.put(all.get(i).participantId(), i);
            }
            return new RankedBoard(whole, Map.copyOf(places), new AtomicReference<>());
        }

        /**
         * The first {@code limit} places as {@code write} turns them into an answer, written once per version and
         * page size: a leaderboard polled by many clients is the same bytes until the board moves (issue 14), and
         * writing them was most of the read's cost. One page size is kept per board (the last one written), of at
         * most {@link #WRITTEN_PAGE_MAX_LIMIT} rows, so the memory it takes is bounded by the board's own; other
         * pages are written each time.
         */
        byte[] firstPage(int limit, Function<BoardSlice, byte[]> write) {
            if (limit > WRITTEN_PAGE_MAX_LIMIT) {
                return write.apply(page(limit, 0));
            }
            WrittenPage kept = written.get();
            if (kept != null && kept.limit() == limit) {
                return kept.bytes();
            }
            byte[] bytes = write.apply(page(limit, 0));
            written.set(new WrittenPage(limit, bytes));
            return bytes;
        }

        /** {@code limit} participants from {@code offset} (0-based) in place order. */
        BoardSlice page(int limit, long offset) {
            int size = whole.participants().size();
            int from = (int) Math.min(offset, size);
            return slice(from, (int) Math.min((long) from + limit, size));
        }

        /** The participant and up to {@code radius} on each side; no participants when it is not on the board. */
        BoardSlice around(UUID participantId, int radius) {
            Integer place = placeOf.get(participantId);
            if (place == null) {
                return slice(0, 0);
            }
            int size = whole.participants().size();
            return slice(Math.max(0, place - radius), (int) Math.min((long) place + radius + 1, size));
        }

        private BoardSlice slice(int from, int to) {
            return new BoardSlice(new ScoreboardView(whole.scoreboardId(), whole.name(), whole.scoreOrder(),
                    whole.ranking(), whole.deleted(), whole.version(), whole.lastPosition(),
                    whole.participants().subList(from, to), whole.teams()), whole.participants().size());
        }
    }

    private final long maxParticipants;
    private final LinkedHashMap<UUID, RankedBoard> boards = new LinkedHashMap<>(16, 0.75f, true);
    private long participantsHeld;

    RankedBoards(long maxParticipants) {
        this.maxParticipants = maxParticipants;
    }

    /** The board as ranked at exactly {@code version}, if held. */
    synchronized Optional<RankedBoard> get(UUID scoreboardId, long version) {
        RankedBoard board = boards.get(scoreboardId);
        return board != null && board.whole().version() == version ? Optional.of(board) : Optional.empty();
    }

    /**
     * Holds the board at its version, replacing an older one; a board bigger than the whole cache is
     * handed back without being held. Never replaces a newer version with an older one (two reads
     * of a moving board may finish in either order).
     */
    RankedBoard put(ScoreboardView whole) {
        RankedBoard ranked = RankedBoard.of(whole); // outside the lock: hashing 10,000 ids takes a while
        int size = whole.participants().size();
        synchronized (this) {
            RankedBoard held = boards.get(whole.scoreboardId());
            if (held != null && held.whole().version() > whole.version()) {
                return ranked;
            }
            if (held != null) {
                boards.remove(whole.scoreboardId());
                participantsHeld -= held.whole().participants().size() + 1;
            }
            if (size + 1 > maxParticipants) { // + 1: a board without participants still takes room
                return ranked;
            }
            Iterator<RankedBoard> leastRecent = boards.values().iterator();
            while (participantsHeld + size + 1 > maxParticipants && leastRecent.hasNext()) {
                participantsHeld -= leastRecent.next().whole().participants().size() + 1;
                leastRecent.remove();
            }
            boards.put(whole.scoreboardId(), ranked);
            participantsHeld += size + 1;
        }
        return ranked;
    }

    synchronized int size() {
        return boards.size();
    }

    synchronized long participantsHeld() {
        return participantsHeld;
    }
}

package io.scoreboard.query.projection;

import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version of every board this instance's projection runner has applied since it was last positioned
 * (ADR 0028): a read of an unchanged board learns its version here instead of from the database.
 *
 * <p>Only the runner writes, after its transaction commits, and a version only ever rises, so a version
 * found here is one the read model holds or held a moment ago. Whenever the runner is positioned again at
 * the stored checkpoints (start, rebalance, a fault waited out, a rebuild switching the read model, a
 * recreated topic) everything is forgotten: boards of partitions another instance now applies, or that the
 * database holds at another version, are looked up in the database again until this runner applies them.
 * Bounded: past {@code maxBoards} it starts over, which only costs lookups.
 */
public final class AppliedVersions {

    private final int maxBoards;
    private final ConcurrentHashMap<UUID, Long> versions = new ConcurrentHashMap<>();

    /** @param maxBoards boards remembered at most; 0 remembers none (every read looks its board up) */
    public AppliedVersions(int maxBoards) {
        if (maxBoards < 0) {
            throw new IllegalArgumentException("maxBoards must be >= 0, got " + maxBoards);
        }
        this.maxBoards = maxBoards;
    }

    /** The board's version as this runner last applied it, or empty when it does not know. */
    public OptionalLong version(UUID board) {
        Long version = versions.get(board);
        return version == null ? OptionalLong.empty() : OptionalLong.of(version);
    }

    /** Called by the runner once the transaction that applied these versions has committed. */
    void applied(Map<UUID, Long> boards) {
        if (maxBoards == 0 || boards.isEmpty()) {
            return;
        }
        if (versions.size() + boards.size() > maxBoards) {
            versions.clear();
        }
        boards.forEach((board, version) -> versions.merge(board, version, Math::max));
    }

    /** Called by the runner before it positions itself again: what the database holds is the truth again. */
    void forgetAll() {
        versions.clear();
    }

    int size() {
        return versions.size();
    }
}

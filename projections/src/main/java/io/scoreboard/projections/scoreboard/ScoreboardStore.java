package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ScoreboardCreatedEvent;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Where {@link ScoreboardProjection} keeps the rows it maintains. The projection's rules (what is
 * a duplicate, a gap, an illegal change) are written once, in the projection; a store only reads
 * and writes rows. Live it is the read database ({@link JdbcScoreboardStore}); a rebuild or a
 * verification folds events in memory ({@link ScoreboardRecomputation}) and writes or compares the
 * result in bulk, so both paths produce the same rows by construction.
 *
 * <p>Methods that return {@code boolean} report whether the row they change existed in the state
 * they require (e.g. a current, not removed participant); the projection turns {@code false} into
 * a loud failure.
 */
public interface ScoreboardStore {

    /** The board's version (sequence number of its last applied event), locking it; empty when unknown. */
    OptionalLong lockBoardVersion(UUID scoreboardId) throws SQLException;

    void insertBoard(EventEnvelope event, ScoreboardCreatedEvent created) throws SQLException;

    /** Adds a participant with score 0; false when the id exists on the board (removed or not). */
    boolean insertParticipant(UUID scoreboardId, UUID participantId, String name, long position) throws SQLException;

    /**
     * Sets a current participant's score. Its {@code score_reached_position} moves to {@code position}
     * unless the score stays equal (a delta of 0 does not make it the latest to reach that score).
     */
    boolean setScore(UUID scoreboardId, UUID participantId, BigDecimal score, long position) throws SQLException;

    boolean renameParticipant(UUID scoreboardId, UUID participantId, String name) throws SQLException;

    boolean removeParticipant(UUID scoreboardId, UUID participantId, Instant removedAt) throws SQLException;

    /** Whether the participant exists on the board, and if so when it was removed (empty: not removed). */
    Optional<Optional<Instant>> participantRemovedAt(UUID scoreboardId, UUID participantId) throws SQLException;

    void renameBoard(UUID scoreboardId, String name) throws SQLException;

    void setRankingRules(UUID scoreboardId, String scoreOrder, String ranking) throws SQLException;

    /** Flips the soft-delete flag; false when it already had that value. */
    boolean setDeleted(UUID scoreboardId, boolean deleted) throws SQLException;

    /** version = sequence, last_position = max(last_position, position), updated_at = the event's time. */
    void advanceBoard(UUID scoreboardId, long sequenceNumber, long position, Instant occurredAt) throws SQLException;
}

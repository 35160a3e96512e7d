package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreboardCreatedEvent;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
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
 * <p>Methods that return {@code boolean} or an {@code Optional} report whether the row they change
 * existed in the state they require (e.g. a current, not removed participant); the projection turns
 * {@code false} or empty into a loud failure. Participant changes return the participant as it is
 * afterwards, which the projection records in its history ({@link #recordParticipantChange}).
 */
public interface ScoreboardStore {

    /** The board's version (sequence number of its last applied event), locking it; empty when unknown. */
    OptionalLong lockBoardVersion(UUID scoreboardId) throws SQLException;

    void insertBoard(EventEnvelope event, ScoreboardCreatedEvent created) throws SQLException;

    /**
     * Adds a participant of the event's board with score 0, reached at the event's position; empty when
     * the id exists on the board (removed or not). A store that queues the insert returns the new row
     * and reports an existing id when it sends the queue, as a {@link io.scoreboard.projections.ProjectionException}
     * naming this event.
     */
    Optional<ParticipantRow> insertParticipant(EventEnvelope event, UUID participantId, String name)
            throws SQLException;

    /**
     * Sets a current participant's score. Its {@code score_reached_position} moves to {@code position}
     * unless the score stays equal (a delta of 0 does not make it the latest to reach that score).
     */
    Optional<ParticipantRow> setScore(UUID scoreboardId, UUID participantId, BigDecimal score, long position)
            throws SQLException;

    Optional<ParticipantRow> renameParticipant(UUID scoreboardId, UUID participantId, String name) throws SQLException;

    Optional<ParticipantRow> removeParticipant(UUID scoreboardId, UUID participantId, Instant removedAt)
            throws SQLException;

    /** The participant as it is now, removed or not; empty when the board never had it. */
    Optional<ParticipantRow> participant(UUID scoreboardId, UUID participantId) throws SQLException;

    /**
     * Sets every column of an existing participant (a rewind): name, score, the position it reached the score at,
     * its team, and whether it is removed (since {@code at}, unless it was removed already; a participant brought
     * back is not).
     */
    Optional<ParticipantRow> setParticipant(UUID scoreboardId, RewoundParticipant target, Instant at)
            throws SQLException;

    /** Whether the participant exists on the board, and if so when it was removed (empty: not removed). */
    Optional<Optional<Instant>> participantRemovedAt(UUID scoreboardId, UUID participantId) throws SQLException;

    /** Sets a current (not removed) participant's team ({@code teamId} null: none); empty when not current. */
    Optional<ParticipantRow> setParticipantTeam(UUID scoreboardId, UUID participantId, UUID teamId)
            throws SQLException;

    /**
     * Takes every current (not removed) member of a team out of it ({@code team_id} NULL) and returns them as they
     * are afterwards; removed participants keep the team they had (nothing happens to them any more).
     */
    List<ParticipantRow> clearTeam(UUID scoreboardId, UUID teamId) throws SQLException;

    /** The current (not removed) members of a team. */
    List<ParticipantRow> members(UUID scoreboardId, UUID teamId) throws SQLException;

    /** The team as it is now, removed or not; empty when the board never had it. */
    Optional<TeamRow> team(UUID scoreboardId, UUID teamId) throws SQLException;

    /** Adds a team (not removed); empty when the id exists on the board (removed or not). */
    Optional<TeamRow> insertTeam(UUID scoreboardId, UUID teamId, String name) throws SQLException;

    /** Renames a team that is not removed; empty when the board has no such team, or it is removed. */
    Optional<TeamRow> renameTeam(UUID scoreboardId, UUID teamId, String name) throws SQLException;

    /** Marks a team removed (its members are not changed here: {@link #clearTeam}); empty as for a rename. */
    Optional<TeamRow> removeTeam(UUID scoreboardId, UUID teamId) throws SQLException;

    /** Sets an existing team's name and removed flag (a rewind); empty when the board never had it. */
    Optional<TeamRow> setTeam(UUID scoreboardId, RewoundTeam target) throws SQLException;

    /** Adds tokens of a board (its first two come with its creation); false when one of them exists already. */
    boolean insertTokens(List<TokenRow> tokens) throws SQLException;

    /** Marks a token revoked; false when the board has no such token, or it was revoked already. */
    boolean revokeToken(UUID scoreboardId, UUID tokenId, Instant revokedAt) throws SQLException;

    void renameBoard(UUID scoreboardId, String name) throws SQLException;

    void setRankingRules(UUID scoreboardId, String scoreOrder, String ranking) throws SQLException;

    void setVisibility(UUID scoreboardId, String visibility) throws SQLException;

    /** Flips the soft-delete flag; false when it already had that value. */
    boolean setDeleted(UUID scoreboardId, boolean deleted) throws SQLException;

    /** version = sequence, last_position = max(last_position, position), updated_at = the event's time. */
    void advanceBoard(UUID scoreboardId, long sequenceNumber, long position, Instant occurredAt) throws SQLException;

    /**
     * Appends a {@code board_changes} row for {@code event}: the board's columns as they are now (after
     * the event's change), and for an undo the sequence number it reverts.
     */
    void recordBoardChange(EventEnvelope event, Long undoesSequenceNumber) throws SQLException;

    /** Appends a {@code board_events} row: the event as the board's export carries it. */
    void recordEvent(BoardEventRow row) throws SQLException;

    /** Appends a {@code participant_changes} row. */
    void recordParticipantChange(ParticipantChangeRow row) throws SQLException;

    /** Appends a {@code team_changes} row. */
    void recordTeamChange(TeamChangeRow row) throws SQLException;

    /** Writes whatever the store queued; called before the transaction commits. */
    void flush() throws SQLException;
}

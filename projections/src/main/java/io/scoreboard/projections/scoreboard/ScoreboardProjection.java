package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.FirstTokens;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ParticipantRemovedEvent;
import io.scoreboard.events.ParticipantRenamedEvent;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.RankingRulesChangedEvent;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreDelta;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardDeletedEvent;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRenamedEvent;
import io.scoreboard.events.ScoreboardRestoredEvent;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.ScoreboardVisibilityChangedEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.events.TeamRenamedEvent;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenKind;
import io.scoreboard.events.TokenRevokedEvent;
import io.scoreboard.projections.Projection;
import io.scoreboard.projections.ProjectionException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Scoreboards and their participants' current scores ({@code scoreboards}, {@code participants}).
 *
 * <p>Idempotency is per board: {@code scoreboards.version} is the sequence number of the last
 * applied event, so an event at or below it is a duplicate. Because Kafka keeps a board's events
 * in order, anything other than exactly {@code version + 1} after that is a lost event, and the
 * projection refuses to go on rather than build a board with a hole in it.
 *
 * <p>Every score-carrying event holds the resulting scores, so scores are set, never re-added.
 * A removed participant keeps its row ({@code participants.removed}) for history and analytics but
 * is no longer listed or ranked, and nothing may happen to it any more; a deleted board keeps all
 * its rows ({@code scoreboards.deleted}) so a restore brings it back exactly as it was.
 *
 * <p>Teams ({@code teams}, ADR 0046) are soft-removed the same way; a participant's team is its
 * {@code participants.team_id}, and a team's removal takes its current members out of it by that event
 * alone, each with a history row. Every participant history row carries the participant's team after the event.
 *
 * <p>The rules live here once; where the rows live is a {@link ScoreboardStore}: the read database
 * live, memory in a rebuild or a verification.
 */
public final class ScoreboardProjection implements Projection {

    public static final String NAME = "scoreboard";

    /** numeric(19,4): below 10^15 in magnitude, at most 4 fractional digits (docs/api.md). */
    private static final int MAX_SCALE = 4;
    private static final BigDecimal SCORE_LIMIT = BigDecimal.TEN.pow(15);
    /** A delta spans two scores; participant_changes.delta is numeric(20,4). */
    private static final BigDecimal DELTA_LIMIT = SCORE_LIMIT.multiply(BigDecimal.valueOf(2));

    @Override
    public String name() {
        return NAME;
    }

    /** The read database: one store for the whole batch, so it can lock each board once and queue rows. */
    @Override
    public Batch batch(Connection connection) {
        JdbcScoreboardStore store = new JdbcScoreboardStore(connection);
        return new Batch() {
            @Override
            public Outcome apply(EventEnvelope event) throws SQLException {
                return ScoreboardProjection.this.apply(store, event);
            }

            @Override
            public void finish() throws SQLException {
                store.flush();
            }
        };
    }

    /** The rules, over any store: live the read database, in a rebuild or a verification memory. */
    public Outcome apply(ScoreboardStore store, EventEnvelope envelope) throws SQLException {
        UUID board = envelope.scoreboardId();
        OptionalLong version = store.lockBoardVersion(board);
        if (version.isPresent() && envelope.sequenceNumber() <= version.getAsLong()) {
            return Outcome.DUPLICATE;
        }
        ScoreboardEvent event = envelope.payload();
        if (event instanceof ScoreboardCreatedEvent created) {
            if (version.isPresent()) {
                throw fail(envelope, "the scoreboard already exists at version " + version.getAsLong());
            }
            if (envelope.sequenceNumber() != 0) {
                throw fail(envelope, "ScoreboardCreated must be the board's first event (sequence 0)");
            }
            store.insertBoard(envelope, created);
            store.recordEvent(BoardEventRow.of(envelope));
            // The first two tokens, with the ids every reader derives from the board's id (FirstTokens).
            store.insertTokens(List.of(
                    new TokenRow(board, FirstTokens.adminTokenId(board), TokenKind.ADMIN.name(), FirstTokens.ADMIN_LABEL,
                            created.adminTokenHash(), envelope.occurredAt(), null),
                    new TokenRow(board, FirstTokens.scorekeeperTokenId(board), TokenKind.SCOREKEEPER.name(),
                            FirstTokens.SCOREKEEPER_LABEL, created.scorekeeperTokenHash(), envelope.occurredAt(), null)));
            store.recordBoardChange(envelope, null);
            return Outcome.APPLIED;
        }
        if (version.isEmpty()) {
            throw fail(envelope, "the scoreboard does not exist in the read model: its ScoreboardCreated "
                    + "event was never applied (lost event or wrong topic)");
        }
        long expected = version.getAsLong() + 1;
        if (envelope.sequenceNumber() != expected) {
            throw fail(envelope, "gap in the board's events: expected sequence " + expected
                    + " after the applied version " + version.getAsLong());
        }
        if (event instanceof ParticipantAddedEvent added) {
            ParticipantRow after = store.insertParticipant(envelope, added.participantId(), added.name())
                    .orElseThrow(() -> participantExists(envelope, added.participantId()));
            store.recordParticipantChange(ParticipantChangeRow.of(envelope, after, null, null));
        } else if (event instanceof ScoreChangedEvent changed) {
            setScore(store, envelope, new ScoreDelta(changed.participantId(), changed.delta(), changed.score()),
                    changed.reason());
        } else if (event instanceof RoundRecordedEvent round) {
            if (round.deltas().isEmpty()) {
                throw fail(envelope, "the round changes no participant's score (no deltas)");
            }
            setScores(store, envelope, round.deltas(), round.comment());
        } else if (event instanceof ScoreChangeUndoneEvent undone) {
            if (undone.undoneSequenceNumber() < 1 || undone.undoneSequenceNumber() >= envelope.sequenceNumber()) {
                throw fail(envelope, "it undoes sequence " + undone.undoneSequenceNumber()
                        + ", which is not an earlier event of this board");
            }
            // No deltas is legitimate here: the command side leaves out participants removed since the
            // undone change, so undoing a change of only removed participants reverts nothing visible.
            setScores(store, envelope, undone.deltas(), null);
            // Recorded on the board too: the undo is visible in history even when it reverted nothing
            // that is still on the board, and the reverted change's rows are "undone" by this row.
            store.recordBoardChange(envelope, undone.undoneSequenceNumber());
        } else if (event instanceof ParticipantRenamedEvent renamed) {
            ParticipantRow after = changed(store.renameParticipant(board, renamed.participantId(), renamed.name()),
                    store, envelope, renamed.participantId());
            store.recordParticipantChange(ParticipantChangeRow.of(envelope, after, null, null));
        } else if (event instanceof ParticipantRemovedEvent removed) {
            // Soft: the row, its name and last score stay for history; the reader no longer lists it.
            ParticipantRow after = changed(store.removeParticipant(board, removed.participantId(),
                    envelope.occurredAt()), store, envelope, removed.participantId());
            store.recordParticipantChange(ParticipantChangeRow.of(envelope, after, null, null));
        } else if (event instanceof ScoreboardRenamedEvent renamed) {
            store.renameBoard(board, renamed.name());
            store.recordBoardChange(envelope, null);
        } else if (event instanceof RankingRulesChangedEvent rules) {
            // Ranks are computed at read time (ScoreboardReader) from these two columns and each
            // participant's score_reached_position, so the board re-ranks with the next read.
            store.setRankingRules(board, rules.scoreOrder().name(), rules.ranking().name());
            store.recordBoardChange(envelope, null);
        } else if (event instanceof ScoreboardDeletedEvent) {
            setDeleted(store, envelope, true);
            store.recordBoardChange(envelope, null);
        } else if (event instanceof ScoreboardRestoredEvent) {
            setDeleted(store, envelope, false);
            store.recordBoardChange(envelope, null);
        } else if (event instanceof TeamCreatedEvent created) {
            TeamRow after = store.insertTeam(board, created.teamId(), created.name()).orElseThrow(() -> fail(envelope,
                    "team " + created.teamId() + " already exists on this board"));
            recordTeamChange(store, envelope, after);
        } else if (event instanceof TeamRenamedEvent renamed) {
            TeamRow after = changedTeam(store.renameTeam(board, renamed.teamId(), renamed.name()), store, envelope,
                    renamed.teamId());
            recordTeamChange(store, envelope, after);
        } else if (event instanceof TeamRemovedEvent removed) {
            TeamRow after = changedTeam(store.removeTeam(board, removed.teamId()), store, envelope, removed.teamId());
            // Its members stay on the board without a team, by this event alone: a history row each, so that
            // ?asOf= and the live stream see them leave.
            for (ParticipantRow member : store.clearTeam(board, removed.teamId())) {
                store.recordParticipantChange(ParticipantChangeRow.of(envelope, member, null, null));
            }
            recordTeamChange(store, envelope, after);
        } else if (event instanceof ParticipantTeamChangedEvent moved) {
            if (moved.teamId() != null) {
                changedTeam(store.team(board, moved.teamId()).filter(t -> !t.removed()), store, envelope,
                        moved.teamId());
            }
            ParticipantRow after = changed(store.setParticipantTeam(board, moved.participantId(), moved.teamId()),
                    store, envelope, moved.participantId());
            store.recordParticipantChange(ParticipantChangeRow.of(envelope, after, null, null));
        } else if (event instanceof ScoreboardRewoundEvent rewound) {
            // Teams first: a participant the rewind puts back in a team may need that team back.
            Map<UUID, Optional<TeamRow>> teams = new HashMap<>();
            for (RewoundTeam target : rewound.teams()) {
                if (teams.containsKey(target.teamId())) {
                    throw fail(envelope, "it rewinds team " + target.teamId() + " twice");
                }
                TeamRow after = store.setTeam(board, target).orElseThrow(() -> fail(envelope,
                        "it rewinds team " + target.teamId() + ", which is not on the board"));
                store.recordTeamChange(TeamChangeRow.of(envelope, after));
                teams.put(target.teamId(), Optional.of(after));
            }
            for (RewoundParticipant target : rewound.participants()) {
                ParticipantRow before = store.participant(board, target.participantId()).orElseThrow(() -> fail(envelope,
                        "it rewinds participant " + target.participantId() + ", which is not on the board"));
                if (target.teamId() != null) {
                    Optional<TeamRow> team = teams.get(target.teamId());
                    if (team == null) {
                        team = store.team(board, target.teamId());
                        teams.put(target.teamId(), team);
                    }
                    if (team.isEmpty() || (team.get().removed() && !target.removed())) {
                        throw fail(envelope, "it puts participant " + target.participantId() + " in team "
                                + target.teamId() + ", which " + (team.isEmpty() ? "is not on the board"
                                : "is removed"));
                    }
                }
                checkExact(envelope, target.participantId(), target.score(), target.score().subtract(before.score()));
                ParticipantRow after = changed(store.setParticipant(board, target, envelope.occurredAt()), store,
                        envelope, target.participantId());
                store.recordParticipantChange(ParticipantChangeRow.of(envelope, after,
                        after.score().subtract(before.score()), rewound.reason()));
            }
            // A team the rewind removes had no members then: every participant of it now is listed, teamless.
            for (RewoundTeam target : rewound.teams()) {
                if (target.removed() && !store.members(board, target.teamId()).isEmpty()) {
                    throw fail(envelope, "it removes team " + target.teamId() + " but leaves participants in it");
                }
            }
            // Recorded on the board too: a rewind that changed nothing is still an event of the board's history.
            store.recordBoardChange(envelope, null);
        } else if (event instanceof ScoreboardVisibilityChangedEvent changed) {
            store.setVisibility(board, changed.visibility().name());
            store.recordBoardChange(envelope, null);
        } else if (event instanceof TokenIssuedEvent issued) {
            if (!store.insertTokens(List.of(new TokenRow(board, issued.issuedTokenId(), issued.kind().name(),
                    issued.label(), issued.tokenHash(), envelope.occurredAt(), null)))) {
                throw fail(envelope, "the board already has token " + issued.issuedTokenId());
            }
            // The board's own columns do not change; its history still gets a row for the event, so that every
            // event of a board is in its history (the live stream and ?asOf= follow the board by them).
            store.recordBoardChange(envelope, null);
        } else if (event instanceof TokenRevokedEvent revoked) {
            if (!store.revokeToken(board, revoked.revokedTokenId(), envelope.occurredAt())) {
                throw fail(envelope, "it revokes token " + revoked.revokedTokenId()
                        + ", which the board does not have or revoked before");
            }
            store.recordBoardChange(envelope, null);
        } else {
            // The event type is known to the catalogue but not handled here: a new event type
            // must be taught to the projection before it is published, not silently ignored.
            throw fail(envelope, "no handler for event type " + envelope.type());
        }
        store.recordEvent(BoardEventRow.of(envelope));
        store.advanceBoard(board, envelope.sequenceNumber(), envelope.position(), envelope.occurredAt());
        return Outcome.APPLIED;
    }

    /** A round or an undo: every listed participant gets the score the event carries. */
    private static void setScores(ScoreboardStore store, EventEnvelope e, List<ScoreDelta> deltas, String reason)
            throws SQLException {
        Set<UUID> seen = new HashSet<>();
        for (ScoreDelta delta : deltas) {
            if (!seen.add(delta.participantId())) {
                throw fail(e, "participant " + delta.participantId() + " is listed twice; its resulting score "
                        + "is ambiguous");
            }
        }
        for (ScoreDelta delta : deltas) {
            setScore(store, e, delta, reason);
        }
    }

    /** A score and a delta the read model can hold exactly (it never rounds), or why not. */
    private static void checkExact(EventEnvelope e, UUID participantId, BigDecimal score, BigDecimal delta) {
        if (score.stripTrailingZeros().scale() > MAX_SCALE || score.abs().compareTo(SCORE_LIMIT) >= 0) {
            // numeric(19,4) would round or reject it; the read model never rounds a score.
            throw fail(e, "score " + score.toPlainString() + " of participant " + participantId
                    + " cannot be stored exactly: the read model holds |score| < 10^15 with at most "
                    + MAX_SCALE + " fractional digits");
        }
        if (delta.stripTrailingZeros().scale() > MAX_SCALE || delta.abs().compareTo(DELTA_LIMIT) >= 0) {
            throw fail(e, "delta " + delta.toPlainString() + " of participant " + participantId
                    + " cannot be stored exactly: a delta spans two scores (below 2 * 10^15, at most "
                    + MAX_SCALE + " fractional digits)");
        }
    }

    /** Sets the score the event carries and records the change (with its delta and reason) in history. */
    private static void setScore(ScoreboardStore store, EventEnvelope e, ScoreDelta change, String reason)
            throws SQLException {
        UUID participantId = change.participantId();
        BigDecimal score = change.score();
        checkExact(e, participantId, score, change.delta());
        ParticipantRow after = changed(store.setScore(e.scoreboardId(), participantId, score, e.position()),
                store, e, participantId);
        store.recordParticipantChange(ParticipantChangeRow.of(e, after, change.delta(), reason));
    }

    /** A team's row after an event changed it, and the board's: every event of a board leaves a board_changes row. */
    private static void recordTeamChange(ScoreboardStore store, EventEnvelope e, TeamRow after) throws SQLException {
        store.recordTeamChange(TeamChangeRow.of(e, after));
        store.recordBoardChange(e, null);
    }

    /** The team after a change (or a current team an event needs), or why there is none: never on the board, or removed. */
    private static TeamRow changedTeam(Optional<TeamRow> after, ScoreboardStore store, EventEnvelope e, UUID teamId)
            throws SQLException {
        if (after.isPresent()) {
            return after.get();
        }
        throw fail(e, store.team(e.scoreboardId(), teamId).isEmpty()
                ? "team " + teamId + " does not exist on this board"
                : "team " + teamId + " was removed from this board and cannot change or be joined");
    }

    /** The participant after a change, or why it could not be changed. */
    private static ParticipantRow changed(Optional<ParticipantRow> after, ScoreboardStore store, EventEnvelope e,
                                          UUID participantId) throws SQLException {
        if (after.isEmpty()) {
            throw notACurrentParticipant(store, e, participantId);
        }
        return after.get();
    }

    /** Why an event's participant cannot be changed: never on the board, or already removed from it. */
    private static ProjectionException notACurrentParticipant(ScoreboardStore store, EventEnvelope e,
                                                              UUID participantId) throws SQLException {
        Optional<Optional<Instant>> state = store.participantRemovedAt(e.scoreboardId(), participantId);
        if (state.isEmpty()) {
            return fail(e, "participant " + participantId + " does not exist on this board");
        }
        return fail(e, "participant " + participantId + " was removed from this board"
                + state.get().map(t -> " at " + t).orElse("") + " and cannot change any more");
    }

    /**
     * Soft delete and restore only flip the flag: participants, scores and rules stay, so a
     * restored board is exactly the board that was deleted. Deleting a deleted board (or restoring
     * one that is not deleted) means the read model and the command side disagree: loud.
     */
    private static void setDeleted(ScoreboardStore store, EventEnvelope e, boolean deleted) throws SQLException {
        if (!store.setDeleted(e.scoreboardId(), deleted)) {
            throw fail(e, deleted ? "the scoreboard is already deleted" : "the scoreboard is not deleted");
        }
    }

    /** An added participant's id is on the board already (a store that queues inserts finds it later). */
    static ProjectionException participantExists(EventEnvelope e, UUID participantId) {
        return fail(e, "participant " + participantId + " already exists on this board");
    }

    private static ProjectionException fail(EventEnvelope e, String problem) {
        return new ProjectionException(NAME, e, problem);
    }
}

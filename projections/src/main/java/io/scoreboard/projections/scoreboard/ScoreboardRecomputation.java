package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.projections.Projection;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The scoreboard projection computed in memory: the same {@link ScoreboardProjection} rules over a
 * map instead of the read database. A rebuild folds millions of events here and writes the result
 * in bulk; {@code verify} folds the topic up to the read model's checkpoints and compares board by
 * board. Memory grows with boards and participants, not with events: history rows go to a
 * {@link HistoryRows} sink as they are produced, and each board keeps only their {@link HistoryDigest}.
 *
 * <p>Not thread-safe; one fold per instance.
 */
public final class ScoreboardRecomputation implements ScoreboardStore {

    private final ScoreboardProjection projection = new ScoreboardProjection();
    private final Map<UUID, Board> boards = new LinkedHashMap<>();
    private final HistoryRows history;

    /** Whether each board keeps the digest of its history rows ({@link BoardRow#history()}). */
    private final boolean digests;

    /** A fold that keeps only each board's history digest (verification). */
    public ScoreboardRecomputation() {
        this(HistoryRows.DISCARD);
    }

    /** A fold that also hands every history row to {@code history}, keeping each board's digest as well. */
    public ScoreboardRecomputation(HistoryRows history) {
        this(history, true);
    }

    private ScoreboardRecomputation(HistoryRows history, boolean digests) {
        this.history = history;
        this.digests = digests;
    }

    /**
     * A rebuild's fold: every history row goes to {@code history}, and no digest is kept (its boards' rows say
     * {@link HistoryDigest#EMPTY}): hashing every row's text cost a rebuild a fifth of its fold, for digests nothing
     * read (verify recomputes its own).
     */
    public static ScoreboardRecomputation writingHistoryTo(HistoryRows history) {
        return new ScoreboardRecomputation(history, false);
    }

    /** Applies one event with the projection's rules; throws {@link io.scoreboard.projections.ProjectionException}. */
    public Projection.Outcome apply(EventEnvelope event) {
        try {
            return projection.apply(this, event);
        } catch (SQLException e) {
            throw new IllegalStateException("the in-memory store does no I/O", e);
        }
    }

    public int boardCount() {
        return boards.size();
    }

    /** The version reached by a board, if the fold has seen it. */
    public OptionalLong version(UUID scoreboardId) {
        Board b = boards.get(scoreboardId);
        return b == null ? OptionalLong.empty() : OptionalLong.of(b.version);
    }

    /** Hands every board to {@code sink} as read-model rows, one at a time (no second copy of the model). */
    public void forEachBoard(java.util.function.Consumer<BoardRow> sink) {
        boards.forEach((id, b) -> sink.accept(b.row(id)));
    }

    /**
     * Hands every team of every board to {@code sink} (board id, team), without building the boards' rows: a board
     * without teams costs a map lookup (the rebuild copies teams this way).
     */
    public void forEachTeam(java.util.function.BiConsumer<UUID, TeamRow> sink) {
        boards.forEach((id, b) -> {
            if (b.teams != null) {
                b.teams.forEach((tid, t) -> sink.accept(id, t));
            }
        });
    }

    /** Every board as read-model rows, in the order they were created. */
    public Map<UUID, BoardRow> boards() {
        Map<UUID, BoardRow> rows = new LinkedHashMap<>();
        boards.forEach((id, b) -> rows.put(id, b.row(id)));
        return rows;
    }

    @Override
    public OptionalLong lockBoardVersion(UUID scoreboardId) {
        return version(scoreboardId);
    }

    @Override
    public void insertBoard(EventEnvelope e, ScoreboardCreatedEvent created) {
        Board b = new Board();
        b.name = created.name();
        b.scoreOrder = created.scoreOrder().name();
        b.ranking = created.ranking().name();
        b.visibility = created.visibilityOrDefault().name();
        b.version = e.sequenceNumber();
        b.lastPosition = e.position();
        b.createdAt = e.occurredAt();
        b.updatedAt = e.occurredAt();
        boards.put(e.scoreboardId(), b);
    }

    @Override
    public Optional<ParticipantRow> insertParticipant(EventEnvelope e, UUID participantId, String name) {
        Map<UUID, Participant> participants = boards.get(e.scoreboardId()).participants;
        if (participants.containsKey(participantId)) {
            return Optional.empty();
        }
        Participant p = new Participant();
        p.name = name;
        p.score = BigDecimal.ZERO;
        p.scoreReachedPosition = e.position();
        participants.put(participantId, p);
        return Optional.of(p.row(participantId));
    }

    @Override
    public Optional<ParticipantRow> setScore(UUID scoreboardId, UUID participantId, BigDecimal score, long position) {
        Participant p = current(scoreboardId, participantId);
        if (p == null) {
            return Optional.empty();
        }
        if (p.score.compareTo(score) != 0) { // as numeric equality in SQL: 5 equals 5.0
            p.scoreReachedPosition = position;
        }
        p.score = score;
        return Optional.of(p.row(participantId));
    }

    @Override
    public Optional<ParticipantRow> renameParticipant(UUID scoreboardId, UUID participantId, String name) {
        Participant p = current(scoreboardId, participantId);
        if (p == null) {
            return Optional.empty();
        }
        p.name = name;
        return Optional.of(p.row(participantId));
    }

    @Override
    public Optional<ParticipantRow> removeParticipant(UUID scoreboardId, UUID participantId, Instant removedAt) {
        Participant p = current(scoreboardId, participantId);
        if (p == null) {
            return Optional.empty();
        }
        p.removedAt = removedAt;
        return Optional.of(p.row(participantId));
    }

    @Override
    public Optional<ParticipantRow> participant(UUID scoreboardId, UUID participantId) {
        Participant p = boards.get(scoreboardId).participants.get(participantId);
        return p == null ? Optional.empty() : Optional.of(p.row(participantId));
    }

    @Override
    public Optional<ParticipantRow> setParticipant(UUID scoreboardId, RewoundParticipant target, Instant at) {
        Participant p = boards.get(scoreboardId).participants.get(target.participantId());
        if (p == null) {
            return Optional.empty();
        }
        p.name = target.name();
        p.score = target.score();
        p.scoreReachedPosition = target.scoreReachedPosition();
        p.removedAt = target.removed() ? (p.removedAt == null ? at : p.removedAt) : null;
        p.teamId = target.teamId();
        return Optional.of(p.row(target.participantId()));
    }

    @Override
    public Optional<ParticipantRow> setParticipantTeam(UUID scoreboardId, UUID participantId, UUID teamId) {
        Participant p = current(scoreboardId, participantId);
        if (p == null) {
            return Optional.empty();
        }
        p.teamId = teamId;
        return Optional.of(p.row(participantId));
    }

    @Override
    public List<ParticipantRow> clearTeam(UUID scoreboardId, UUID teamId) {
        List<ParticipantRow> cleared = new ArrayList<>();
        boards.get(scoreboardId).participants.forEach((pid, p) -> {
            if (p.removedAt == null && teamId.equals(p.teamId)) {
                p.teamId = null;
                cleared.add(p.row(pid));
            }
        });
        return cleared;
    }

    @Override
    public List<ParticipantRow> members(UUID scoreboardId, UUID teamId) {
        List<ParticipantRow> members = new ArrayList<>();
        boards.get(scoreboardId).participants.forEach((pid, p) -> {
            if (p.removedAt == null && teamId.equals(p.teamId)) {
                members.add(p.row(pid));
            }
        });
        return members;
    }

    @Override
    public Optional<TeamRow> team(UUID scoreboardId, UUID teamId) {
        Map<UUID, TeamRow> teams = boards.get(scoreboardId).teams;
        return Optional.ofNullable(teams == null ? null : teams.get(teamId));
    }

    @Override
    public Optional<TeamRow> insertTeam(UUID scoreboardId, UUID teamId, String name) {
        Board b = boards.get(scoreboardId);
        if (b.teams == null) {
            b.teams = new LinkedHashMap<>(); // only boards with teams pay for the map
        }
        if (b.teams.containsKey(teamId)) {
            return Optional.empty();
        }
        TeamRow team = new TeamRow(teamId, name, false);
        b.teams.put(teamId, team);
        return Optional.of(team);
    }

    @Override
    public Optional<TeamRow> renameTeam(UUID scoreboardId, UUID teamId, String name) {
        return replaceTeam(scoreboardId, teamId, true, t -> new TeamRow(teamId, name, false));
    }

    @Override
    public Optional<TeamRow> removeTeam(UUID scoreboardId, UUID teamId) {
        return replaceTeam(scoreboardId, teamId, true, t -> new TeamRow(teamId, t.name(), true));
    }

    @Override
    public Optional<TeamRow> setTeam(UUID scoreboardId, RewoundTeam target) {
        return replaceTeam(scoreboardId, target.teamId(), false,
                t -> new TeamRow(target.teamId(), target.name(), target.removed()));
    }

    /** Replaces a team's row; empty when the board has no such team, or (if {@code current}) it is removed. */
    private Optional<TeamRow> replaceTeam(UUID scoreboardId, UUID teamId, boolean current,
                                          java.util.function.UnaryOperator<TeamRow> change) {
        Map<UUID, TeamRow> teams = boards.get(scoreboardId).teams;
        TeamRow before = teams == null ? null : teams.get(teamId);
        if (before == null || (current && before.removed())) {
            return Optional.empty();
        }
        TeamRow after = change.apply(before);
        teams.put(teamId, after);
        return Optional.of(after);
    }

    @Override
    public Optional<Optional<Instant>> participantRemovedAt(UUID scoreboardId, UUID participantId) {
        Board b = boards.get(scoreboardId);
        Participant p = b == null ? null : b.participants.get(participantId);
        return p == null ? Optional.empty() : Optional.of(Optional.ofNullable(p.removedAt));
    }

    @Override
    public boolean insertTokens(List<TokenRow> tokens) {
        for (TokenRow token : tokens) {
            if (boards.get(token.scoreboardId()).tokens.putIfAbsent(token.tokenId(), token) != null) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean revokeToken(UUID scoreboardId, UUID tokenId, Instant revokedAt) {
        Map<UUID, TokenRow> tokens = boards.get(scoreboardId).tokens;
        TokenRow token = tokens.get(tokenId);
        if (token == null || token.revokedAt() != null) {
            return false;
        }
        tokens.put(tokenId, token.revoked(revokedAt));
        return true;
    }

    @Override
    public void renameBoard(UUID scoreboardId, String name) {
        boards.get(scoreboardId).name = name;
    }

    @Override
    public void setRankingRules(UUID scoreboardId, String scoreOrder, String ranking) {
        Board b = boards.get(scoreboardId);
        b.scoreOrder = scoreOrder;
        b.ranking = ranking;
    }

    @Override
    public void setVisibility(UUID scoreboardId, String visibility) {
        boards.get(scoreboardId).visibility = visibility;
    }

    @Override
    public boolean setDeleted(UUID scoreboardId, boolean deleted) {
        Board b = boards.get(scoreboardId);
        if (b.deleted == deleted) {
            return false;
        }
        b.deleted = deleted;
        return true;
    }

    @Override
    public void advanceBoard(UUID scoreboardId, long sequenceNumber, long position, Instant occurredAt) {
        Board b = boards.get(scoreboardId);
        b.version = sequenceNumber;
        b.lastPosition = Math.max(b.lastPosition, position);
        b.updatedAt = occurredAt;
    }

    @Override
    public void recordBoardChange(EventEnvelope e, Long undoesSequenceNumber) {
        Board b = boards.get(e.scoreboardId());
        BoardChangeRow row = new BoardChangeRow(e.scoreboardId(), e.sequenceNumber(), e.position(), e.occurredAt(),
                e.type(), b.name, b.scoreOrder, b.ranking, b.deleted, undoesSequenceNumber, e.payload().tokenId());
        if (digests) {
            b.history = b.history.with(row);
        }
        history.board(row);
    }

    @Override
    public void recordEvent(BoardEventRow row) {
        Board b = boards.get(row.scoreboardId());
        if (digests) {
            b.history = b.history.with(row);
        }
        history.event(row);
    }

    @Override
    public void recordParticipantChange(ParticipantChangeRow row) {
        Board b = boards.get(row.scoreboardId());
        if (digests) {
            b.history = b.history.with(row);
        }
        history.participant(row);
    }

    @Override
    public void recordTeamChange(TeamChangeRow row) {
        Board b = boards.get(row.scoreboardId());
        if (digests) {
            b.history = b.history.with(row);
        }
        history.team(row);
    }

    /** Nothing is queued: every change is made in memory at once. */
    @Override
    public void flush() {
    }

    private Participant current(UUID scoreboardId, UUID participantId) {
        Participant p = boards.get(scoreboardId).participants.get(participantId);
        return p == null || p.removedAt != null ? null : p;
    }

    /** Mutable while folding; handed out only as {@link BoardRow}s. */
    private static final class Board {
        String name;
        String scoreOrder;
        String ranking;
        String visibility;
        boolean deleted;
        long version;
        long lastPosition;
        Instant createdAt;
        Instant updatedAt;
        HistoryDigest history = HistoryDigest.EMPTY;
        final Map<UUID, Participant> participants = new HashMap<>();
        final Map<UUID, TokenRow> tokens = new LinkedHashMap<>();
        /** Null until the board's first team. */
        Map<UUID, TeamRow> teams;

        BoardRow row(UUID id) {
            List<ParticipantRow> rows = new ArrayList<>(participants.size());
            participants.forEach((pid, p) -> rows.add(p.row(pid)));
            return new BoardRow(id, name, scoreOrder, ranking, visibility, deleted, version, lastPosition, createdAt,
                    updatedAt, rows, List.copyOf(tokens.values()), teams == null ? List.of() : List.copyOf(teams.values()),
                    history);
        }
    }

    private static final class Participant {
        String name;
        BigDecimal score;
        long scoreReachedPosition;
        Instant removedAt;
        UUID teamId;

        ParticipantRow row(UUID id) {
            return new ParticipantRow(id, name, score, scoreReachedPosition, removedAt != null, removedAt, teamId);
        }
    }
}

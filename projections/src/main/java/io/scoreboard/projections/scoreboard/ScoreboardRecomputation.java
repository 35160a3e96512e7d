package io.scoreboard.projections.scoreboard;

import io.scoreboard.events.EventEnvelope;
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
 * board. Memory grows with boards and participants, not with events.
 *
 * <p>Not thread-safe; one fold per instance.
 */
public final class ScoreboardRecomputation implements ScoreboardStore {

    private final ScoreboardProjection projection = new ScoreboardProjection();
    private final Map<UUID, Board> boards = new LinkedHashMap<>();

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
        b.version = e.sequenceNumber();
        b.lastPosition = e.position();
        b.createdAt = e.occurredAt();
        b.updatedAt = e.occurredAt();
        boards.put(e.scoreboardId(), b);
    }

    @Override
    public boolean insertParticipant(UUID scoreboardId, UUID participantId, String name, long position) {
        Map<UUID, Participant> participants = boards.get(scoreboardId).participants;
        if (participants.containsKey(participantId)) {
            return false;
        }
        Participant p = new Participant();
        p.name = name;
        p.score = BigDecimal.ZERO;
        p.scoreReachedPosition = position;
        participants.put(participantId, p);
        return true;
    }

    @Override
    public boolean setScore(UUID scoreboardId, UUID participantId, BigDecimal score, long position) {
        Participant p = current(scoreboardId, participantId);
        if (p == null) {
            return false;
        }
        if (p.score.compareTo(score) != 0) { // as numeric equality in SQL: 5 equals 5.0
            p.scoreReachedPosition = position;
        }
        p.score = score;
        return true;
    }

    @Override
    public boolean renameParticipant(UUID scoreboardId, UUID participantId, String name) {
        Participant p = current(scoreboardId, participantId);
        if (p == null) {
            return false;
        }
        p.name = name;
        return true;
    }

    @Override
    public boolean removeParticipant(UUID scoreboardId, UUID participantId, Instant removedAt) {
        Participant p = current(scoreboardId, participantId);
        if (p == null) {
            return false;
        }
        p.removedAt = removedAt;
        return true;
    }

    @Override
    public Optional<Optional<Instant>> participantRemovedAt(UUID scoreboardId, UUID participantId) {
        Board b = boards.get(scoreboardId);
        Participant p = b == null ? null : b.participants.get(participantId);
        return p == null ? Optional.empty() : Optional.of(Optional.ofNullable(p.removedAt));
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

    private Participant current(UUID scoreboardId, UUID participantId) {
        Participant p = boards.get(scoreboardId).participants.get(participantId);
        return p == null || p.removedAt != null ? null : p;
    }

    /** Mutable while folding; handed out only as {@link BoardRow}s. */
    private static final class Board {
        String name;
        String scoreOrder;
        String ranking;
        boolean deleted;
        long version;
        long lastPosition;
        Instant createdAt;
        Instant updatedAt;
        final Map<UUID, Participant> participants = new HashMap<>();

        BoardRow row(UUID id) {
            List<ParticipantRow> rows = new ArrayList<>(participants.size());
            participants.forEach((pid, p) -> rows.add(new ParticipantRow(pid, p.name, p.score, p.scoreReachedPosition,
                    p.removedAt != null, p.removedAt)));
            return new BoardRow(id, name, scoreOrder, ranking, deleted, version, lastPosition, createdAt, updatedAt,
                    rows);
        }
    }

    private static final class Participant {
        String name;
        BigDecimal score;
        long scoreReachedPosition;
        Instant removedAt;
    }
}

package io.scoreboard.operator.verify;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.readmodel.ReadModelTables;
import io.scoreboard.operator.source.StoredEvents;
import io.scoreboard.operator.source.TopicEvents;
import io.scoreboard.projections.ProjectionException;
import io.scoreboard.projections.checkpoint.PartitionCheckpoint;
import io.scoreboard.projections.checkpoint.ProjectionCheckpoints;
import io.scoreboard.projections.scoreboard.BoardRow;
import io.scoreboard.projections.scoreboard.ReadModelRows;
import io.scoreboard.projections.scoreboard.ScoreboardProjection;
import io.scoreboard.projections.scoreboard.ScoreboardRecomputation;
import java.sql.Connection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The read model against a fresh recomputation. Its checkpoints say exactly which topic records it
 * reflects (they commit with its changes), so checkpoints and boards are read in one snapshot, and
 * the topic is folded in memory ({@link ScoreboardRecomputation}, the live projection's rules) up to
 * exactly those offsets; then the boards are compared one by one.
 */
final class ReadModelCheck implements TopicEvents.RecordSink {

    private final Differences differences;
    private final Map<Integer, Long> checkpoints;
    private final Map<UUID, BoardRow> readModel;
    private final ScoreboardRecomputation recomputation = new ScoreboardRecomputation();
    /** Boards whose events cannot be folded: reported once, not compared. */
    private final Set<UUID> unfoldable = new HashSet<>();
    private boolean comparable = true;
    private long folded;

    private ReadModelCheck(Differences differences, Map<Integer, Long> checkpoints, Map<UUID, BoardRow> readModel) {
        this.differences = differences;
        this.checkpoints = checkpoints;
        this.readModel = readModel;
    }

    /** Reads the checkpoints and every board in one snapshot of the read database. */
    static ReadModelCheck snapshot(Target target, Differences differences) throws Exception {
        try (Connection c = target.openRead()) {
            ReadModelTables.use(c);
            StoredEvents.beginSnapshot(c);
            Map<Integer, Long> checkpoints = new TreeMap<>();
            for (PartitionCheckpoint cp : new ProjectionCheckpoints()
                    .load(c, ScoreboardProjection.NAME, target.topic()).values()) {
                checkpoints.put(cp.partition(), cp.nextOffset());
            }
            Map<UUID, BoardRow> boards = new LinkedHashMap<>();
            ReadModelRows.forEach(c, row -> boards.put(row.scoreboardId(), row));
            c.rollback();
            return new ReadModelCheck(differences, checkpoints, boards);
        }
    }

    /** The checkpoints must lie within the topic; past its end the read model read another topic's records. */
    void requireWithin(Map<Integer, Long> endOffsets) {
        checkpoints.forEach((partition, next) -> {
            Long end = endOffsets.get(partition);
            if (end == null || next > end) {
                comparable = false;
                differences.add(new Difference(Difference.Kind.CHECKPOINT_PAST_TOPIC_END, null, null, -1, -1,
                        "the read model's checkpoint for partition " + partition + " is offset " + next
                                + ", the topic's end is " + (end == null ? "(no such partition)" : end)));
            }
        });
    }

    @Override
    public void accept(int partition, long offset, EventEnvelope e) {
        if (!comparable || offset >= checkpoints.getOrDefault(partition, 0L) || unfoldable.contains(e.scoreboardId())) {
            return;
        }
        try {
            recomputation.apply(e);
            folded++;
        } catch (ProjectionException ex) {
            unfoldable.add(e.scoreboardId());
            differences.add(new Difference(Difference.Kind.READ_MODEL_BOARD_DIFFERS, e.eventId(), e.scoreboardId(),
                    e.sequenceNumber(), e.position(), "the board cannot be recomputed from the topic (the live "
                    + "projection stops here too): " + ex.getMessage()));
        }
    }

    /** After the topic was read up to the checkpoints: every board compared. */
    void compare() {
        if (!comparable) {
            return;
        }
        Map<UUID, BoardRow> recomputed = recomputation.boards();
        Map<UUID, BoardRow> remaining = new HashMap<>(readModel);
        recomputed.forEach((id, fromEvents) -> {
            BoardRow row = remaining.remove(id);
            if (unfoldable.contains(id)) {
                return;
            }
            if (row == null) {
                differences.add(new Difference(Difference.Kind.BOARD_MISSING_FROM_READ_MODEL, null, id, -1,
                        fromEvents.lastPosition(), "the events below the checkpoints create it; the read model "
                        + "has no such board"));
            } else if (!row.checksum().equals(fromEvents.checksum())) {
                differences.add(new Difference(Difference.Kind.READ_MODEL_BOARD_DIFFERS, null, id, -1, row.lastPosition(),
                        "checksum " + row.checksum() + ", recomputed " + fromEvents.checksum() + ": "
                                + BoardComparison.describe(row, fromEvents)));
            }
        });
        remaining.forEach((id, row) -> {
            if (!unfoldable.contains(id)) {
                differences.add(new Difference(Difference.Kind.READ_MODEL_BOARD_NOT_IN_EVENTS, null, id, -1, row.lastPosition(),
                        "no event below the checkpoints creates this board"));
            }
        });
    }

    Map<Integer, Long> checkpoints() {
        return checkpoints;
    }

    int readModelBoards() {
        return readModel.size();
    }

    long foldedEvents() {
        return folded;
    }
}

package io.scoreboard.operator.verify;

import io.scoreboard.projections.scoreboard.BoardRow;
import io.scoreboard.projections.scoreboard.ParticipantRow;
import io.scoreboard.projections.scoreboard.TeamRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/** What differs between a read-model board and the same board recomputed from events, for the operator. */
final class BoardComparison {

    private BoardComparison() {}

    static String describe(BoardRow readModel, BoardRow recomputed) {
        List<String> fields = new ArrayList<>();
        compare(fields, "name", readModel.name(), recomputed.name());
        compare(fields, "scoreOrder", readModel.scoreOrder(), recomputed.scoreOrder());
        compare(fields, "ranking", readModel.ranking(), recomputed.ranking());
        compare(fields, "deleted", readModel.deleted(), recomputed.deleted());
        compare(fields, "version", readModel.version(), recomputed.version());
        compare(fields, "lastPosition", readModel.lastPosition(), recomputed.lastPosition());
        compare(fields, "createdAt", readModel.createdAt(), recomputed.createdAt());
        compare(fields, "updatedAt", readModel.updatedAt(), recomputed.updatedAt());
        compare(fields, "history", readModel.history(), recomputed.history());
        Map<UUID, ParticipantRow> inReadModel = byId(readModel);
        Map<UUID, ParticipantRow> inEvents = byId(recomputed);
        for (UUID id : union(inReadModel, inEvents)) {
            ParticipantRow r = inReadModel.get(id);
            ParticipantRow e = inEvents.get(id);
            if (r == null || e == null) {
                fields.add("participant " + id + (r == null ? " missing from the read model" : " not in the events"));
                continue;
            }
            String prefix = "participant " + id + " ";
            compare(fields, prefix + "name", r.name(), e.name());
            compare(fields, prefix + "score", r.score().toPlainString(), e.score().toPlainString());
            compare(fields, prefix + "scoreReachedPosition", r.scoreReachedPosition(), e.scoreReachedPosition());
            compare(fields, prefix + "removed", r.removed(), e.removed());
            compare(fields, prefix + "removedAt", r.removedAt(), e.removedAt());
            compare(fields, prefix + "teamId", r.teamId(), e.teamId());
        }
        Map<UUID, TeamRow> teamsInReadModel = teamsById(readModel);
        Map<UUID, TeamRow> teamsInEvents = teamsById(recomputed);
        for (UUID id : union(teamsInReadModel, teamsInEvents)) {
            TeamRow r = teamsInReadModel.get(id);
            TeamRow e = teamsInEvents.get(id);
            if (r == null || e == null) {
                fields.add("team " + id + (r == null ? " missing from the read model" : " not in the events"));
                continue;
            }
            compare(fields, "team " + id + " name", r.name(), e.name());
            compare(fields, "team " + id + " removed", r.removed(), e.removed());
        }
        return fields.isEmpty() ? "checksums differ" : String.join(", ", fields);
    }

    private static void compare(List<String> fields, String name, Object readModel, Object events) {
        if (!Objects.equals(readModel, events)) {
            fields.add(name + " (read model " + readModel + ", events " + events + ")");
        }
    }

    private static Map<UUID, ParticipantRow> byId(BoardRow board) {
        Map<UUID, ParticipantRow> m = new TreeMap<>();
        board.participants().forEach(p -> m.put(p.participantId(), p));
        return m;
    }

    private static Map<UUID, TeamRow> teamsById(BoardRow board) {
        Map<UUID, TeamRow> m = new TreeMap<>();
        board.teams().forEach(t -> m.put(t.teamId(), t));
        return m;
    }

    private static List<UUID> union(Map<UUID, ?> a, Map<UUID, ?> b) {
        TreeMap<UUID, Boolean> all = new TreeMap<>();
        a.keySet().forEach(id -> all.put(id, true));
        b.keySet().forEach(id -> all.put(id, true));
        return List.copyOf(all.keySet());
    }
}

package io.scoreboard.query.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import java.util.List;
import java.util.UUID;

/** {@code GET /api/v1/scoreboards/{id}}: the board with its participants sorted by rank. */
public record ScoreboardResponse(
        UUID scoreboardId,
        String name,
        ScoreOrder scoreOrder,
        Ranking ranking,
        boolean deleted,
        long version,
        List<ParticipantResponse> participants) {

    static ScoreboardResponse from(ScoreboardView view) {
        return new ScoreboardResponse(view.scoreboardId(), view.name(), view.scoreOrder(), view.ranking(),
                view.deleted(), view.version(),
                ParticipantResponse.listOf(view));
    }
}

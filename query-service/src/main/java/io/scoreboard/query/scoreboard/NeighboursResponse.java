package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.BoardSlice;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/scoreboards/{id}/participants/{pid}/around}: the participant and its neighbours
 * in rank order (fewer near either end of the board).
 */
public record NeighboursResponse(
        UUID scoreboardId,
        UUID participantId,
        long version,
        List<ParticipantResponse> participants) {

    static NeighboursResponse from(BoardSlice around, UUID participantId) {
        return new NeighboursResponse(around.board().scoreboardId(), participantId, around.board().version(),
                ParticipantResponse.listOf(around.board()));
    }
}

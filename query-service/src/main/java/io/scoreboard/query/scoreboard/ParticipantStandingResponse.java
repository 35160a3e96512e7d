package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.BoardSlice;
import io.scoreboard.projections.scoreboard.RankedParticipant;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.util.UUID;

/** {@code GET /api/v1/scoreboards/{id}/participants/{pid}}: one participant's score and rank on the board. */
public record ParticipantStandingResponse(
        UUID scoreboardId,
        UUID participantId,
        String name,
        BigDecimal score,
        long rank,
        long version,
        @Schema(types = {"string", "null"}, format = "uuid", description = "the participant's team; null: none") UUID teamId) {

    /** From a slice of radius 0: the participant alone. */
    static ParticipantStandingResponse from(BoardSlice alone) {
        RankedParticipant p = alone.board().participants().get(0);
        return new ParticipantStandingResponse(alone.board().scoreboardId(), p.participantId(), p.name(), p.score(),
                p.rank(), alone.board().version(), p.teamId());
    }
}

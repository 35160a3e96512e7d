package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.RankedParticipant;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * A participant's exact score (a JSON number, never through a double), its rank, from 1, and its team
 * ({@code teamId} null: none).
 */
public record ParticipantResponse(UUID participantId, String name, BigDecimal score, long rank,
                                  @Schema(types = {"string", "null"}, format = "uuid", description = "the participant's team; null: none")
                                  UUID teamId) {

    static ParticipantResponse from(RankedParticipant p) {
        return new ParticipantResponse(p.participantId(), p.name(), p.score(), p.rank(), p.teamId());
    }

    static List<ParticipantResponse> listOf(ScoreboardView board) {
        return board.participants().stream().map(ParticipantResponse::from).toList();
    }
}

package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.RankedParticipant;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** A participant's exact score (a JSON number, never through a double) and its rank, from 1. */
public record ParticipantResponse(UUID participantId, String name, BigDecimal score, long rank) {

    static ParticipantResponse from(RankedParticipant p) {
        return new ParticipantResponse(p.participantId(), p.name(), p.score(), p.rank());
    }

    static List<ParticipantResponse> listOf(ScoreboardView board) {
        return board.participants().stream().map(ParticipantResponse::from).toList();
    }
}

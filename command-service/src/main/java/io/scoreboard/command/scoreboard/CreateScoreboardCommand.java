package io.scoreboard.command.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import java.util.List;
import java.util.UUID;

/** Create a board with its first participants. Ids and token hashes are chosen by the caller. */
public record CreateScoreboardCommand(
        UUID scoreboardId,
        String name,
        ScoreOrder scoreOrder,
        Ranking ranking,
        List<NewParticipant> participants,
        String adminTokenHash,
        String scorekeeperTokenHash) {

    public record NewParticipant(UUID participantId, String name) {}
}

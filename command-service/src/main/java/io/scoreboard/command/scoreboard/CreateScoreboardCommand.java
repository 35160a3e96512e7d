package io.scoreboard.command.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.Visibility;
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
        String scorekeeperTokenHash,
        Visibility visibility) {

    /** A public board. */
    public CreateScoreboardCommand(UUID scoreboardId, String name, ScoreOrder scoreOrder, Ranking ranking,
                                   List<NewParticipant> participants, String adminTokenHash,
                                   String scorekeeperTokenHash) {
        this(scoreboardId, name, scoreOrder, ranking, participants, adminTokenHash, scorekeeperTokenHash,
                Visibility.PUBLIC);
    }

    public record NewParticipant(UUID participantId, String name) {}
}

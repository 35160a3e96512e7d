package io.scoreboard.command.scoreboard;

import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.TokenKind;
import io.scoreboard.events.Visibility;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The commands on an existing board, one record each (creation is {@link CreateScoreboardCommand}). */
public final class ScoreboardCommands {

    private ScoreboardCommands() {}

    /** Any of name, score order, ranking and visibility; null means unchanged. */
    public record ChangeBoardSettingsCommand(@TargetAggregateIdentifier UUID scoreboardId, String name,
                                             ScoreOrder scoreOrder, Ranking ranking, Visibility visibility,
                                             String tokenHash, Long expectedVersion) implements BoardCommand {

        /** Name, score order and ranking only. */
        public ChangeBoardSettingsCommand(UUID scoreboardId, String name, ScoreOrder scoreOrder, Ranking ranking,
                                          String tokenHash, Long expectedVersion) {
            this(scoreboardId, name, scoreOrder, ranking, null, tokenHash, expectedVersion);
        }
    }

    public record DeleteScoreboardCommand(@TargetAggregateIdentifier UUID scoreboardId, String tokenHash,
                                          Long expectedVersion) implements BoardCommand {}

    public record RestoreScoreboardCommand(@TargetAggregateIdentifier UUID scoreboardId, String tokenHash,
                                           Long expectedVersion) implements BoardCommand {}

    public record AddParticipantCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID participantId, String name,
                                        String tokenHash, Long expectedVersion) implements BoardCommand {}

    public record RenameParticipantCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID participantId,
                                           String name, String tokenHash, Long expectedVersion)
            implements BoardCommand {}

    public record RemoveParticipantCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID participantId,
                                           String tokenHash, Long expectedVersion) implements BoardCommand {}

    public record ChangeScoreCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID participantId,
                                     BigDecimal delta, String reason, String tokenHash, Long expectedVersion)
            implements BoardCommand {}

    public record SetScoreCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID participantId, BigDecimal score,
                                  String reason, String tokenHash, Long expectedVersion) implements BoardCommand {}

    /** Several participants' deltas at once; all or nothing. */
    public record RecordRoundCommand(@TargetAggregateIdentifier UUID scoreboardId, String comment,
                                     Map<UUID, BigDecimal> deltas, String tokenHash, Long expectedVersion)
            implements BoardCommand {}

    /**
     * A new token of {@code kind} for the board; the controller made it and sends only its hash
     * ({@code newTokenHash}), so the secret is in no command, event or log.
     */
    public record IssueTokenCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID newTokenId, TokenKind kind,
                                    String label, String newTokenHash, String tokenHash, Long expectedVersion)
            implements BoardCommand {}

    public record RevokeTokenCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID revokedTokenId,
                                     String tokenHash, Long expectedVersion) implements BoardCommand {}

    /** A new team (no members yet); the controller made its id, as it does a participant's. */
    public record CreateTeamCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID teamId, String name,
                                    String tokenHash, Long expectedVersion) implements BoardCommand {}

    public record RenameTeamCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID teamId, String name,
                                    String tokenHash, Long expectedVersion) implements BoardCommand {}

    /** The team goes; its members stay on the board, without a team. */
    public record RemoveTeamCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID teamId, String tokenHash,
                                    Long expectedVersion) implements BoardCommand {}

    /** Puts a participant into a team, moves it to another, or ({@code teamId} null) takes it out of its team. */
    public record ChangeParticipantTeamCommand(@TargetAggregateIdentifier UUID scoreboardId, UUID participantId,
                                               UUID teamId, String tokenHash, Long expectedVersion)
            implements BoardCommand {}

    /** Back to how the board stood at {@code to}, recorded as a new event; {@code reason} is optional. */
    public record RewindCommand(@TargetAggregateIdentifier UUID scoreboardId, Instant to, String reason,
                                String tokenHash, Long expectedVersion) implements BoardCommand {}

    public record UndoCommand(@TargetAggregateIdentifier UUID scoreboardId, String tokenHash, Long expectedVersion)
            implements BoardCommand {}
}

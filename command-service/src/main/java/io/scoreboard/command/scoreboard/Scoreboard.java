package io.scoreboard.command.scoreboard;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreboardCreatedEvent;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The scoreboard aggregate. Command handlers check the rules and apply events; only the event
 * sourcing handlers change state, so replaying history always rebuilds the same board.
 */
@Aggregate
public class Scoreboard {

    @AggregateIdentifier
    private UUID scoreboardId;
    private String adminTokenHash;
    private String scorekeeperTokenHash;
    private final Map<UUID, BigDecimal> scores = new HashMap<>();
    /** Sequence number of the last event: the board's version. */
    private long version;

    protected Scoreboard() {
        // for Axon: the board is rebuilt from its events
    }

    @CommandHandler
    public Scoreboard(CreateScoreboardCommand command) {
        String name = Names.requireValid(command.name(), "name");
        Set<String> seen = new HashSet<>();
        for (CreateScoreboardCommand.NewParticipant p : command.participants()) {
            String participantName = Names.requireValid(p.name(), "participant name");
            if (!seen.add(nameKey(participantName))) {
                throw new CommandRejectedException(ErrorCode.INVALID_INPUT,
                        "participant name '" + participantName + "' appears twice (names are case-insensitive)");
            }
        }
        apply(new ScoreboardCreatedEvent(command.scoreboardId(), name, command.scoreOrder(), command.ranking(),
                command.adminTokenHash(), command.scorekeeperTokenHash()));
        for (CreateScoreboardCommand.NewParticipant p : command.participants()) {
            apply(new ParticipantAddedEvent(command.scoreboardId(), p.participantId(), p.name().strip()));
        }
    }

    @CommandHandler
    public ScoreChangeOutcome handle(ChangeScoreCommand command) {
        requireScorekeeper(command.tokenHash());
        BigDecimal current = scores.get(command.participantId());
        if (current == null) {
            throw new CommandRejectedException(ErrorCode.PARTICIPANT_NOT_FOUND,
                    "participant " + command.participantId() + " is not on scoreboard " + scoreboardId);
        }
        BigDecimal delta = Scores.requireValid(command.delta(), "delta");
        BigDecimal result = Scores.add(current, delta);
        apply(new ScoreChangedEvent(scoreboardId, command.participantId(), delta, result, reason(command.reason())));
        return new ScoreChangeOutcome(result, version);
    }

    @EventSourcingHandler
    void on(ScoreboardCreatedEvent event, @SequenceNumber long sequenceNumber) {
        scoreboardId = event.scoreboardId();
        adminTokenHash = event.adminTokenHash();
        scorekeeperTokenHash = event.scorekeeperTokenHash();
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ParticipantAddedEvent event, @SequenceNumber long sequenceNumber) {
        scores.put(event.participantId(), BigDecimal.ZERO);
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ScoreChangedEvent event, @SequenceNumber long sequenceNumber) {
        scores.put(event.participantId(), event.score());
        version = sequenceNumber;
    }

    /** Score changes are allowed to the scorekeeper token and to the admin token. */
    private void requireScorekeeper(String tokenHash) {
        if (!AccessTokens.matches(adminTokenHash, tokenHash) && !AccessTokens.matches(scorekeeperTokenHash, tokenHash)) {
            throw new CommandRejectedException(ErrorCode.FORBIDDEN,
                    "the bearer token is not valid for scoreboard " + scoreboardId);
        }
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        return Names.requireValid(reason, "reason");
    }

    private static String nameKey(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}

package io.scoreboard.command.scoreboard;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.scoreboard.command.scoreboard.ScoreboardCommands.AddParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeBoardSettingsCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeParticipantTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.CreateTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RemoveTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RenameTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeScoreCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.DeleteScoreboardCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.IssueTokenCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RecordRoundCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RemoveParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RenameParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RestoreScoreboardCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RewindCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RevokeTokenCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.SetScoreCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.UndoCommand;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ParticipantRemovedEvent;
import io.scoreboard.events.ParticipantRenamedEvent;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.RankingRulesChangedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreDelta;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardDeletedEvent;
import io.scoreboard.events.ScoreboardRenamedEvent;
import io.scoreboard.events.ScoreboardRestoredEvent;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.ScoreboardVisibilityChangedEvent;
import io.scoreboard.events.Visibility;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.events.TeamRenamedEvent;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenKind;
import io.scoreboard.events.TokenRevokedEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The scoreboard aggregate. Command handlers check the rules and apply events; only the event
 * sourcing handlers change state, so replaying history always rebuilds the same board.
 */
@Aggregate(repository = "scoreboardRepository", commandTargetResolver = "boardCommandTargetResolver")
public class Scoreboard {

    @AggregateIdentifier
    private UUID scoreboardId;
    private BoardCredentials credentials;
    private String name;
    private ScoreOrder scoreOrder;
    private Ranking ranking;
    private Visibility visibility;
    private Instant createdAt;
    private boolean deleted;
    /** In the order they joined; removed ones stay (with their last score) but are inactive. */
    private final Map<UUID, Participant> participants = new LinkedHashMap<>();
    /** In the order they were created; removed ones stay (a rewind may bring them back) but are inactive. */
    private final Map<UUID, Team> teams = new LinkedHashMap<>();
    /**
     * The deltas of its latest undoable changes a board keeps in memory (at least its latest change, whatever
     * its size). Older ones stay in the event store, where undo finds them when it gets that far
     * ({@link UndoHistory}, docs/adr/0026): a board's memory is bounded by its participants and this, never by
     * the length of its history. Small (docs/adr/0031): with 4,096, a thousand busy boards outgrew the kept-board
     * cache and every write replayed its board's whole history; undo past 64 deltas in a row is rare.
     */
    public static final int UNDO_WINDOW_DELTAS = 64;

    /** The latest score changes and rounds that have not been undone, latest last (at most the window). */
    private final Deque<Undoable> undoable = new ArrayDeque<>();
    /** How many score deltas {@link #undoable} holds, kept as it changes (the board's weight, {@link #footprint}). */
    private long undoableDeltas;
    /** Whether changes fell out of {@link #undoable} not undone: undo then looks in the store once it is empty. */
    private boolean olderUndoableInStore;
    /** Sequence number of the last event: the board's version. */
    private long version;

    protected Scoreboard() {
        // for Axon: the board is rebuilt from its events
    }

    @CommandHandler
    public Scoreboard(CreateScoreboardCommand command, ScoreboardLimits limits) {
        String boardName = Names.requireValid(command.name(), "name");
        if (command.participants().size() > limits.maxParticipants()) {
            throw tooManyParticipants(limits);
        }
        Set<String> seen = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (CreateScoreboardCommand.NewParticipant p : command.participants()) {
            String participantName = Names.requireValid(p.name(), "participant name");
            if (!seen.add(nameKey(participantName))) {
                throw new CommandRejectedException(ErrorCode.DUPLICATE_PARTICIPANT_NAME,
                        "participant name '" + participantName + "' appears twice (names are case-insensitive)");
            }
            names.add(participantName);
        }
        apply(new ScoreboardCreatedEvent(command.scoreboardId(), boardName, command.scoreOrder(), command.ranking(),
                command.adminTokenHash(), command.scorekeeperTokenHash(),
                command.visibility() == null ? Visibility.PUBLIC : command.visibility()));
        for (int i = 0; i < names.size(); i++) {
            apply(new ParticipantAddedEvent(command.scoreboardId(), command.participants().get(i).participantId(),
                    names.get(i)));
        }
    }

    @CommandHandler
    public CommandOutcome handle(ChangeBoardSettingsCommand command) {
        UUID writer = requireActive(command, Access.ADMIN);
        if (command.name() == null && command.scoreOrder() == null && command.ranking() == null
                && command.visibility() == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, "nothing to change: give at least one of "
                    + "\"name\", \"scoreOrder\", \"ranking\", \"visibility\"");
        }
        if (command.name() != null) {
            String newName = Names.requireValid(command.name(), "name");
            if (!newName.equals(name)) {
                apply(new ScoreboardRenamedEvent(scoreboardId, newName, writer));
            }
        }
        ScoreOrder newOrder = command.scoreOrder() == null ? scoreOrder : command.scoreOrder();
        Ranking newRanking = command.ranking() == null ? ranking : command.ranking();
        if (newOrder != scoreOrder || newRanking != ranking) {
            apply(new RankingRulesChangedEvent(scoreboardId, newOrder, newRanking, writer));
        }
        if (command.visibility() != null && command.visibility() != visibility) {
            apply(new ScoreboardVisibilityChangedEvent(scoreboardId, command.visibility(), writer));
        }
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(DeleteScoreboardCommand command) {
        UUID writer = requireActive(command, Access.ADMIN);
        apply(new ScoreboardDeletedEvent(scoreboardId, writer));
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(RestoreScoreboardCommand command) {
        UUID writer = requireAccess(command, Access.ADMIN);
        if (!deleted) {
            throw new CommandRejectedException(ErrorCode.SCOREBOARD_NOT_DELETED,
                    "scoreboard " + scoreboardId + " is not deleted: nothing to restore");
        }
        apply(new ScoreboardRestoredEvent(scoreboardId, writer));
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(AddParticipantCommand command, ScoreboardLimits limits) {
        UUID writer = requireActive(command, Access.ADMIN);
        String participantName = Names.requireValid(command.name(), "participant name");
        if (activeParticipants() >= limits.maxParticipants()) {
            throw tooManyParticipants(limits);
        }
        requireNameFree(participantName, null);
        apply(new ParticipantAddedEvent(scoreboardId, command.participantId(), participantName, writer));
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(RenameParticipantCommand command) {
        UUID writer = requireActive(command, Access.ADMIN);
        Participant participant = activeParticipant(command.participantId());
        String newName = Names.requireValid(command.name(), "participant name");
        if (!newName.equals(participant.name())) {
            requireNameFree(newName, command.participantId());
            apply(new ParticipantRenamedEvent(scoreboardId, command.participantId(), newName, writer));
        }
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(RemoveParticipantCommand command) {
        UUID writer = requireActive(command, Access.ADMIN);
        activeParticipant(command.participantId());
        apply(new ParticipantRemovedEvent(scoreboardId, command.participantId(), writer));
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(CreateTeamCommand command, ScoreboardLimits limits) {
        UUID writer = requireActive(command, Access.ADMIN);
        String teamName = Names.requireValid(command.name(), "team name");
        if (activeTeams() >= limits.maxTeams()) {
            throw new CommandRejectedException(ErrorCode.LIMIT_EXCEEDED, "a board holds at most " + limits.maxTeams()
                    + " teams that are not removed (setting scoreboard.limits.max-teams); remove one first");
        }
        requireTeamNameFree(teamName, null);
        apply(new TeamCreatedEvent(scoreboardId, command.teamId(), teamName, writer));
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(RenameTeamCommand command) {
        UUID writer = requireActive(command, Access.ADMIN);
        Team team = activeTeam(command.teamId());
        String newName = Names.requireValid(command.name(), "team name");
        if (!newName.equals(team.name())) {
            requireTeamNameFree(newName, command.teamId());
            apply(new TeamRenamedEvent(scoreboardId, command.teamId(), newName, writer));
        }
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(RemoveTeamCommand command) {
        UUID writer = requireActive(command, Access.ADMIN);
        activeTeam(command.teamId());
        apply(new TeamRemovedEvent(scoreboardId, command.teamId(), writer));
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(ChangeParticipantTeamCommand command) {
        UUID writer = requireActive(command, Access.ADMIN);
        Participant participant = activeParticipant(command.participantId());
        if (command.teamId() != null) {
            activeTeam(command.teamId());
        }
        if (!Objects.equals(command.teamId(), participant.teamId())) {
            apply(new ParticipantTeamChangedEvent(scoreboardId, command.participantId(), command.teamId(), writer));
        }
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(ChangeScoreCommand command) {
        UUID writer = requireActive(command, Access.SCOREKEEPER);
        Participant participant = activeParticipant(command.participantId());
        BigDecimal delta = Scores.requireValid(command.delta(), "delta");
        BigDecimal result = Scores.add(participant.score(), delta);
        apply(new ScoreChangedEvent(scoreboardId, command.participantId(), delta, result, reason(command.reason()),
                writer));
        return CommandOutcome.scored(version, Map.of(command.participantId(), result));
    }

    @CommandHandler
    public CommandOutcome handle(SetScoreCommand command) {
        UUID writer = requireActive(command, Access.SCOREKEEPER);
        Participant participant = activeParticipant(command.participantId());
        BigDecimal target = Scores.requireValid(command.score(), "score");
        BigDecimal delta = Scores.canonical(target.subtract(participant.score()));
        apply(new ScoreChangedEvent(scoreboardId, command.participantId(), delta, target, reason(command.reason()),
                writer));
        return CommandOutcome.scored(version, Map.of(command.participantId(), target));
    }

    @CommandHandler
    public CommandOutcome handle(RecordRoundCommand command) {
        UUID writer = requireActive(command, Access.SCOREKEEPER);
        if (command.deltas() == null || command.deltas().isEmpty()) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT,
                    "a round needs at least one delta, e.g. {\"deltas\": {\"<participantId>\": 5}}");
        }
        List<ScoreDelta> deltas = new ArrayList<>();
        Map<UUID, BigDecimal> scores = new LinkedHashMap<>();
        for (Map.Entry<UUID, BigDecimal> entry : command.deltas().entrySet()) {
            Participant participant = activeParticipant(entry.getKey());
            BigDecimal delta = Scores.requireValid(entry.getValue(), "delta for participant " + entry.getKey());
            BigDecimal result = Scores.add(participant.score(), delta);
            deltas.add(new ScoreDelta(entry.getKey(), delta, result));
            scores.put(entry.getKey(), result);
        }
        apply(new RoundRecordedEvent(scoreboardId, comment(command.comment()), deltas, writer));
        return CommandOutcome.scored(version, scores);
    }

    @CommandHandler
    public CommandOutcome handle(IssueTokenCommand command, ScoreboardLimits limits) {
        UUID writer = requireActive(command, Access.ADMIN);
        if (command.kind() == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT,
                    "\"kind\" is required: one of \"ADMIN\", \"SCOREKEEPER\", \"READER\"");
        }
        String label = Names.requireValid(command.label(), "label");
        if (credentials.active() >= limits.maxTokens()) {
            throw new CommandRejectedException(ErrorCode.LIMIT_EXCEEDED, "a board holds at most " + limits.maxTokens()
                    + " tokens that are not revoked (setting scoreboard.limits.max-tokens); revoke one first");
        }
        apply(new TokenIssuedEvent(scoreboardId, command.newTokenId(), command.kind(), label, command.newTokenHash(),
                writer));
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(RevokeTokenCommand command) {
        // A deleted board's tokens can still be revoked: a leaked admin token must not be able to restore it.
        UUID writer = requireAccess(command, Access.ADMIN);
        BoardCredentials.BoardToken token = credentials.token(command.revokedTokenId())
                .orElseThrow(() -> new CommandRejectedException(ErrorCode.TOKEN_NOT_FOUND,
                        "scoreboard " + scoreboardId + " has no token " + command.revokedTokenId()));
        if (token.revoked()) {
            throw new CommandRejectedException(ErrorCode.TOKEN_ALREADY_REVOKED,
                    "token " + token.tokenId() + " ('" + token.label() + "') was already revoked at " + token.revokedAt());
        }
        if (token.kind() == TokenKind.ADMIN && credentials.active(TokenKind.ADMIN) == 1) {
            throw new CommandRejectedException(ErrorCode.LAST_ADMIN_TOKEN, "token " + token.tokenId()
                    + " is the board's last admin token; issue another admin token first (POST .../tokens)");
        }
        apply(new TokenRevokedEvent(scoreboardId, token.tokenId(), writer));
        return CommandOutcome.of(version);
    }

    @CommandHandler
    public CommandOutcome handle(RewindCommand command, BoardHistory history) {
        UUID writer = requireActive(command, Access.ADMIN);
        Instant to = command.to();
        if (to == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT,
                    "\"to\" is required: the instant to go back to, e.g. {\"to\": \"2026-11-24T21:00:00Z\"}");
        }
        if (to.isBefore(createdAt)) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, "\"to\" " + to + " is before scoreboard "
                    + scoreboardId + " existed (created at " + createdAt + ")");
        }
        if (to.isAfter(Instant.now())) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, "\"to\" " + to + " is in the future: a board "
                    + "can only go back to an instant it has passed");
        }
        String reason = reason(command.reason());
        // The board then, and now with every participant's tie position, by the read model's rules.
        ParticipantStates then = new ParticipantStates();
        ParticipantStates now = new ParticipantStates();
        boolean[] past = {false};
        history.replay(scoreboardId, version, event -> {
            // As ?asOf= reads it: the events stop at the first one that occurred after the instant (microseconds,
            // as the read model keeps times).
            past[0] |= event.occurredAt().truncatedTo(ChronoUnit.MICROS).isAfter(to);
            if (!past[0]) {
                then.apply(event);
            }
            now.apply(event);
        });
        // Teams first: a participant's team then is one that was not removed then.
        List<RewoundTeam> changedTeams = new ArrayList<>();
        Set<UUID> removedTeams = new HashSet<>();
        now.teams().forEach((id, current) -> {
            RewoundTeam target = then.teams().get(id);
            if (target == null) { // created after the instant: removed, keeping its name
                target = new RewoundTeam(id, current.name(), true);
            }
            if (!target.equals(current)) {
                changedTeams.add(target);
            }
            if (target.removed()) {
                removedTeams.add(id);
            }
        });
        List<RewoundParticipant> changed = new ArrayList<>();
        Map<UUID, BigDecimal> scores = new LinkedHashMap<>();
        now.all().forEach((id, current) -> {
            RewoundParticipant target = then.all().get(id);
            if (target == null) { // added after the instant: removed, keeping what it had
                target = new RewoundParticipant(id, current.name(), current.score(), true,
                        current.scoreReachedPosition(), current.teamId());
            }
            if (target.teamId() != null && removedTeams.contains(target.teamId())) {
                // Only one added after the instant gets here, its team created (or brought back by a rewind) after
                // the instant too: nobody stays in a removed team, as a team's removal leaves nobody in it.
                target = new RewoundParticipant(id, target.name(), target.score(), target.removed(),
                        target.scoreReachedPosition(), null);
            }
            if (!target.equals(current)) {
                changed.add(target);
            }
            if (!target.removed()) {
                scores.put(id, target.score());
            }
        });
        apply(new ScoreboardRewoundEvent(scoreboardId, to, reason, changed, writer, changedTeams));
        return CommandOutcome.scored(version, scores);
    }

    @CommandHandler
    public CommandOutcome handle(UndoCommand command, UndoHistory history) {
        UUID writer = requireActive(command, Access.SCOREKEEPER);
        Undoable latest = undoable.peekLast();
        if (latest == null && olderUndoableInStore) {
            // Every change kept in memory is undone; older ones may still wait in the store (rare: a deep undo).
            latest = history.latestNotUndone(scoreboardId, version)
                    .map(change -> new Undoable(change.sequenceNumber(), change.deltas())).orElse(null);
        }
        if (latest == null) {
            throw new CommandRejectedException(ErrorCode.NOTHING_TO_UNDO,
                    "nothing to undo: every score change and round of this board has already been undone");
        }
        List<ScoreDelta> reverting = new ArrayList<>();
        Map<UUID, BigDecimal> scores = new LinkedHashMap<>();
        for (ScoreDelta original : latest.deltas()) {
            Participant participant = participants.get(original.participantId());
            if (participant.removed()) {
                continue; // a removed participant's score no longer counts anywhere
            }
            BigDecimal delta = original.delta().negate();
            BigDecimal result = Scores.add(participant.score(), delta);
            reverting.add(new ScoreDelta(original.participantId(), Scores.canonical(delta), result));
            scores.put(original.participantId(), result);
        }
        apply(new ScoreChangeUndoneEvent(scoreboardId, latest.sequenceNumber(), reverting, writer));
        return new CommandOutcome(version, Map.copyOf(scores), latest.sequenceNumber());
    }

    // --- state changes: only here -------------------------------------------------------------

    @EventSourcingHandler
    void on(ScoreboardCreatedEvent event, @SequenceNumber long sequenceNumber, @Timestamp Instant at) {
        scoreboardId = event.scoreboardId();
        name = event.name();
        scoreOrder = event.scoreOrder();
        ranking = event.ranking();
        credentials = BoardCredentials.created(event, at);
        visibility = event.visibilityOrDefault();
        createdAt = at;
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ScoreboardRewoundEvent event, @SequenceNumber long sequenceNumber) {
        event.participants().forEach(p -> participants.put(p.participantId(),
                new Participant(p.name(), p.score(), p.removed(), p.teamId())));
        event.teams().forEach(t -> teams.put(t.teamId(), new Team(t.name(), t.removed())));
        // Undo does not reach past a rewind (UndoHistory stops there too): the rewind is undone by rewinding.
        undoable.clear();
        undoableDeltas = 0;
        olderUndoableInStore = false;
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ScoreboardVisibilityChangedEvent event, @SequenceNumber long sequenceNumber) {
        visibility = event.visibility();
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(TokenIssuedEvent event, @SequenceNumber long sequenceNumber, @Timestamp Instant at) {
        credentials = credentials.issued(event, at);
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(TokenRevokedEvent event, @SequenceNumber long sequenceNumber, @Timestamp Instant at) {
        credentials = credentials.revoked(event.revokedTokenId(), at);
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ScoreboardRenamedEvent event, @SequenceNumber long sequenceNumber) {
        name = event.name();
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(RankingRulesChangedEvent event, @SequenceNumber long sequenceNumber) {
        scoreOrder = event.scoreOrder();
        ranking = event.ranking();
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ScoreboardDeletedEvent event, @SequenceNumber long sequenceNumber) {
        deleted = true;
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ScoreboardRestoredEvent event, @SequenceNumber long sequenceNumber) {
        deleted = false;
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ParticipantAddedEvent event, @SequenceNumber long sequenceNumber) {
        participants.put(event.participantId(), new Participant(event.name(), BigDecimal.ZERO, false, null));
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ParticipantTeamChangedEvent event, @SequenceNumber long sequenceNumber) {
        participants.computeIfPresent(event.participantId(), (id, p) -> p.withTeam(event.teamId()));
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(TeamCreatedEvent event, @SequenceNumber long sequenceNumber) {
        teams.put(event.teamId(), new Team(event.name(), false));
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(TeamRenamedEvent event, @SequenceNumber long sequenceNumber) {
        teams.computeIfPresent(event.teamId(), (id, t) -> new Team(event.name(), t.removed()));
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(TeamRemovedEvent event, @SequenceNumber long sequenceNumber) {
        teams.computeIfPresent(event.teamId(), (id, t) -> new Team(t.name(), true));
        // Its members become teamless by this event alone (removed participants too: nobody is left in it).
        participants.replaceAll((id, p) -> event.teamId().equals(p.teamId()) ? p.withTeam(null) : p);
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ParticipantRenamedEvent event, @SequenceNumber long sequenceNumber) {
        participants.computeIfPresent(event.participantId(), (id, p) -> p.withName(event.name()));
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ParticipantRemovedEvent event, @SequenceNumber long sequenceNumber) {
        participants.computeIfPresent(event.participantId(), (id, p) -> p.asRemoved());
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ScoreChangedEvent event, @SequenceNumber long sequenceNumber) {
        participants.computeIfPresent(event.participantId(), (id, p) -> p.withScore(event.score()));
        keepUndoable(new Undoable(sequenceNumber,
                List.of(new ScoreDelta(event.participantId(), event.delta(), event.score()))));
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(RoundRecordedEvent event, @SequenceNumber long sequenceNumber) {
        event.deltas().forEach(d -> participants.computeIfPresent(d.participantId(), (id, p) -> p.withScore(d.score())));
        keepUndoable(new Undoable(sequenceNumber, event.deltas()));
        version = sequenceNumber;
    }

    @EventSourcingHandler
    void on(ScoreChangeUndoneEvent event, @SequenceNumber long sequenceNumber) {
        event.deltas().forEach(d -> participants.computeIfPresent(d.participantId(), (id, p) -> p.withScore(d.score())));
        // Usually the latest kept change; a change read from the store by a deep undo is not kept at all.
        Undoable latest = undoable.peekLast();
        if (latest != null && latest.sequenceNumber() == event.undoneSequenceNumber()) {
            undoable.removeLast();
            undoableDeltas -= latest.deltas().size();
        } else {
            undoable.stream().filter(u -> u.sequenceNumber() == event.undoneSequenceNumber()).findFirst()
                    .ifPresent(u -> {
                        undoable.remove(u);
                        undoableDeltas -= u.deltas().size();
                    });
        }
        version = sequenceNumber;
    }

    /** Keeps a new undoable change, letting the oldest kept ones go to the store beyond the window. */
    private void keepUndoable(Undoable change) {
        undoable.addLast(change);
        undoableDeltas += change.deltas().size();
        while (undoableDeltas > UNDO_WINDOW_DELTAS && undoable.size() > 1) {
            Undoable oldest = undoable.removeFirst();
            undoableDeltas -= oldest.deltas().size();
            olderUndoableInStore = true;
        }
    }

    /**
     * What this board holds in memory, in units of 120–160 bytes (measured, ADR 0012): its participants, its teams
     * (removed ones too; a team weighs less than a participant, counted as one all the same) and the score changes
     * undo can still reach in memory, at most {@link #UNDO_WINDOW_DELTAS} (a kept board's weight, ADR 0012).
     */
    public long footprint() {
        return participants.size() + teams.size() + undoableDeltas;
    }

    // --- rules ----------------------------------------------------------------------------------

    /** Token first (nothing is revealed to a stranger), then the expected version, then the board's state. */
    /** As {@link #requireAccess}, and the board must not be deleted. */
    private UUID requireActive(BoardCommand command, Access access) {
        UUID writer = requireAccess(command, access);
        if (deleted) {
            throw new CommandRejectedException(ErrorCode.SCOREBOARD_DELETED,
                    "scoreboard " + scoreboardId + " is deleted; restore it first (POST .../restore)");
        }
        return writer;
    }

    /** The id of the token allowed to write, which every event this command applies records. */
    private UUID requireAccess(BoardCommand command, Access access) {
        UUID writer = credentials.require(scoreboardId, command.tokenHash(), access);
        if (command.expectedVersion() != null && command.expectedVersion() != version) {
            throw new CommandRejectedException(ErrorCode.VERSION_MISMATCH, "scoreboard " + scoreboardId
                    + " is at version " + version + ", not " + command.expectedVersion()
                    + " (If-Match); read it again and retry");
        }
        return writer;
    }

    private Participant activeParticipant(UUID participantId) {
        Participant participant = participants.get(participantId);
        if (participant == null) {
            throw new CommandRejectedException(ErrorCode.PARTICIPANT_NOT_FOUND,
                    "participant " + participantId + " is not on scoreboard " + scoreboardId);
        }
        if (participant.removed()) {
            throw new CommandRejectedException(ErrorCode.PARTICIPANT_REMOVED,
                    "participant " + participantId + " was removed from scoreboard " + scoreboardId);
        }
        return participant;
    }

    private void requireNameFree(String candidate, UUID except) {
        String key = nameKey(candidate);
        participants.forEach((id, p) -> {
            if (!p.removed() && !id.equals(except) && nameKey(p.name()).equals(key)) {
                throw new CommandRejectedException(ErrorCode.DUPLICATE_PARTICIPANT_NAME,
                        "a participant named '" + p.name() + "' is already on this board (names are case-insensitive)");
            }
        });
    }

    private Team activeTeam(UUID teamId) {
        Team team = teams.get(teamId);
        if (team == null) {
            throw new CommandRejectedException(ErrorCode.TEAM_NOT_FOUND,
                    "team " + teamId + " is not on scoreboard " + scoreboardId);
        }
        if (team.removed()) {
            throw new CommandRejectedException(ErrorCode.TEAM_REMOVED,
                    "team " + teamId + " ('" + team.name() + "') was removed from scoreboard " + scoreboardId);
        }
        return team;
    }

    private void requireTeamNameFree(String candidate, UUID except) {
        String key = nameKey(candidate);
        teams.forEach((id, t) -> {
            if (!t.removed() && !id.equals(except) && nameKey(t.name()).equals(key)) {
                throw new CommandRejectedException(ErrorCode.DUPLICATE_TEAM_NAME,
                        "a team named '" + t.name() + "' is already on this board (names are case-insensitive)");
            }
        });
    }

    private long activeTeams() {
        return teams.values().stream().filter(t -> !t.removed()).count();
    }

    private long activeParticipants() {
        return participants.values().stream().filter(p -> !p.removed()).count();
    }

    private static CommandRejectedException tooManyParticipants(ScoreboardLimits limits) {
        return new CommandRejectedException(ErrorCode.LIMIT_EXCEEDED, "a board holds at most "
                + limits.maxParticipants() + " participants (setting scoreboard.limits.max-participants)");
    }

    private static String reason(String reason) {
        return reason == null || reason.isBlank() ? null : Names.requireValid(reason, "reason");
    }

    private static String comment(String comment) {
        return comment == null || comment.isBlank() ? null : Names.requireValid(comment, "comment");
    }

    private static String nameKey(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    /** A participant as the rules need it (immutable, so replaying events compares equal). */
    private record Participant(String name, BigDecimal score, boolean removed, UUID teamId) {
        Participant withName(String newName) {
            return new Participant(newName, score, removed, teamId);
        }

        Participant withScore(BigDecimal newScore) {
            return new Participant(name, newScore, removed, teamId);
        }

        Participant asRemoved() {
            return new Participant(name, score, true, teamId);
        }

        Participant withTeam(UUID newTeamId) {
            return new Participant(name, score, removed, newTeamId);
        }
    }

    /** A team as the rules need it. */
    private record Team(String name, boolean removed) {}

    /** A score change or round that undo can revert, by its sequence number. */
    private record Undoable(long sequenceNumber, List<ScoreDelta> deltas) {}
}

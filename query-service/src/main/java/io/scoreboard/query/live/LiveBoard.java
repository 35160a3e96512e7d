package io.scoreboard.query.live;

import io.scoreboard.projections.scoreboard.BoardTimeline;
import io.scoreboard.projections.scoreboard.BoardTimeline.Board;
import io.scoreboard.projections.scoreboard.BoardTimeline.Participant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One followed board in memory: its state at its version, the ranks of that state, and who watches it. Each
 * event of the board is applied here in order and turns into the {@code change} its viewers get: every
 * participant whose score, rank, name or team the event changed, and the teams it changed. Owned by the {@link LiveHub}'s thread.
 */
final class LiveBoard {

    private final UUID scoreboardId;
    private Board board;
    private final Map<UUID, Participant> participants = new HashMap<>();
    private Map<UUID, Long> ranks;
    final Set<LiveViewer> viewers = new LinkedHashSet<>();

    LiveBoard(BoardTimeline.State state) {
        this.scoreboardId = state.board().scoreboardId();
        this.board = state.board();
        state.participants().forEach(p -> participants.put(p.participantId(), p));
        this.ranks = LiveRanking.ranks(participants.values(), board.scoreOrder(), board.ranking());
    }

    UUID scoreboardId() {
        return scoreboardId;
    }

    long version() {
        return board.version();
    }

    long position() {
        return board.position();
    }

    boolean deleted() {
        return board.deleted();
    }

    /** Applies the board's next event (the caller checks it is the next) and says what it changed. */
    LiveMessages.Change apply(BoardTimeline.Event event) {
        Board before = board;
        Map<UUID, Participant> changedBefore = new HashMap<>();
        for (Participant p : event.participants()) {
            changedBefore.put(p.participantId(), participants.put(p.participantId(), p));
        }
        board = event.board().orElseGet(() -> new Board(scoreboardId, before.name(), before.scoreOrder(),
                before.ranking(), before.deleted(), event.sequenceNumber(), event.position()));
        boolean rulesChanged = before.scoreOrder() != board.scoreOrder() || before.ranking() != board.ranking();
        Map<UUID, Long> ranksBefore = ranks;
        if (rulesChanged || !event.participants().isEmpty()) {
            ranks = LiveRanking.ranks(participants.values(), board.scoreOrder(), board.ranking());
        }
        List<LiveMessages.ChangedParticipant> changed = new ArrayList<>();
        for (Map.Entry<UUID, Long> entry : ranks.entrySet()) {
            UUID id = entry.getKey();
            Participant now = participants.get(id);
            boolean touched = changedBefore.containsKey(id) && differs(changedBefore.get(id), now);
            if (touched || !Objects.equals(ranksBefore.get(id), entry.getValue())) {
                changed.add(new LiveMessages.ChangedParticipant(id, now.name(), now.score(), entry.getValue(),
                        now.teamId(), null));
            }
        }
        changed.sort(Comparator.comparingLong(LiveMessages.ChangedParticipant::rank));
        for (Participant p : event.participants()) {
            Participant was = changedBefore.get(p.participantId());
            if (p.removed() && was != null && !was.removed()) {
                changed.add(new LiveMessages.ChangedParticipant(p.participantId(), p.name(), p.score(), null,
                        p.teamId(), true));
            }
        }
        boolean boardFieldsChanged = rulesChanged || !before.name().equals(board.name());
        return new LiveMessages.Change(event.position(), event.sequenceNumber(), event.type(), changed,
                boardFieldsChanged ? new LiveMessages.BoardFields(board.name(), board.scoreOrder(), board.ranking())
                        : null,
                event.teams().isEmpty() ? null : event.teams().stream()
                        .map(t -> new LiveMessages.ChangedTeam(t.teamId(), t.name(), t.removed() ? Boolean.TRUE : null))
                        .toList());
    }

    private static boolean differs(Participant before, Participant now) {
        return before == null || before.removed() != now.removed() || !before.name().equals(now.name())
                || before.score().compareTo(now.score()) != 0 || !Objects.equals(before.teamId(), now.teamId());
    }
}

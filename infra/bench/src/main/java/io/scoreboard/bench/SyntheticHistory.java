package io.scoreboard.bench;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreDelta;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A deterministic event history shaped like real traffic: many boards written round-robin (so a
 * board's events are spread over the whole log), each created with participants and then scored by
 * single changes and rounds, with the resulting scores the command side would compute. The events
 * are the catalogue's own records with the same JSON as the command path writes; only the
 * aggregate's rules are skipped (this is the documented bulk path of the benchmarks).
 */
final class SyntheticHistory {

    static final int PARTICIPANTS_PER_BOARD = 5;
    /** A round scores this many participants (all of them on a board of five). */
    static final int PARTICIPANTS_PER_ROUND = 5;

    private final int boards;
    private final long events;
    private final int participantsPerBoard;

    SyntheticHistory(int boards, long events) {
        this(boards, events, PARTICIPANTS_PER_BOARD);
    }

    /**
     * @param participantsPerBoard participants added to each board after its creation, before any
     *                             score change (10,000 gives the query benchmark its big board)
     */
    SyntheticHistory(int boards, long events, int participantsPerBoard) {
        if (participantsPerBoard < PARTICIPANTS_PER_ROUND) {
            throw new IllegalArgumentException("a board needs at least " + PARTICIPANTS_PER_ROUND + " participants");
        }
        if (events < (long) boards * (1 + participantsPerBoard)) {
            throw new IllegalArgumentException(events + " events cannot give " + boards + " boards their start");
        }
        this.boards = boards;
        this.events = events;
        this.participantsPerBoard = participantsPerBoard;
    }

    long events() {
        return events;
    }

    int participantsPerBoard() {
        return participantsPerBoard;
    }

    int boards() {
        return boards;
    }

    /** Hands out every event in global position order (positions 1..events, one second apart per round). */
    void forEach(Consumer<EventEnvelope> sink) {
        Random random = new Random(2020_10_17L);
        Board[] all = new Board[boards];
        for (int i = 0; i < boards; i++) {
            all[i] = new Board(new UUID(random.nextLong(), random.nextLong()), participantsPerBoard);
        }
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        long position = 0;
        int round = 0;
        while (position < events) {
            for (int i = 0; i < boards && position < events; i++) {
                position++;
                sink.accept(all[i].next(random, position, start.plusMillis(round * 1000L + i % 1000)));
            }
            round++;
        }
    }

    private static final class Board {
        final UUID id;
        final int size;
        final List<UUID> participants = new ArrayList<>();
        final List<BigDecimal> scores = new ArrayList<>();
        long sequence;

        Board(UUID id, int size) {
            this.id = id;
            this.size = size;
        }

        EventEnvelope next(Random random, long position, Instant at) {
            long seq = sequence++;
            UUID eventId = new UUID(random.nextLong(), random.nextLong());
            if (seq == 0) {
                return EventEnvelope.of(eventId, seq, position, at, new ScoreboardCreatedEvent(id, "Board " + id,
                        ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD, "admin-token-hash", "scorekeeper-token-hash"));
            }
            if (seq <= size) {
                UUID participant = new UUID(random.nextLong(), random.nextLong());
                participants.add(participant);
                scores.add(BigDecimal.ZERO);
                return EventEnvelope.of(eventId, seq, position, at,
                        new ParticipantAddedEvent(id, participant, "Player " + seq));
            }
            if (random.nextInt(5) == 0) {
                // A run of neighbours from a random start; a board of five draws no start, so the rebuild
                // benchmark's history stays what it was.
                int first = participants.size() == PARTICIPANTS_PER_ROUND ? 0 : random.nextInt(participants.size());
                List<ScoreDelta> deltas = new ArrayList<>();
                for (int k = 0; k < PARTICIPANTS_PER_ROUND; k++) {
                    deltas.add(move((first + k) % participants.size(), BigDecimal.valueOf(random.nextInt(10))));
                }
                return EventEnvelope.of(eventId, seq, position, at, new RoundRecordedEvent(id, "Round " + seq, deltas));
            }
            int p = random.nextInt(participants.size());
            ScoreDelta change = move(p, BigDecimal.valueOf(random.nextInt(21) - 5));
            return EventEnvelope.of(eventId, seq, position, at,
                    new ScoreChangedEvent(id, change.participantId(), change.delta(), change.score(), "point"));
        }

        private ScoreDelta move(int p, BigDecimal delta) {
            BigDecimal score = scores.get(p).add(delta);
            scores.set(p, score);
            return new ScoreDelta(participants.get(p), delta, score);
        }
    }
}

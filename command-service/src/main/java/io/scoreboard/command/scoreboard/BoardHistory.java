package io.scoreboard.command.scoreboard;

import io.scoreboard.events.ScoreboardEvent;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A board's stored events, oldest first, for a rewind (ADR 0044): the one command that needs the board as it stood
 * at an instant, which no board keeps in memory. Read under the board's lock, like every command.
 */
public interface BoardHistory {

    /** One stored event: its per-board sequence number, global position and when it occurred. */
    record TimedEvent(long sequenceNumber, long position, Instant occurredAt, ScoreboardEvent event) {}

    /** Hands every stored event of the board up to sequence {@code upTo} to {@code sink}, oldest first. */
    void replay(UUID scoreboardId, long upTo, Consumer<TimedEvent> sink);
}

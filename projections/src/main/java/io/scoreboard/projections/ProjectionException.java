package io.scoreboard.projections;

import io.scoreboard.events.EventEnvelope;

/**
 * An event the projection cannot apply: a gap in a board's sequence, an unknown participant, a
 * value the read model cannot hold exactly. Always carries the event id so an operator can find
 * the event; the caller must stop, not skip it.
 */
public class ProjectionException extends RuntimeException {

    private final String projection;
    private final EventEnvelope event;

    public ProjectionException(String projection, EventEnvelope event, String problem) {
        super("projection '" + projection + "' cannot apply event " + event.eventId() + " (" + event.type()
                + ", scoreboard " + event.scoreboardId() + ", sequence " + event.sequenceNumber()
                + ", position " + event.position() + "): " + problem);
        this.projection = projection;
        this.event = event;
    }

    public String projection() {
        return projection;
    }

    public EventEnvelope event() {
        return event;
    }
}

package io.scoreboard.query.scoreboard;

import java.util.UUID;

/**
 * The board is visible but has no current participant with this id (never added, or removed).
 * {@code projectionPosition} is the position the answer reflects (after any {@code minPosition} wait).
 */
public class ParticipantNotFoundException extends RuntimeException {

    private final long projectionPosition;

    public ParticipantNotFoundException(UUID scoreboardId, UUID participantId, long projectionPosition) {
        super("participant " + participantId + " is not on scoreboard " + scoreboardId
                + " (never added, or removed)");
        this.projectionPosition = projectionPosition;
    }

    /** {@code detail}: which participant, and why it does not count here. */
    public ParticipantNotFoundException(String detail, long projectionPosition) {
        super(detail);
        this.projectionPosition = projectionPosition;
    }

    public long projectionPosition() {
        return projectionPosition;
    }
}

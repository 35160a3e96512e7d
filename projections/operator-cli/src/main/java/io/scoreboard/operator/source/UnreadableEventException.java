package io.scoreboard.operator.source;

/** A stored event or topic record that is not a readable v1 event: stop and name it, never skip it. */
public class UnreadableEventException extends RuntimeException {
    public UnreadableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.scoreboard.query.scoreboard;

/**
 * A CSV export failed after part of it had been sent: the status line and rows are out, so no
 * problem+json can follow. The error handling lets it reach the servlet container, which closes the
 * connection without ending the body, so the client sees a broken download instead of a file that
 * looks complete.
 */
public class ExportInterruptedException extends RuntimeException {

    public ExportInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.scoreboard.query.web;

import io.scoreboard.httpedge.problem.Problem;
import org.springframework.http.HttpStatus;

/**
 * The query API's own errors, each with one status and a stable problem {@code type}
 * ({@code urn:scoreboard:problem:<code>}, the same URI as the command side's code of the same name);
 * the HTTP layer's errors (unknown path, rate limited, internal error …) are http-edge's HttpProblem.
 */
public enum QueryErrorCode {
    SCOREBOARD_NOT_FOUND(HttpStatus.NOT_FOUND, "Scoreboard not found"),
    PARTICIPANT_NOT_FOUND(HttpStatus.NOT_FOUND, "Participant not found"),
    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "Invalid request"),
    PROJECTION_BEHIND(HttpStatus.SERVICE_UNAVAILABLE, "Projection behind"),
    READ_STORE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Read database unavailable"),
    /** Every export slot is taken (ADR 0018). */
    EXPORTS_BUSY(HttpStatus.SERVICE_UNAVAILABLE, "Exports busy"),
    /** Too many minPosition reads wait already (ADR 0018). */
    TOO_MANY_WAITING_READS(HttpStatus.SERVICE_UNAVAILABLE, "Too many waiting reads");

    private final HttpStatus status;
    private final String title;

    QueryErrorCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public Problem problem(String detail) {
        return Problem.of(status.value(), name(), title, detail);
    }
}

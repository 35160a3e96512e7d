package io.scoreboard.query.web;

import io.scoreboard.query.projection.ProjectionBehindException;
import io.scoreboard.query.projection.TooManyWaitingReadsException;
import io.scoreboard.query.scoreboard.ExportInterruptedException;
import io.scoreboard.query.scoreboard.ExportsBusyException;
import io.scoreboard.query.scoreboard.InvalidQueryParameterException;
import io.scoreboard.query.scoreboard.ParticipantNotFoundException;
import io.scoreboard.query.scoreboard.ScoreboardNotFoundException;
import io.scoreboard.httpedge.problem.HttpProblem;
import io.scoreboard.httpedge.problem.ProblemExceptionHandler;
import io.scoreboard.httpedge.problem.ProblemResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The one place that maps errors to HTTP, always as {@code application/problem+json} (RFC 9457).
 * Bad input is a 4xx with a detail that says what to send instead; an infrastructure failure is a
 * 5xx, never disguised as a 4xx or a "not found". Every answer has a stable {@code type} and
 * {@code code} ({@link QueryErrorCode}); Spring MVC's own errors (unknown path, wrong method,
 * unreadable parameter) get theirs from the base class, errors outside Spring MVC from http-edge.
 */
@RestControllerAdvice
class ProblemHandler extends ProblemExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ScoreboardNotFoundException.class)
    ProblemDetail notFound(ScoreboardNotFoundException e, HttpServletResponse response) {
        // After a minPosition wait the filter's value is stale: state the position this 404 reflects.
        ProjectionPositionFilter.stamp(response, e.projectionPosition());
        return problem(QueryErrorCode.SCOREBOARD_NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(ParticipantNotFoundException.class)
    ProblemDetail participantNotFound(ParticipantNotFoundException e, HttpServletResponse response) {
        ProjectionPositionFilter.stamp(response, e.projectionPosition());
        return problem(QueryErrorCode.PARTICIPANT_NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(InvalidQueryParameterException.class)
    ProblemDetail invalidParameter(InvalidQueryParameterException e) {
        return problem(QueryErrorCode.INVALID_PARAMETER, e.getMessage());
    }

    @ExceptionHandler(ProjectionBehindException.class)
    ResponseEntity<ProblemDetail> behind(ProjectionBehindException e) {
        log.info("read-your-writes wait gave up: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .body(problem(QueryErrorCode.PROJECTION_BEHIND,
                        e.getMessage() + ". Retry after the Retry-After delay."));
    }

    /** Capacity, not the client's fault (docs/adr/0018): 503 with Retry-After, decided before any work. */
    @ExceptionHandler(ExportsBusyException.class)
    ResponseEntity<ProblemDetail> exportsBusy(ExportsBusyException e) {
        return busy(QueryErrorCode.EXPORTS_BUSY, e.getMessage(), e.retryAfter());
    }

    @ExceptionHandler(TooManyWaitingReadsException.class)
    ResponseEntity<ProblemDetail> tooManyWaitingReads(TooManyWaitingReadsException e) {
        return busy(QueryErrorCode.TOO_MANY_WAITING_READS, e.getMessage(), e.retryAfter());
    }

    private static ResponseEntity<ProblemDetail> busy(QueryErrorCode code, String detail, Duration retryAfter) {
        ProblemDetail problem = problem(code, detail + ".");
        return ResponseEntity.status(code.status())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                .body(problem);
    }

    /** Rows are already out: rethrown, so the container cuts the connection (see the exception). */
    @ExceptionHandler(ExportInterruptedException.class)
    void exportInterrupted(ExportInterruptedException e) {
        throw e;
    }

    @ExceptionHandler({SQLException.class, DataAccessException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        log.error("read database failure", e);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(problem(QueryErrorCode.READ_STORE_UNAVAILABLE,
                        "The read database could not answer; try again shortly."));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) throws Exception {
        if (e instanceof org.springframework.web.ErrorResponse) {
            throw e; // Spring MVC's own 4xx (404 route, 405, 415 …): handled by the base class as problem details
        }
        log.error("unexpected failure answering a query", e);
        return ProblemResponses.toProblemDetail(HttpProblem.INTERNAL_ERROR.problem(
                "The query failed on the server side; it has been logged."));
    }

    /** A parameter of the wrong type: say which one, what was sent and what it must be. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(org.springframework.beans.TypeMismatchException ex,
                                                        HttpHeaders headers, HttpStatusCode status,
                                                        WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        Class<?> required = ex.getRequiredType();
        String expected = required == UUID.class ? "a UUID such as 3f2c1d9e-8b7a-4c6d-9e5f-1a2b3c4d5e6f"
                : required == Long.class || required == long.class ? "a whole number"
                : required == null ? "a different value" : "a " + required.getSimpleName();
        String detail = "'" + ex.getValue() + "' is not a valid " + name + ": expected " + expected + ".";
        return ResponseEntity.badRequest().body(problem(QueryErrorCode.INVALID_PARAMETER, detail));
    }

    private static ProblemDetail problem(QueryErrorCode code, String detail) {
        return ProblemResponses.toProblemDetail(code.problem(detail));
    }
}

package io.scoreboard.command.problem;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.scoreboard.command.replication.ReplicationGate.ReplicationPendingException;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import io.scoreboard.command.web.CommandRateLimitFilter;
import io.scoreboard.httpedge.problem.HttpProblem;
import io.scoreboard.httpedge.problem.ProblemExceptionHandler;
import io.scoreboard.httpedge.problem.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The one place where errors become HTTP: application/problem+json (RFC 9457) with a stable
 * {@code type} per {@link ErrorCode} and a detail that says what to fix. Bad input is always a
 * 4xx; only a genuine fault of ours is a 5xx, and then without internals in the body. Spring MVC's
 * own errors (unknown path, wrong method …) get their codes from the base class, errors outside
 * Spring MVC from the http-edge module, in the same shape.
 */
@RestControllerAdvice
public class ProblemDetailsHandler extends ProblemExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsHandler.class);

    static HttpStatus statusOf(ErrorCode code) {
        return switch (code) {
            case MALFORMED_REQUEST -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case SCOREBOARD_NOT_FOUND, PARTICIPANT_NOT_FOUND, TOKEN_NOT_FOUND, TEAM_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case SCOREBOARD_DELETED, SCOREBOARD_NOT_DELETED, PARTICIPANT_REMOVED, DUPLICATE_PARTICIPANT_NAME,
                 DUPLICATE_TEAM_NAME, TEAM_REMOVED, NOTHING_TO_UNDO, CONCURRENT_MODIFICATION, TOKEN_ALREADY_REVOKED, LAST_ADMIN_TOKEN -> HttpStatus.CONFLICT;
            case VERSION_MISMATCH -> HttpStatus.PRECONDITION_FAILED;
            case INVALID_INPUT, LIMIT_EXCEEDED, SCORE_OUT_OF_RANGE, IDEMPOTENCY_KEY_REUSED -> HttpStatus.UNPROCESSABLE_ENTITY;
            case REPLICATION_PENDING, STORE_UNAVAILABLE, BOARD_BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
        };
    }

    @ExceptionHandler(CommandRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(CommandRejectedException e, HttpServletRequest request) {
        if (e.code() == ErrorCode.SCOREBOARD_NOT_FOUND) {
            CommandRateLimitFilter.markNoSuchBoard(request);
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(statusOf(e.code()));
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.code() == ErrorCode.BOARD_BUSY) {
            response.header(HttpHeaders.RETRY_AFTER, "1"); // the board's current writes finish in milliseconds
        }
        return response.body(problem(e.code(), e.getMessage()));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(AggregateNotFoundException e, HttpServletRequest request) {
        CommandRateLimitFilter.markNoSuchBoard(request);
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(problem(ErrorCode.SCOREBOARD_NOT_FOUND, "scoreboard " + e.getAggregateIdentifier() + " does not exist"));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrent(ConcurrencyException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem(ErrorCode.CONCURRENT_MODIFICATION,
                "the scoreboard was changed by another request at the same moment; retry"));
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> wrapped(CommandExecutionException e, HttpServletRequest request) throws Exception {
        Throwable cause = e.getCause();
        if (cause instanceof CommandRejectedException rejected) {
            return rejected(rejected, request);
        }
        if (cause instanceof AggregateNotFoundException notFound) {
            return notFound(notFound, request);
        }
        if (cause instanceof ConcurrencyException concurrency) {
            return concurrent(concurrency);
        }
        return unexpected(e);
    }

    @ExceptionHandler(ReplicationPendingException.class)
    ResponseEntity<ProblemDetail> replicationPending(ReplicationPendingException e) {
        ProblemDetail body = problem(ErrorCode.REPLICATION_PENDING, e.getMessage());
        body.setProperty("position", e.position());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .body(body);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badPathOrParameter(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "a valid value" : e.getRequiredType().getSimpleName();
        return ResponseEntity.badRequest().body(problem(ErrorCode.MALFORMED_REQUEST,
                "'" + e.getName() + "' must be a " + expected + ", got '" + e.getValue() + "'"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) throws Exception {
        if (e instanceof org.springframework.web.ErrorResponse) {
            throw e; // Spring MVC's own 4xx (404 route, 405, 415 …): handled below as problem details
        }
        if (isDatabaseUnreachable(e)) {
            log.warn("event store unreachable: {}", e.toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "2")
                    .body(problem(ErrorCode.STORE_UNAVAILABLE, "The event store database cannot be reached right "
                            + "now; nothing was stored unless a later read shows it. Retry with the same "
                            + "Idempotency-Key."));
        }
        log.error("unexpected failure", e);
        return ResponseEntity.internalServerError().body(ProblemResponses.toProblemDetail(HttpProblem.INTERNAL_ERROR.problem()));
    }

    /** A blank path segment where an id belongs: the client's mistake, not ours (Spring says 500). */
    @Override
    protected ResponseEntity<Object> handleMissingPathVariable(org.springframework.web.bind.MissingPathVariableException e,
                                                               HttpHeaders headers, HttpStatusCode status,
                                                               WebRequest request) {
        return ResponseEntity.badRequest().body(problem(ErrorCode.MALFORMED_REQUEST,
                "the path is missing '" + e.getVariableName() + "': it must be a UUID"));
    }

    /** A connection that cannot be had or was lost: an outage (503), never the client's fault. */
    private static boolean isDatabaseUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // A failed rollback hides the failure that caused it (a lost connection) out of the cause chain.
            if (t instanceof org.springframework.transaction.TransactionSystemException failedRollback
                    && failedRollback.getApplicationException() != null
                    && isDatabaseUnreachable(failedRollback.getApplicationException())) {
                return true;
            }
            if (t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t instanceof org.springframework.transaction.CannotCreateTransactionException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException
                    || (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(problem(ErrorCode.MALFORMED_REQUEST, describe(e)));
    }

    private static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "'";
        }
        if (cause instanceof InvalidFormatException invalid) {
            return "field '" + path(invalid) + "' has an invalid value '" + invalid.getValue() + "'"
                    + (invalid.getTargetType() != null && invalid.getTargetType().isEnum()
                    ? "; allowed: " + java.util.Arrays.toString(invalid.getTargetType().getEnumConstants()) : "");
        }
        if (cause instanceof MismatchedInputException missing && missing.getOriginalMessage() != null
                && missing.getOriginalMessage().startsWith("Missing required creator property")) {
            // A member that must be present even when null (a participant's "teamId"): absent is not "none".
            String name = missing.getOriginalMessage().replaceFirst("^[^']*'([^']*)'.*$", "$1");
            return "field '" + name + "' is required (null where it may be none)";
        }
        if (cause instanceof MismatchedInputException mismatched) {
            return "field '" + path(mismatched) + "' has the wrong type";
        }
        if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            return "the body is not valid JSON: " + json.getOriginalMessage();
        }
        return "the request body is missing or not readable as JSON";
    }

    private static String path(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "(body)" : path;
    }

    static ProblemDetail problem(ErrorCode code, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(statusOf(code), detail);
        body.setType(URI.create(code.typeUri()));
        body.setProperty("code", code.name());
        return body;
    }
}

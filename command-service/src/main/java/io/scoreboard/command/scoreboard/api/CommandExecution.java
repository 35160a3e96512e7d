package io.scoreboard.command.scoreboard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreboard.command.access.BoardAuthorization;
import io.scoreboard.command.idempotency.IdempotencyStore;
import io.scoreboard.command.idempotency.IdempotencyStore.StoredResponse;
import io.scoreboard.command.replication.EventPositions;
import io.scoreboard.command.replication.KafkaReplicator;
import io.scoreboard.command.replication.ReplicationGate;
import io.scoreboard.command.replication.ReplicationGate.ReplicationPendingException;
import io.scoreboard.command.scoreboard.Access;
import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * How every write runs. First, outside any transaction, the bearer token is checked against the board's
 * credentials ({@link BoardAuthorization}; ADR 0014): a refused write costs no write-pool connection, no
 * board lock and no board load. Then one database transaction (1) serialises writes to the same board
 * across instances with an advisory lock, waiting at most scoreboard.commands.board-lock-timeout,
 * (2) answers a known Idempotency-Key of the same credential with its first response, (3) sends the
 * command (Axon joins this transaction) and (4) remembers the response for the key. After the commit,
 * the answer waits for the durability mode (Kafka ack in REPLICATED).
 */
@Component
class CommandExecution {

    static final String IDEMPOTENT_REPLAY_HEADER = "Idempotent-Replayed";
    /** Namespace of the per-board advisory locks (pg_advisory_xact_lock(int, int)). */
    static final int BOARD_LOCK_SPACE = 0x5C0B;
    /** PostgreSQL's lock_not_available: lock_timeout expired. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /**
     * lock_timeout for this transaction only, then the board's lock. The setting is made in the FROM item,
     * so it is in force before the lock is waited for.
     */
    private static final String LOCK_BOARD = "SELECT pg_advisory_xact_lock(?, ?) FROM (SELECT set_config('lock_timeout', ?, true)) AS timeout";

    /** A command's result, before the transaction commits: its body is built from the final position. */
    record Completed<T>(HttpStatus status, String location, UUID scoreboardId, long version, LongFunction<T> body) {
        static <T> Completed<T> ok(UUID scoreboardId, long version, LongFunction<T> body) {
            return new Completed<>(HttpStatus.OK, null, scoreboardId, version, body);
        }

        static <T> Completed<T> created(String location, UUID scoreboardId, long version, LongFunction<T> body) {
            return new Completed<>(HttpStatus.CREATED, location, scoreboardId, version, body);
        }
    }

    private final TransactionTemplate transaction;
    private final JdbcTemplate jdbc;
    private final EventPositions positions;
    private final IdempotencyStore idempotency;
    private final ReplicationGate replication;
    private final KafkaReplicator replicator;
    private final ObjectMapper json;
    private final BoardAuthorization authorization;
    private final String lockTimeout;

    CommandExecution(TransactionTemplate transaction, JdbcTemplate jdbc, EventPositions positions,
                     IdempotencyStore idempotency, ReplicationGate replication, KafkaReplicator replicator,
                     ObjectMapper json, BoardAuthorization authorization, CommandProperties properties) {
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.positions = positions;
        this.idempotency = idempotency;
        this.replication = replication;
        this.replicator = replicator;
        this.json = json;
        this.authorization = authorization;
        long millis = properties.boardLockTimeout().toMillis();
        this.lockTimeout = (properties.boardLockTimeout().isZero() ? 0 : Math.max(1, millis)) + "ms";
    }

    /**
     * A write to an existing board.
     *
     * @param board          the board written to
     * @param tokenHash      the hash of the presented bearer token
     * @param access         what the command needs of that token
     * @param idempotencyKey the client's Idempotency-Key header, or null
     * @param request        the parsed request body (part of the key's fingerprint), or null
     */
    ResponseEntity<?> run(UUID board, String tokenHash, Access access, String idempotencyKey, Object request,
                          Supplier<Completed<?>> command) {
        String key = IdempotencyKeys.ofBoardWrite(idempotencyKey);
        authorization.authorize(board, tokenHash, access);
        return execute(board, tokenHash, key, request, command, false);
    }

    /**
     * A create: no board and no token yet; the key (if any) is its own scope. Stored but not acknowledged
     * by Kafka in time, it answers 202 with its body (the tokens!) instead of a body-less 503.
     */
    ResponseEntity<?> create(String idempotencyKey, Object request, Supplier<Completed<?>> command) {
        String key = IdempotencyKeys.ofCreate(idempotencyKey);
        return execute(null, IdempotencyStore.CREATE_SCOPE, key, request, command, true);
    }

    private ResponseEntity<?> execute(UUID board, String scope, String key, Object request,
                                      Supplier<Completed<?>> command, boolean creates) {
        String fingerprint = key == null ? null : fingerprint(request);
        Answer answer;
        boolean replayed;
        try {
            Outcome outcome = transaction.execute(status -> {
                if (board != null) {
                    lock(board);
                }
                if (key != null) {
                    Optional<StoredResponse> previous = idempotency.find(scope, key);
                    if (previous.isPresent()) {
                        return new Outcome(new Answer(requireSameRequest(previous.get(), fingerprint), null), true);
                    }
                }
                Answer fresh = complete(command.get(), fingerprint, key != null);
                if (key != null) {
                    idempotency.save(scope, key, fresh.stored());
                }
                return new Outcome(fresh, false);
            });
            answer = outcome.answer();
            replayed = outcome.replayed();
        } catch (DuplicateKeyException sameKeyCommittedFirst) {
            // A concurrent request with this key won; ours rolled back with everything it appended.
            answer = new Answer(requireSameRequest(idempotency.find(scope, key).orElseThrow(() -> sameKeyCommittedFirst),
                    fingerprint), null);
            replayed = true;
        }
        if (!replayed) {
            // The events are visible now: the replicator looks at once instead of at its next poll.
            replicator.wakeUp();
        }
        try {
            replication.awaitDurable(answer.stored().position());
        } catch (ReplicationPendingException pending) {
            if (!creates) {
                throw pending; // 503: nothing secret is lost, a retry with the key returns the answer
            }
            return replicationPending(answer, replayed);
        }
        return toHttp(answer, replayed);
    }

    /** The board's lock, waited for at most the configured time; then 503 BOARD_BUSY, nothing stored. */
    private void lock(UUID board) {
        try {
            jdbc.query(LOCK_BOARD, rs -> null, BOARD_LOCK_SPACE, board.hashCode(), lockTimeout);
        } catch (DataAccessException e) {
            if (hasSqlState(e, LOCK_NOT_AVAILABLE)) {
                throw new CommandRejectedException(ErrorCode.BOARD_BUSY, "scoreboard " + board + " is busy: other "
                        + "writes to it held it longer than " + lockTimeout + "; nothing was stored, retry (with the "
                        + "same Idempotency-Key, if any)");
            }
            throw e;
        }
    }

    private static boolean hasSqlState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A response: as remembered for an Idempotency-Key, and the body object of a fresh one (null when
     * replayed). The body is written to JSON for the store only when there is a key to remember it by.
     */
    private record Answer(StoredResponse stored, Object body) {}

    private record Outcome(Answer answer, boolean replayed) {}

    private Answer complete(Completed<?> completed, String fingerprint, boolean remember) {
        long position = positions.positionOf(completed.scoreboardId(), completed.version());
        Object body = completed.body().apply(position);
        try {
            return new Answer(new StoredResponse(fingerprint, completed.status().value(), completed.location(),
                    completed.scoreboardId(), completed.version(), position,
                    remember ? json.writeValueAsString(body) : null), body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response of a command", e);
        }
    }

    private ResponseEntity<?> toHttp(Answer answer, boolean replayed) {
        return headers(ResponseEntity.status(answer.stored().status()), answer.stored(), replayed).body(body(answer));
    }

    /**
     * A create that is stored but not yet acknowledged by Kafka: 202 with the create's own body (the client
     * must never lose its tokens) and {@code "replication": "pending"}; the board is usable at once.
     */
    private ResponseEntity<?> replicationPending(Answer answer, boolean replayed) {
        JsonNode body = json.valueToTree(body(answer));
        if (body instanceof ObjectNode object) {
            object.put("replication", "pending");
        }
        return headers(ResponseEntity.status(HttpStatus.ACCEPTED), answer.stored(), replayed).body(body);
    }

    private static ResponseEntity.BodyBuilder headers(ResponseEntity.BodyBuilder http, StoredResponse response,
                                                      boolean replayed) {
        http.eTag(CommandRequests.etag(response.version())).contentType(MediaType.APPLICATION_JSON);
        if (response.location() != null) {
            http.location(URI.create(response.location()));
        }
        if (replayed) {
            http.header(IDEMPOTENT_REPLAY_HEADER, "true");
        }
        return http;
    }

    private Object body(Answer answer) {
        if (answer.body() != null) {
            return answer.body();
        }
        try {
            return json.readTree(answer.stored().body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored response is not JSON", e);
        }
    }

    private static StoredResponse requireSameRequest(StoredResponse previous, String fingerprint) {
        if (!previous.fingerprint().equals(fingerprint)) {
            throw new CommandRejectedException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was already used for a different request (method, path or body); "
                            + "use a new key for a new change");
        }
        return previous;
    }

    /**
     * Method, path and the parsed body: the same key with another request is refused. The body's
     * record form is used, not re-serialised JSON, which cannot express every number a client may send.
     */
    private static String fingerprint(Object request) {
        HttpServletRequest http = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        return AccessTokens.hash(http.getMethod() + " " + http.getRequestURI() + "\n" + request);
    }
}

package io.scoreboard.command.scoreboard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.command.idempotency.IdempotencyStore;
import io.scoreboard.command.idempotency.IdempotencyStore.StoredResponse;
import io.scoreboard.command.replication.EventPositions;
import io.scoreboard.command.replication.KafkaReplicator;
import io.scoreboard.command.replication.ReplicationGate;
import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;
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
 * How every write runs: in one database transaction that (1) serialises writes to the same board
 * across instances with an advisory lock, (2) answers a known Idempotency-Key with its first
 * response, (3) sends the command (Axon joins this transaction) and (4) remembers the response for
 * the key. After the commit, the answer waits for the durability mode (Kafka ack in REPLICATED).
 */
@Component
class CommandExecution {

    static final String IDEMPOTENT_REPLAY_HEADER = "Idempotent-Replayed";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    /** Namespace of the per-board advisory locks (pg_advisory_xact_lock(int, int)). */
    private static final int BOARD_LOCK_SPACE = 0x5C0B;

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

    CommandExecution(TransactionTemplate transaction, JdbcTemplate jdbc, EventPositions positions,
                     IdempotencyStore idempotency, ReplicationGate replication, KafkaReplicator replicator,
                     ObjectMapper json) {
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.positions = positions;
        this.idempotency = idempotency;
        this.replication = replication;
        this.replicator = replicator;
        this.json = json;
    }

    /**
     * @param board          the board written to, or null when the command creates one
     * @param idempotencyKey the client's Idempotency-Key header, or null
     * @param request        the parsed request body (part of the key's fingerprint), or null
     */
    ResponseEntity<?> run(UUID board, String idempotencyKey, Object request, Supplier<Completed<?>> command) {
        String key = validKey(idempotencyKey);
        String fingerprint = key == null ? null : fingerprint(request);
        Answer answer;
        boolean replayed;
        try {
            Outcome outcome = transaction.execute(status -> {
                if (board != null) {
                    jdbc.query("SELECT pg_advisory_xact_lock(?, ?)", rs -> null, BOARD_LOCK_SPACE, board.hashCode());
                }
                if (key != null) {
                    Optional<StoredResponse> previous = idempotency.find(key);
                    if (previous.isPresent()) {
                        return new Outcome(new Answer(requireSameRequest(previous.get(), fingerprint), null), true);
                    }
                }
                Answer fresh = complete(command.get(), fingerprint, key != null);
                if (key != null) {
                    idempotency.save(key, fresh.stored());
                }
                return new Outcome(fresh, false);
            });
            answer = outcome.answer();
            replayed = outcome.replayed();
        } catch (DuplicateKeyException sameKeyCommittedFirst) {
            // A concurrent request with this key won; ours rolled back with everything it appended.
            answer = new Answer(requireSameRequest(idempotency.find(key).orElseThrow(() -> sameKeyCommittedFirst),
                    fingerprint), null);
            replayed = true;
        }
        if (!replayed) {
            // The events are visible now: the replicator looks at once instead of at its next poll.
            replicator.wakeUp();
        }
        replication.awaitDurable(answer.stored().position());
        return toHttp(answer, replayed);
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
        StoredResponse response = answer.stored();
        ResponseEntity.BodyBuilder http = ResponseEntity.status(response.status())
                .eTag(CommandRequests.etag(response.version()))
                .contentType(MediaType.APPLICATION_JSON);
        if (response.location() != null) {
            http.location(URI.create(response.location()));
        }
        if (replayed) {
            http.header(IDEMPOTENT_REPLAY_HEADER, "true");
        }
        if (answer.body() != null) {
            return http.body(answer.body());
        }
        try {
            JsonNode body = json.readTree(response.body());
            return http.body(body);
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

    private static String validKey(String key) {
        if (key == null) {
            return null;
        }
        if (!KEY.matcher(key).matches()) {
            throw new CommandRejectedException(ErrorCode.MALFORMED_REQUEST,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID");
        }
        return key;
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

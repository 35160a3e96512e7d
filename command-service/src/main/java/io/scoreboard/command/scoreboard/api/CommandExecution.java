package io.scoreboard.command.scoreboard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.scoreboard.command.access.BoardAuthorization;
import io.scoreboard.command.eventstore.BatchedAppends;
import io.scoreboard.command.eventstore.StoredVersions;
import io.scoreboard.command.idempotency.IdempotencyStore;
import io.scoreboard.command.idempotency.IdempotencyStore.StoredResponse;
import io.scoreboard.command.replication.EventPositions;
import io.scoreboard.command.replication.EventPositions.EventKey;
import io.scoreboard.command.replication.LocalBacklog;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
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
 *
 * <p>Writes to existing boards that arrive together share that transaction ({@link GroupCommit}, ADR 0029):
 * their boards are locked in one statement (only those free at once: a board held elsewhere runs alone after
 * the batch, so it neither delays the others nor can deadlock with another instance), each command
 * runs in turn, their positions are read in one statement, and one commit stores them all. A command its
 * rules refuse fails alone: it wrote nothing (handlers check before they apply, and Axon, given no
 * transaction manager of its own, does not roll back the shared one). Any other failure rolls the batch
 * back and each of its writes runs again alone, so a write fails only for a reason of its own.
 */
@Component
class CommandExecution implements DisposableBean {

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
    /**
     * A batch's boards' locks, each taken only if free at once: a board another instance (or the operator CLI)
     * holds leaves the batch and waits alone afterwards, instead of holding up every other board in it.
     */
    private static final String TRY_LOCK_BOARDS = "SELECT k, pg_try_advisory_xact_lock(?, k) FROM unnest(?::int[]) AS k";

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
    private final StoredVersions storedVersions;
    private final IdempotencyStore idempotency;
    private final ReplicationGate replication;
    private final KafkaReplicator replicator;
    private final LocalBacklog localBacklog;
    private final ObjectMapper json;
    private final BoardAuthorization authorization;
    private final String lockTimeout;
    /** Null when scoreboard.commands.group-commit.writers is 0: every write runs alone on its request's thread. */
    private final GroupCommit<BoardWrite> groupCommit;
    private final DistributionSummary batchSizes;
    private final Counter batchesRerun;

    CommandExecution(TransactionTemplate transaction, JdbcTemplate jdbc, EventPositions positions,
                     StoredVersions storedVersions,
                     IdempotencyStore idempotency, ReplicationGate replication, KafkaReplicator replicator,
                     LocalBacklog localBacklog, ObjectMapper json, BoardAuthorization authorization, CommandProperties properties,
                     MeterRegistry meters) {
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.positions = positions;
        this.storedVersions = storedVersions;
        this.idempotency = idempotency;
        this.replication = replication;
        this.replicator = replicator;
        this.localBacklog = localBacklog;
        this.json = json;
        this.authorization = authorization;
        long millis = properties.boardLockTimeout().toMillis();
        this.lockTimeout = (properties.boardLockTimeout().isZero() ? 0 : Math.max(1, millis)) + "ms";
        this.batchSizes = DistributionSummary.builder("scoreboard.commands.batch.writes")
                .description("writes to existing boards stored per transaction (group commit, ADR 0029)")
                .register(meters);
        this.batchesRerun = Counter.builder("scoreboard.commands.batch.rerun")
                .description("batches that failed as a whole, whose writes then ran alone")
                .register(meters);
        CommandProperties.GroupCommitProperties group = properties.groupCommit();
        this.groupCommit = group.writers() == 0 ? null
                : new GroupCommit<>(group.writers(), group.maxBatch(), this::storeTogether);
    }

    @Override
    public void destroy() {
        if (groupCommit != null) {
            groupCommit.close();
        }
    }

    /** A write to an existing board, queued for a {@link GroupCommit} batch. */
    private static final class BoardWrite extends GroupCommit.Queued {
        final String scope;
        final String key;
        final String fingerprint;
        final Supplier<Completed<?>> command;

        BoardWrite(UUID board, String scope, String key, String fingerprint, Supplier<Completed<?>> command) {
            super(board);
            this.scope = scope;
            this.key = key;
            this.fingerprint = fingerprint;
            this.command = command;
        }
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
        BoardWrite write = new BoardWrite(board, tokenHash, key, key == null ? null : fingerprint(request), command);
        Outcome outcome = groupCommit == null ? storeAlone(write.board(), write.scope, key, write.fingerprint, command)
                : (Outcome) groupCommit.store(write);
        return respond(outcome, false);
    }

    /**
     * A create: no board and no token yet; the key (if any) is its own scope. Stored but not acknowledged
     * by Kafka in time, it answers 202 with its body (the tokens!) instead of a body-less 503. It runs alone:
     * it takes no board lock, and it may be as large as a transaction gets (10,000 participants).
     */
    ResponseEntity<?> create(String idempotencyKey, Object request, Supplier<Completed<?>> command) {
        String key = IdempotencyKeys.ofCreate(idempotencyKey);
        String fingerprint = key == null ? null : fingerprint(request);
        return respond(storeAlone(null, IdempotencyStore.CREATE_SCOPE, key, fingerprint, command), true);
    }

    /** One write in a transaction of its own. */
    private Outcome storeAlone(UUID board, String scope, String key, String fingerprint, Supplier<Completed<?>> command) {
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
                Completed<?> completed = command.get();
                long position = positions.positionOf(completed.scoreboardId(), completed.version());
                return fresh(completed, position, scope, key, fingerprint);
            });
            if (!outcome.replayed()) {
                localBacklog.committed(outcome.answer().stored().position());
            }
            return outcome;
        } catch (DuplicateKeyException sameKeyCommittedFirst) {
            // A concurrent request with this key won; ours rolled back with everything it appended.
            return new Outcome(new Answer(requireSameRequest(idempotency.find(scope, key)
                    .orElseThrow(() -> sameKeyCommittedFirst), fingerprint), null), true);
        }
    }

    /**
     * A {@link GroupCommit} batch (distinct boards): one transaction, each write completed once it committed.
     * When the batch fails as a whole, each write runs again alone, unless the store itself is unreachable.
     */
    private void storeTogether(List<BoardWrite> batch) {
        localBacklog.awaitRoom(); // LOCAL mode: not too far ahead of the replicator (ADR 0030)
        batchSizes.record(batch.size());
        if (batch.size() == 1) {
            storeAloneInto(batch.get(0));
            return;
        }
        List<BoardWrite> busy = new ArrayList<>();
        List<Object> results;
        try {
            results = transaction.execute(status -> storeInOneTransaction(batch, busy));
        } catch (RuntimeException batchFailed) {
            if (storeUnreachable(batchFailed)) {
                // Alone, each would wait for a connection again: they fail as they would have, at once.
                for (BoardWrite write : batch) {
                    write.fail(batchFailed);
                }
                return;
            }
            // Nothing of the batch is stored; whichever write caused it fails again alone, the others succeed.
            batchesRerun.increment();
            batch.forEach(this::storeAloneInto);
            return;
        }
        long highest = -1;
        for (int i = 0; i < results.size(); i++) {
            BoardWrite write = batch.get(i);
            if (results.get(i) instanceof RuntimeException refused) {
                write.fail(refused);
            } else if (results.get(i) instanceof Outcome outcome) {
                if (!outcome.replayed()) {
                    highest = Math.max(highest, outcome.answer().stored().position());
                }
                write.succeed(outcome);
            }
        }
        if (highest >= 0) {
            localBacklog.committed(highest);
        }
        // Boards locked elsewhere wait for their lock alone, at most board-lock-timeout (then BOARD_BUSY).
        busy.forEach(this::storeAloneInto);
    }

    private void storeAloneInto(BoardWrite write) {
        try {
            write.succeed(storeAlone(write.board(), write.scope, write.key, write.fingerprint, write.command));
        } catch (RuntimeException e) {
            write.fail(e);
        }
    }

    /**
     * Per write of the batch, in its order: its {@link Outcome}, the exception its rules refused it with, or null
     * when its board's lock was held elsewhere (the write is then added to {@code busy}).
     */
    private List<Object> storeInOneTransaction(List<BoardWrite> batch, List<BoardWrite> busy) {
        Set<Integer> locked = tryLockAll(batch);
        busy.clear(); // a rerun of this callback starts afresh
        // One read of every board's latest version; a kept board that is current then reads no events.
        storedVersions.readForThisTransaction(batch.stream().map(BoardWrite::board)
                .filter(board -> locked.contains(board.hashCode())).toList());
        // The commands' events are inserted together, in one round trip, before their positions are read.
        BatchedAppends.deferInThisTransaction();
        List<Object> results = new ArrayList<>(batch.size());
        List<Integer> appended = new ArrayList<>(batch.size());
        List<EventKey> eventKeys = new ArrayList<>(batch.size());
        for (BoardWrite write : batch) {
            if (!locked.contains(write.board().hashCode())) {
                busy.add(write);
                results.add(null);
                continue;
            }
            try {
                if (write.key != null) {
                    Optional<StoredResponse> previous = idempotency.find(write.scope, write.key);
                    if (previous.isPresent()) {
                        results.add(new Outcome(new Answer(requireSameRequest(previous.get(), write.fingerprint), null),
                                true));
                        continue;
                    }
                }
                Completed<?> completed = write.command.get();
                appended.add(results.size());
                eventKeys.add(new EventKey(completed.scoreboardId(), completed.version()));
                results.add(completed);
            } catch (CommandRejectedException | AggregateNotFoundException refusedByItsRules) {
                results.add(refusedByItsRules); // read, decided, wrote nothing: the others go on
            }
        }
        BatchedAppends.flush();
        Map<EventKey, Long> stored = positions.positionsOf(eventKeys);
        for (int i = 0; i < appended.size(); i++) {
            int index = appended.get(i);
            BoardWrite write = batch.get(index);
            results.set(index, fresh((Completed<?>) results.get(index), stored.get(eventKeys.get(i)), write.scope,
                    write.key, write.fingerprint));
        }
        return results;
    }

    /** A fresh answer, remembered for its Idempotency-Key (in the same transaction) when there is one. */
    private Outcome fresh(Completed<?> completed, long position, String scope, String key, String fingerprint) {
        Answer answer = complete(completed, position, fingerprint, key != null);
        if (key != null) {
            idempotency.save(scope, key, answer.stored());
        }
        return new Outcome(answer, false);
    }

    /** After the commit: the durability mode's wait, then the HTTP answer. */
    private ResponseEntity<?> respond(Outcome outcome, boolean creates) {
        Answer answer = outcome.answer();
        boolean replayed = outcome.replayed();
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

    /** Takes the batch's boards' locks that are free now; answers the lock keys it holds. */
    private Set<Integer> tryLockAll(List<BoardWrite> batch) {
        Integer[] keys = batch.stream().map(write -> write.board().hashCode()).distinct().toArray(Integer[]::new);
        Set<Integer> locked = new HashSet<>(keys.length * 2);
        jdbc.query(con -> {
            var statement = con.prepareStatement(TRY_LOCK_BOARDS);
            statement.setInt(1, BOARD_LOCK_SPACE);
            statement.setArray(2, con.createArrayOf("int4", keys));
            return statement;
        }, rs -> {
            if (rs.getBoolean(2)) {
                locked.add(rs.getInt(1));
            }
        });
        return locked;
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

    /** Whether {@code e} says the event store cannot be reached (no connection, a lost one, a shutdown). */
    private static boolean storeUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof TransactionSystemException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
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

    private Answer complete(Completed<?> completed, long position, String fingerprint, boolean remember) {
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

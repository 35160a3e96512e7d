package io.scoreboard.command.idempotency;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The first successful response to each Idempotency-Key, in the event store database. Written in
 * the transaction that appends the command's events, so both exist or neither does.
 *
 * <p>A key is kept under a scope (ADR 0014): the hash of the bearer token that sent it for a write to a
 * board, {@link #CREATE_SCOPE} for a create (whose key then carries 128 random bits and is its own
 * credential). Another credential does not find the key: its request is a new one, authorised as any.
 */
@Component
public class IdempotencyStore {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);

    /** The scope of creates: no credential exists yet, so the key alone finds the response. */
    public static final String CREATE_SCOPE = "create";

    private final JdbcTemplate jdbc;
    private final ResponseCipher cipher;
    private final IdempotencyProperties properties;
    private final Clock clock;

    public IdempotencyStore(JdbcTemplate jdbc, IdempotencyProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = new ResponseCipher(properties.responseKey());
        this.properties = properties;
        this.clock = clock;
    }

    /** A remembered response; {@code body} is the JSON the client got. */
    public record StoredResponse(String fingerprint, int status, String location, UUID scoreboardId, long version,
                                 long position, String body) {}

    /** The response remembered for {@code key} in {@code scope}, unless there is none or it has expired. */
    public Optional<StoredResponse> find(String scope, String key) {
        List<StoredResponse> rows = jdbc.query("""
                SELECT request_fingerprint, response_status, response_location, scoreboard_id, board_version,
                       event_position, encrypted_body
                  FROM idempotency_keys WHERE scope = ? AND idempotency_key = ? AND created_at > ?""",
                (rs, i) -> new StoredResponse(rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getLong(5), rs.getLong(6),
                        new String(cipher.decrypt(rs.getBytes(7), aad(scope, key)), StandardCharsets.UTF_8)),
                scope, key, Timestamp.from(oldestKept()));
        return rows.stream().findFirst();
    }

    /**
     * Remembers {@code response}, replacing an expired record of the same key (one the purge has not
     * deleted yet): after its retention a key is free again. Fails with a duplicate-key error when a
     * concurrent request with the same key committed first.
     */
    public void save(String scope, String key, StoredResponse response) {
        jdbc.update("DELETE FROM idempotency_keys WHERE scope = ? AND idempotency_key = ? AND created_at <= ?",
                scope, key, Timestamp.from(oldestKept()));
        jdbc.update("""
                INSERT INTO idempotency_keys (scope, idempotency_key, request_fingerprint, response_status,
                                              response_location, scoreboard_id, board_version, event_position,
                                              encrypted_body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                scope, key, response.fingerprint(), response.status(), response.location(), response.scoreboardId(),
                response.version(), response.position(),
                cipher.encrypt(response.body().getBytes(StandardCharsets.UTF_8), aad(scope, key)),
                Timestamp.from(clock.instant()));
    }

    /** Forgets keys past the retention; expired ones are already ignored by {@link #find}. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    public void forgetExpired() {
        int deleted = jdbc.update("DELETE FROM idempotency_keys WHERE created_at <= ?", Timestamp.from(oldestKept()));
        if (deleted > 0) {
            log.info("forgot {} idempotency keys older than {}", deleted, properties.retention());
        }
    }

    private Instant oldestKept() {
        return clock.instant().minus(properties.retention());
    }

    /**
     * Binds a ciphertext to its scope and key: a body copied to another row does not decrypt. A create's
     * is bound to the key alone, as every record was before scopes (V4 moved those records to the create
     * scope, so they still decrypt).
     */
    private static byte[] aad(String scope, String key) {
        String boundTo = CREATE_SCOPE.equals(scope) ? key : scope + "\n" + key;
        return boundTo.getBytes(StandardCharsets.UTF_8);
    }
}

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
 */
@Component
public class IdempotencyStore {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);

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

    public Optional<StoredResponse> find(String key) {
        List<StoredResponse> rows = jdbc.query("""
                SELECT request_fingerprint, response_status, response_location, scoreboard_id, board_version,
                       event_position, encrypted_body
                  FROM idempotency_keys WHERE idempotency_key = ? AND created_at > ?""",
                (rs, i) -> new StoredResponse(rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getLong(5), rs.getLong(6),
                        new String(cipher.decrypt(rs.getBytes(7), aad(key)), StandardCharsets.UTF_8)),
                key, Timestamp.from(oldestKept()));
        return rows.stream().findFirst();
    }

    /** Fails with a duplicate-key error when a concurrent request with the same key committed first. */
    public void save(String key, StoredResponse response) {
        jdbc.update("""
                INSERT INTO idempotency_keys (idempotency_key, request_fingerprint, response_status, response_location,
                                              scoreboard_id, board_version, event_position, encrypted_body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                key, response.fingerprint(), response.status(), response.location(), response.scoreboardId(),
                response.version(), response.position(),
                cipher.encrypt(response.body().getBytes(StandardCharsets.UTF_8), aad(key)),
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

    /** Binds a ciphertext to its key: a body copied to another key's row does not decrypt. */
    private static byte[] aad(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}

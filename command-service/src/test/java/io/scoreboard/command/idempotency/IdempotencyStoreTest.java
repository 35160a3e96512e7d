package io.scoreboard.command.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.command.idempotency.IdempotencyStore.StoredResponse;
import io.scoreboard.testsupport.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Idempotency records on a real PostgreSQL event store, migrated as in production, reached as the app role. */
class IdempotencyStoreTest {

    private static final String TOKEN_HASH = "a".repeat(64);
    private static final String OTHER_TOKEN_HASH = "b".repeat(64);
    private static final String KEY = UUID.randomUUID().toString();

    private TestDatabases databases;
    private IdempotencyStore store;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void start() {
        databases = TestDatabases.create();
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(databases.eventsJdbcUrl(),
                databases.appRole().user(), databases.appRole().password()));
        store = new IdempotencyStore(jdbc, new IdempotencyProperties("c2NvcmVib2FyZC1zeXN0ZW0tdGVzdHMtb25seS1rZXk=",
                Duration.ofHours(25)), clock);
    }

    @AfterEach
    void stop() {
        if (databases != null) {
            databases.close();
        }
    }

    private static StoredResponse response(String body) {
        return new StoredResponse("f".repeat(64), 200, null, UUID.randomUUID(), 3, 7, body);
    }

    @Test
    void aKeyIsFoundOnlyUnderTheScopeThatStoredIt() {
        store.save(TOKEN_HASH, KEY, response("{\"first\":true}"));

        assertThat(store.find(TOKEN_HASH, KEY)).get().extracting(StoredResponse::body).isEqualTo("{\"first\":true}");
        assertThat(store.find(OTHER_TOKEN_HASH, KEY)).as("another credential").isEmpty();
        assertThat(store.find(IdempotencyStore.CREATE_SCOPE, KEY)).as("a create").isEmpty();

        store.save(OTHER_TOKEN_HASH, KEY, response("{\"other\":true}"));
        assertThat(store.find(OTHER_TOKEN_HASH, KEY)).get().extracting(StoredResponse::body).isEqualTo("{\"other\":true}");
        assertThat(store.find(TOKEN_HASH, KEY)).get().extracting(StoredResponse::body).isEqualTo("{\"first\":true}");
    }

    @Test
    void aKeptKey_cannotBeStoredTwice() {
        store.save(TOKEN_HASH, KEY, response("{\"first\":true}"));
        clock.advance(Duration.ofHours(24));

        assertThatThrownBy(() -> store.save(TOKEN_HASH, KEY, response("{\"second\":true}")))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(store.find(TOKEN_HASH, KEY)).get().extracting(StoredResponse::body).isEqualTo("{\"first\":true}");
    }

    @Test
    void anExpiredKey_notYetPurged_isFreeForANewResponse() {
        store.save(TOKEN_HASH, KEY, response("{\"first\":true}"));
        clock.advance(Duration.ofHours(25).plusSeconds(1));
        assertThat(store.find(TOKEN_HASH, KEY)).as("expired").isEmpty();

        store.save(TOKEN_HASH, KEY, response("{\"second\":true}"));

        assertThat(store.find(TOKEN_HASH, KEY)).get().extracting(StoredResponse::body).isEqualTo("{\"second\":true}");
        clock.advance(Duration.ofHours(24));
        assertThat(store.find(TOKEN_HASH, KEY)).as("kept for its own retention").isPresent();
    }
}

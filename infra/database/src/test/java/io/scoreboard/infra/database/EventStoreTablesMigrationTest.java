package io.scoreboard.infra.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.startup.EventStoreTables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The event store's migration creates its tables under the names every process uses (EventStoreTables). */
class EventStoreTablesMigrationTest {

    private static final Pattern CREATE_TABLE = Pattern.compile("(?i)CREATE TABLE\\s+(\\w+)");

    @Test
    void theEventStoreMigrationCreatesTheSharedTableNames() throws IOException {
        assertThat(tablesCreatedBy("db/migration/events/V1__event_store.sql"))
                .contains(EventStoreTables.EVENTS, EventStoreTables.SNAPSHOTS, EventStoreTables.TOKENS);
    }

    @Test
    void aTableNameTheMigrationDoesNotCreateIsCaught() throws IOException {
        assertThat(tablesCreatedBy("db/migration/events/V1__event_store.sql")).doesNotContain("domain_event_entries");
    }

    private static Set<String> tablesCreatedBy(String resource) throws IOException {
        try (InputStream in = EventStoreTablesMigrationTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Matcher m = CREATE_TABLE.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Set<String> tables = new TreeSet<>();
            while (m.find()) {
                tables.add(m.group(1));
            }
            return tables;
        }
    }
}

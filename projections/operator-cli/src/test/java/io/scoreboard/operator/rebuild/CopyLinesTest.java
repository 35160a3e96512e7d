package io.scoreboard.operator.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;

/** Whatever text a row holds arrives in PostgreSQL exactly, in both COPY formats: the rebuild must not alter a byte. */
class CopyLinesTest {

    private static final List<String> TEXTS = Arrays.asList(
            "plain", "", null, "a,b;c", "quote \" and \"\"two\"\"", "tab\there", "line\nbreak", "carriage\rreturn",
            "back\\slash \\N \\t", "\\", "{\"type\":\"ScoreChanged\",\"payload\":{\"reason\":\"a \\\"quoted\\\" \\\\ word\"}}",
            "Ünïcødé 😀 ✓", "'=formula", "\\.");

    private static TestDatabases databases;

    @BeforeAll
    static void start() {
        databases = TestDatabases.create();
    }

    @AfterAll
    static void stop() {
        if (databases != null) {
            databases.close();
        }
    }

    @ParameterizedTest
    @EnumSource(CopyLines.Format.class)
    void everyTextArrivesExactly_nullStaysNull_emptyStaysEmpty(CopyLines.Format format) throws Exception {
        try (Connection c = DriverManager.getConnection(databases.readJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password()); Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE copied (n INT, t TEXT, k UUID)");
            try (CopyLines rows = CopyLines.into(c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(format.statement("copied", "n, t, k")), format)) {
                for (int i = 0; i < TEXTS.size(); i++) {
                    rows.field(i).text(TEXTS.get(i)).field(i % 2 == 0 ? null : java.util.UUID.nameUUIDFromBytes(
                            new byte[] {(byte) i})).endRow();
                }
            }
            List<String> back = new ArrayList<>();
            List<Boolean> keys = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT t, k IS NULL FROM copied ORDER BY n")) {
                while (rs.next()) {
                    back.add(rs.getString(1));
                    keys.add(rs.getBoolean(2));
                }
            }
            assertThat(back).containsExactlyElementsOf(TEXTS);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(keys.get(i)).as("row %d's null field", i).isEqualTo(i % 2 == 0);
            }
        }
    }
}

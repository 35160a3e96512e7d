package io.scoreboard.bench;

import io.scoreboard.testsupport.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a figure was measured on: it is meaningless without the machine. */
final class Machine {

    private Machine() {}

    static Map<String, Object> describe(TestDatabases databases) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory", memory());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        m.put("postgresql", postgres(databases));
        m.put("kafka", System.getenv("SCOREBOARD_TEST_KAFKA") != null ? "configured broker "
                + System.getenv("SCOREBOARD_TEST_KAFKA") : "embedded KRaft broker (child JVM)");
        return m;
    }

    private static String memory() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String postgres(TestDatabases databases) {
        try (Connection c = DriverManager.getConnection(databases.eventsJdbcUrl(), databases.ownerRole().user(),
                databases.ownerRole().password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1).replaceFirst(" on .*", "") + " at " + databases.server().host() + ":"
                    + databases.server().port();
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}

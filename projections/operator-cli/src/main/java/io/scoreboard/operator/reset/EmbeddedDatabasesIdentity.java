package io.scoreboard.operator.reset;

import io.scoreboard.infra.database.PostgresServer;
import io.scoreboard.infra.localstack.DirectoryInUseException;
import io.scoreboard.infra.localstack.EmbeddedPostgres;
import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.PostgresInstallation;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.startup.EnvironmentIdentity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environments recorded by the databases in the local stack's data directory, read from that
 * data itself: the stack is stopped (reset-local requires it), so its embedded PostgreSQL is started
 * on a free port, asked, and stopped again. This checks exactly the data about to be deleted, not
 * whatever a URL happens to point at. The server runs from the binaries the stack unpacked into that
 * same directory, so the CLI ships none of its own (ARCHITECTURE.md, "Module layers").
 */
final class EmbeddedDatabasesIdentity {

    private EmbeddedDatabasesIdentity() {}

    /** Database name → recorded environment (empty when the database is gone or records none). */
    static Map<String, Optional<String>> read(LocalStackDirectory local) {
        Map<String, Optional<String>> recorded = new LinkedHashMap<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(local.postgresDirectory(), Ports.findFree(),
                PostgresInstallation.alreadyUnpacked())) {
            PostgresServer server = postgres.server();
            for (String database : local.databaseNames()) {
                recorded.put(database, recordedBy(server, database));
            }
        } catch (DirectoryInUseException e) {
            throw OperatorException.refused("the local stack's PostgreSQL in " + local.postgresDirectory()
                    + " is running. Nothing was changed.",
                    "stop the stack with Ctrl-C in the terminal running ./scoreboard up, then run reset-local again");
        } catch (IllegalStateException e) {
            // No binaries beside the data (deleted by hand?), or the server would not start on it.
            throw OperatorException.refused("cannot start the local stack's PostgreSQL in " + local.postgresDirectory()
                    + " to read the environment of its databases: " + e.getMessage() + ". Nothing was changed.",
                    "start the stack once (./scoreboard up) and stop it, then run reset-local again; or, if this "
                            + "really is a disposable local stack, delete the directory by hand");
        }
        return recorded;
    }

    private static Optional<String> recordedBy(PostgresServer server, String database) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(database), server.superuser(),
                server.superuserPassword())) {
            return EnvironmentIdentity.recorded(c);
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState())) { // invalid_catalog_name: the database was dropped
                return Optional.empty();
            }
            throw OperatorException.unreachable("cannot read the environment of " + database + " in the local "
                    + "stack's PostgreSQL: " + e.getMessage() + ". Nothing was changed.",
                    "start the stack once (./scoreboard up) to see whether its data is healthy", e);
        }
    }
}

package io.scoreboard.infra.database;

import io.scoreboard.startup.DatabaseRoles;
import java.util.Map;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The read model lives in its own schema of the read database, not in {@code public}: a rebuild
 * builds a complete copy (tables, indexes, grants, its own migration history) in a shadow schema
 * and switches by renaming schemas in one transaction, so queries never see a half-built board
 * (docs/adr/0008). The query service reads with {@code search_path = read_model}; everything it
 * queries is unqualified so that the rename is all it takes.
 */
public final class ReadModelSchema {

    /** The schema the query service reads and its projection runner writes. */
    public static final String LIVE = "read_model";

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private ReadModelSchema() {}

    /**
     * Creates {@code schema} if needed and applies every read-model migration to it, as the owner
     * role, with its own history table inside the schema (so each copy knows its own version). The
     * analyst role is {@link DatabaseRoles#ANALYST}.
     */
    public static MigrateResult migrate(String readDatabaseUrl, RoleCredentials owner, String appRole, String schema) {
        return migrate(readDatabaseUrl, owner, appRole, DatabaseRoles.ANALYST, schema);
    }

    /**
     * As {@link #migrate(String, RoleCredentials, String, String)}, granting read access to
     * {@code analystRole} (which must exist: {@link DatabaseBootstrap} makes it).
     */
    public static MigrateResult migrate(String readDatabaseUrl, RoleCredentials owner, String appRole,
                                        String analystRole, String schema) {
        requireName(schema);
        if (analystRole == null || !NAME.matcher(analystRole).matches()) {
            throw new IllegalArgumentException("role name '" + analystRole + "' must match " + NAME.pattern());
        }
        return Flyway.configure()
                .dataSource(readDatabaseUrl, owner.user(), owner.password())
                .locations(ScoreboardDatabase.READ.migrationLocation())
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .placeholders(Map.of("app_role", appRole, "owner_role", owner.user(), "analyst_role", analystRole))
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    /** A schema name that is safe to put into DDL unquoted. */
    public static String requireName(String schema) {
        if (schema == null || !NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema name '" + schema + "' must match " + NAME.pattern());
        }
        return schema;
    }
}

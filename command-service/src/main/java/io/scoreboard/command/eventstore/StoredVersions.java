package io.scoreboard.command.eventstore;

import io.scoreboard.startup.EventStoreTables;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The latest sequence number the store holds of each board a group-commit batch locked, read in one
 * statement once the locks are held (ADR 0029). While the transaction lasts, a command on such a board whose
 * kept state is at that version reads no events before it runs: nothing can have been stored since, the
 * board's lock is held. Without it, {@link CommittedStateRepository} asks the store per command.
 *
 * <p>Known for the transaction that read them only: the commands of the batch store events, so the numbers
 * are right for each board's first command and the batch holds each board once.
 */
@Component
public class StoredVersions {

    /** Per board, a scalar max() that PostgreSQL answers from the end of the (board, sequence) index. */
    private static final String SQL = "SELECT b.id, (SELECT max(e.sequence_number) FROM "
            + EventStoreTables.EVENTS + " e WHERE e.aggregate_identifier = b.id) FROM unnest(?::varchar[]) AS b(id)";

    private final JdbcTemplate jdbc;

    public StoredVersions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Reads the latest sequence number of each of {@code boards} and keeps them for the current transaction.
     * The caller holds the boards' locks.
     */
    public void readForThisTransaction(Collection<UUID> boards) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("stored versions are kept per transaction: none is active");
        }
        String[] ids = boards.stream().map(UUID::toString).toArray(String[]::new);
        Map<String, Long> versions = new HashMap<>(ids.length * 2);
        jdbc.query(con -> {
            var statement = con.prepareStatement(SQL);
            statement.setArray(1, con.createArrayOf("varchar", ids));
            return statement;
        }, rs -> {
            long version = rs.getLong(2);
            if (!rs.wasNull()) {
                versions.put(rs.getString(1), version);
            }
        });
        if (TransactionSynchronizationManager.hasResource(StoredVersions.class)) {
            TransactionSynchronizationManager.unbindResource(StoredVersions.class);
        } else {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(StoredVersions.class);
                }
            });
        }
        TransactionSynchronizationManager.bindResource(StoredVersions.class, versions);
    }

    /**
     * Whether the current transaction read that the store's latest event of {@code id} is {@code version}.
     * False when it did not read {@code id}'s version (ask the store).
     */
    static boolean isLatest(String id, long version) {
        if (!(TransactionSynchronizationManager.getResource(StoredVersions.class) instanceof Map<?, ?> versions)) {
            return false;
        }
        return versions.get(id) instanceof Long latest && latest == version;
    }
}

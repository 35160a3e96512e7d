package io.scoreboard.projections.scoreboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The read model tells whoever listens which boards a transaction changed: one PostgreSQL
 * {@code NOTIFY} on {@link #CHANNEL}, sent inside the projection's transaction, so it is delivered
 * exactly when (and only if) the rows commit, to every query-service instance on the read database
 * (docs/adr/0038). The payload is the changed boards' ids, comma-separated, at most {@link #BOARDS_PER_NOTICE}
 * per notice (PostgreSQL refuses payloads of 8,000 bytes and more).
 */
public final class BoardChangeNotices {

    /** The channel every live view listens on. */
    public static final String CHANNEL = "scoreboard_board_changes";
    /** 36 characters and a comma each: 200 ids are 7,399 bytes. */
    static final int BOARDS_PER_NOTICE = 200;

    private BoardChangeNotices() {
    }

    /** Queues the notices in the connection's transaction; PostgreSQL sends them at its commit. */
    static void send(Connection connection, Collection<UUID> boards) throws SQLException {
        if (boards.isEmpty()) {
            return;
        }
        List<String> payloads = payloads(boards);
        try (PreparedStatement p = connection.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            for (String payload : payloads) {
                p.setString(1, payload);
                p.execute();
            }
        }
    }

    static List<String> payloads(Collection<UUID> boards) {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        int inPayload = 0;
        for (UUID board : boards) {
            if (inPayload == BOARDS_PER_NOTICE) {
                payloads.add(payload.toString());
                payload.setLength(0);
                inPayload = 0;
            }
            if (inPayload > 0) {
                payload.append(',');
            }
            payload.append(board);
            inPayload++;
        }
        payloads.add(payload.toString());
        return payloads;
    }

    /** The board ids of one notice's payload; ids that do not parse are skipped (nobody else should send here). */
    public static List<UUID> boardsOf(String payload) {
        List<UUID> boards = new ArrayList<>();
        if (payload == null || payload.isEmpty()) {
            return boards;
        }
        for (String id : payload.split(",")) {
            try {
                boards.add(UUID.fromString(id));
            } catch (IllegalArgumentException ignored) {
                // not ours: listeners fall back to checking every board they follow
            }
        }
        return boards;
    }
}

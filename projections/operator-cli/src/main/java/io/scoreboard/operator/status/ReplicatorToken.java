package io.scoreboard.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the kafka-replicator's committed token in {@code token_entry} covers, read without Axon (the
 * CLI must not depend on command-service; StoredReplicatorToken there reads the same row). The token
 * is Axon's GapAwareTrackingToken as JSON ({@code {"index":…,"gaps":[…]}}), possibly wrapped (a
 * ReplayToken keeps it in {@code currentToken}); it is committed only after Kafka acknowledged
 * everything it covers.
 */
public final class ReplicatorToken {

    static final String PROCESSOR = "kafka-replicator";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplicatorToken() {}

    /**
     * Positions up to {@code index} are in Kafka except {@code gaps} (positions the replicator passed
     * before their transaction committed).
     */
    public record Coverage(long index, List<Long> gaps) {}

    /** The committed coverage, or empty before the replicator's first batch. */
    public static Optional<Coverage> read(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT token, token_type FROM token_entry WHERE processor_name = ? AND token IS NOT NULL")) {
            p.setString(1, PROCESSOR);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(parse(rs.getBytes(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    static Coverage parse(byte[] token, String type) {
        JsonNode node;
        try {
            node = JSON.readTree(token);
        } catch (IOException e) {
            throw new IllegalStateException("the " + PROCESSOR + " token (" + type + ") is not JSON: " + e.getMessage(), e);
        }
        while (node != null && !node.has("index") && node.has("currentToken")) {
            node = node.get("currentToken");
        }
        if (node == null || !node.has("index")) {
            throw new IllegalStateException("the " + PROCESSOR + " token is a " + type + " without a position "
                    + "(expected a GapAwareTrackingToken)");
        }
        List<Long> gaps = new ArrayList<>();
        node.path("gaps").forEach(g -> gaps.add(g.asLong()));
        return new Coverage(node.get("index").asLong(), List.copyOf(gaps));
    }
}

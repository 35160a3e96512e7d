package io.scoreboard.startup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The replicator's row in {@link EventStoreTables#TOKENS}, read and written by two processes: the command
 * service's replicator (its claim and what Kafka holds) and the operator CLI (status, republish,
 * restore-event-store), which must not depend on the command service. The token is Axon's
 * GapAwareTrackingToken as JSON ({@code {"index":…,"gaps":[…]}}), as earlier versions of the service wrote
 * it through an Axon tracking processor of the same name; a wrapping token (Axon's ReplayToken) keeps it in
 * {@code currentToken}. It is committed only after Kafka acknowledged everything it covers.
 */
public final class ReplicatorToken {

    /** The processor name of the row. */
    public static final String PROCESSOR = "kafka-replicator";
    /** Its only segment. */
    public static final int SEGMENT = 0;
    /** What Axon's serializer recorded as the token's type, and what is recorded still. */
    public static final String TOKEN_TYPE = "org.axonframework.eventhandling.GapAwareTrackingToken";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplicatorToken() {}

    /**
     * Positions up to {@code index} are in Kafka except {@code gaps} (positions the replicator passed
     * before their transaction committed, ascending).
     */
    public record Coverage(long index, List<Long> gaps) {
        public Coverage {
            gaps = List.copyOf(gaps);
        }
    }

    /** The committed coverage, or empty before the replicator's first batch. */
    public static Optional<Coverage> read(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT token FROM " + EventStoreTables.TOKENS
                + " WHERE processor_name = ? AND token IS NOT NULL")) {
            p.setString(1, PROCESSOR);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(parse(rs.getBytes(1))) : Optional.empty();
            }
        }
    }

    /** A stored token's coverage; refuses (IllegalStateException) one that is not JSON or has no position. */
    public static Coverage parse(byte[] token) {
        JsonNode node;
        try {
            node = JSON.readTree(token);
        } catch (IOException e) {
            throw new IllegalStateException("the " + PROCESSOR + " token is not JSON: " + e.getMessage(), e);
        }
        while (node != null && !node.has("index") && node.has("currentToken")) {
            node = node.get("currentToken");
        }
        if (node == null || !node.has("index")) {
            throw new IllegalStateException("the " + PROCESSOR + " token has no \"index\" (expected a "
                    + "GapAwareTrackingToken): " + new String(token, StandardCharsets.UTF_8));
        }
        List<Long> gaps = new ArrayList<>();
        node.path("gaps").forEach(g -> gaps.add(g.asLong()));
        return new Coverage(node.get("index").asLong(), gaps);
    }

    /** The token as Axon's JacksonSerializer writes a GapAwareTrackingToken. */
    public static byte[] format(long index, long[] gaps) {
        ObjectNode token = JSON.createObjectNode();
        token.put("index", index);
        ArrayNode list = token.putArray("gaps");
        for (long gap : gaps) {
            list.add(gap);
        }
        return token.toString().getBytes(StandardCharsets.UTF_8);
    }
}

package io.scoreboard.command.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Which event-store positions Kafka holds: every position up to {@code head} except the {@code gaps}
 * (positions passed before their transaction committed, or that never will). Stored in
 * {@code token_entry} in the format of Axon's GapAwareTrackingToken ({@code {"index":…,"gaps":[…]}}),
 * which the operator CLI reads and writes (status, republish, restore-event-store).
 *
 * @param head the highest position replicated, 0 before the first event
 * @param gaps positions below {@code head} not replicated yet, ascending, no duplicates
 */
public record Coverage(long head, long[] gaps) {

    /** The token type the CLI and earlier versions of this service recorded (Axon's class name). */
    static final String TOKEN_TYPE = "org.axonframework.eventhandling.GapAwareTrackingToken";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Coverage NOTHING = new Coverage(0, new long[0]);

    public Coverage {
        gaps = gaps.clone();
        Arrays.sort(gaps);
    }

    public boolean covers(long position) {
        return position <= head && Arrays.binarySearch(gaps, position) < 0;
    }

    public List<Long> gapList() {
        return Arrays.stream(gaps).boxed().toList();
    }

    byte[] toToken() {
        ObjectNode token = JSON.createObjectNode();
        token.put("index", head);
        ArrayNode list = token.putArray("gaps");
        for (long gap : gaps) {
            list.add(gap);
        }
        return token.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a stored token; a wrapping token (Axon's ReplayToken) keeps the position in {@code currentToken}. */
    static Coverage fromToken(byte[] token) {
        JsonNode node;
        try {
            node = JSON.readTree(token);
        } catch (IOException e) {
            throw new IllegalStateException("the replicator's stored position is not JSON: " + e.getMessage(), e);
        }
        while (node != null && !node.has("index") && node.has("currentToken")) {
            node = node.get("currentToken");
        }
        if (node == null || !node.has("index")) {
            throw new IllegalStateException("the replicator's stored position has no \"index\": "
                    + new String(token, StandardCharsets.UTF_8));
        }
        JsonNode gapNodes = node.path("gaps");
        long[] gaps = new long[gapNodes.size()];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = gapNodes.get(i).asLong();
        }
        return new Coverage(Math.max(0, node.get("index").asLong()), gaps);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Coverage that && head == that.head && Arrays.equals(gaps, that.gaps);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(head) * 31 + Arrays.hashCode(gaps);
    }

    @Override
    public String toString() {
        return "Coverage[head=" + head + ", gaps=" + gaps.length + "]";
    }
}

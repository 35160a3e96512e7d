package io.scoreboard.query.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.projections.scoreboard.ScoreboardView;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * What a live stream carries, and its framing as server-sent events (docs/api.md, "Live boards"): a
 * {@code snapshot} (the board as {@code GET /{id}} answers it, with its position), then one {@code change} per
 * stored event, each with {@code id: <position>} so that a reconnecting client's {@code Last-Event-ID} says
 * where it stopped. JSON never holds a raw line break, so every message is one {@code data:} line.
 */
final class LiveMessages {

    /** Sent first: the browser's EventSource waits this long before reconnecting. */
    static final byte[] RETRY = "retry: 2000\n\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    record Snapshot(UUID scoreboardId, String name, ScoreOrder scoreOrder, Ranking ranking, boolean deleted,
                    long version, long position, List<SnapshotParticipant> participants, List<SnapshotTeam> teams) {

        static Snapshot of(ScoreboardView board) {
            return new Snapshot(board.scoreboardId(), board.name(), board.scoreOrder(), board.ranking(),
                    board.deleted(), board.version(), board.lastPosition(), board.participants().stream()
                    .map(p -> new SnapshotParticipant(p.participantId(), p.name(), p.score(), p.rank(), p.teamId()))
                    .toList(),
                    board.teams().stream().map(t -> new SnapshotTeam(t.teamId(), t.name())).toList());
        }
    }

    record SnapshotParticipant(UUID participantId, String name, BigDecimal score, long rank, UUID teamId) {}

    /** One of the board's current teams, as {@code GET /{id}} lists them. */
    record SnapshotTeam(UUID teamId, String name) {}

    /**
     * {@code board}: only when the event changed the board's name or ranking rules. {@code teams}: only when it
     * created, renamed, removed or (a rewind) restored teams, each as it stands after the event.
     */
    record Change(long position, long version, String type, List<ChangedParticipant> participants,
                  @JsonInclude(JsonInclude.Include.NON_NULL) BoardFields board,
                  @JsonInclude(JsonInclude.Include.NON_NULL) List<ChangedTeam> teams) {}

    /** A team after the event; a removed one has {@code removed: true} (its members are listed as teamless). */
    record ChangedTeam(UUID teamId, String name, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean removed) {}

    /**
     * A participant whose score, rank, name or team the event changed, as it stands after it; a removed one
     * has {@code removed: true} and no rank. {@code teamId}: its team after the event (null: none).
     */
    record ChangedParticipant(UUID participantId, String name, BigDecimal score, Long rank, UUID teamId,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Boolean removed) {}

    record BoardFields(String name, ScoreOrder scoreOrder, Ranking ranking) {}

    private final ObjectMapper json;

    LiveMessages(ObjectMapper json) {
        this.json = json;
    }

    byte[] snapshot(Snapshot snapshot) {
        return frame("snapshot", snapshot.position(), snapshot);
    }

    byte[] change(Change change) {
        return frame("change", change.position(), change);
    }

    private byte[] frame(String event, long id, Object data) {
        try {
            return ("event: " + event + "\nid: " + id + "\ndata: " + json.writeValueAsString(data) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a live " + event + " as JSON", e);
        }
    }
}

package io.scoreboard.operator.verify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One thing that does not agree, with what an operator needs to find it: the event or board, and
 * what differs.
 *
 * @param eventId      null for a board difference
 * @param scoreboardId null for a difference of the whole read model
 * @param position the event's global position, or the board's last position; -1 when unknown
 */
public record Difference(Kind kind, UUID eventId, UUID scoreboardId, long sequence, long position, String detail) {

    public enum Kind {
        MISSING_FROM_TOPIC("missing from the topic", "republish refills the topic from the event store"),
        NOT_IN_EVENT_STORE("in the topic, not in the event store", "restore-event-store refills an empty store "
                + "from the topic; a topic record with no stored event was not written by this replicator"),
        CONTENT_DIFFERS("content differs", "the event store is the source of truth: republish the board's events "
                + "and find out what wrote the differing record"),
        OUT_OF_ORDER("out of board order", "consumers stop at a gap; republish the board's events in order"),
        READ_MODEL_BOARD_DIFFERS("read-model board differs", "rebuild the read model"),
        CHECKPOINT_PAST_TOPIC_END("checkpoint past the topic's end", "the topic was recreated or republished "
                + "since the read model last read it: rebuild the read model"),
        BOARD_MISSING_FROM_READ_MODEL("board missing from the read model", "rebuild the read model"),
        READ_MODEL_BOARD_NOT_IN_EVENTS("read-model board not in the events", "rebuild the read model");

        private final String label;
        private final String fix;

        Kind(String label, String fix) {
            this.label = label;
            this.fix = fix;
        }

        public String label() {
            return label;
        }

        public String fix() {
            return fix;
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public Difference withDetail(String newDetail) {
        return new Difference(kind, eventId, scoreboardId, sequence, position, newDetail);
    }

    String describe() {
        StringBuilder s = new StringBuilder(kind.id());
        if (eventId != null) {
            s.append("  event ").append(eventId);
        }
        if (scoreboardId != null) {
            s.append("  board ").append(scoreboardId);
        }
        if (eventId != null) {
            s.append(" seq ").append(sequence);
        }
        if (position >= 0) {
            s.append(" position ").append(position);
        }
        return s.append(": ").append(detail).toString();
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.id());
        m.put("eventId", eventId == null ? null : eventId.toString());
        m.put("scoreboardId", scoreboardId == null ? null : scoreboardId.toString());
        if (eventId != null) {
            m.put("sequenceNumber", sequence);
        }
        m.put("position", position);
        m.put("detail", detail);
        return m;
    }
}

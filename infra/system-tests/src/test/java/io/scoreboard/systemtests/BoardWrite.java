package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One write of a generated sequence against one board, and what the contract says it must get given the
 * board as its client knows it ({@link BoardModel}). Participants are picked by index into everyone ever
 * added (removed ones included: writing to one is refused), so a sequence means something on any board.
 */
sealed interface BoardWrite {

    /** Numbers as plain digits, as a person types them. */
    ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    /** How a body is padded with JSON whitespace: to exactly the body limit, or one byte past it. */
    enum Padding { NONE, TO_LIMIT, ONE_OVER }

    /**
     * A request to send and what it must get: refused with one of {@code refusals}' codes (any of them: the
     * contract does not say which check comes first), or, when there are none, {@code status} and
     * {@code events} more on the board's version, after which {@code accept} brings the model up to date.
     * {@code identity}: what makes two requests the same request for an Idempotency-Key (method, path and
     * body, whitespace aside).
     */
    record Planned(String method, String path, String body, String identity, Set<String> refusals, int status,
                   long events, Acceptance accept) {
        Planned(String method, String path, String body, Set<String> refusals, int status, long events,
                Acceptance accept) {
            this(method, path, body, method + " " + path + "\n" + body, refusals, status, events, accept);
        }
    }

    interface Acceptance {
        /** Checks an accepted write's answer against the model, then applies the write to the model. */
        void apply(BoardModel model, JsonNode answer);
    }

    /** The request for this write on {@code model}'s board, or null when the board gives it nothing to act on. */
    Planned plan(BoardModel model);

    // --- the writes ------------------------------------------------------------------------------------

    record AddParticipant(String name) implements BoardWrite {
        public Planned plan(BoardModel model) {
            Set<String> refusals = new LinkedHashSet<>();
            if (!BoardModel.validName(name)) {
                refusals.add("INVALID_INPUT");
            } else if (model.nameTaken(name, null)) {
                refusals.add("DUPLICATE_PARTICIPANT_NAME");
            }
            if (model.active().size() >= BoardModel.MAX_PARTICIPANTS) {
                refusals.add("LIMIT_EXCEEDED");
            }
            return new Planned("POST", "/participants", json(Map.of("name", name)), refusals, 201, 1,
                    (m, answer) -> m.add(UUID.fromString(answer.get("participantId").asText()), name));
        }
    }

    /** Another participant's name in other case: a duplicate while that participant is on the board. */
    record AddCaseVariant(int who) implements BoardWrite {
        public Planned plan(BoardModel model) {
            if (model.everyone().isEmpty()) {
                return null;
            }
            String name = model.participant(pick(model, who)).name();
            String variant = name.equals(name.toUpperCase(java.util.Locale.ROOT))
                    ? name.toLowerCase(java.util.Locale.ROOT) : name.toUpperCase(java.util.Locale.ROOT);
            return new AddParticipant(variant).plan(model);
        }
    }

    record RenameParticipant(int who, String name) implements BoardWrite {
        public Planned plan(BoardModel model) {
            if (model.everyone().isEmpty()) {
                return null;
            }
            UUID id = pick(model, who);
            BoardModel.Participant participant = model.participant(id);
            Set<String> refusals = new LinkedHashSet<>();
            if (participant.removed()) {
                refusals.add("PARTICIPANT_REMOVED");
            }
            if (!BoardModel.validName(name)) {
                refusals.add("INVALID_INPUT");
            } else if (!name.strip().equals(participant.name()) && model.nameTaken(name, id)) {
                refusals.add("DUPLICATE_PARTICIPANT_NAME");
            }
            long events = name.strip().equals(participant.name()) ? 0 : 1;
            return new Planned("PATCH", "/participants/" + id, json(Map.of("name", name)), refusals, 200,
                    events, (m, answer) -> m.rename(id, name));
        }
    }

    record RemoveParticipant(int who) implements BoardWrite {
        public Planned plan(BoardModel model) {
            if (model.everyone().isEmpty()) {
                return null;
            }
            UUID id = pick(model, who);
            Set<String> refusals = model.participant(id).removed() ? Set.of("PARTICIPANT_REMOVED") : Set.of();
            return new Planned("DELETE", "/participants/" + id, null, refusals, 200, 1,
                    (m, answer) -> m.remove(id));
        }
    }

    record ChangeScore(int who, BigDecimal delta, String reason) implements BoardWrite {
        public Planned plan(BoardModel model) {
            if (model.everyone().isEmpty()) {
                return null;
            }
            UUID id = pick(model, who);
            BoardModel.Participant participant = model.participant(id);
            Set<String> refusals = new LinkedHashSet<>();
            if (participant.removed()) {
                refusals.add("PARTICIPANT_REMOVED");
            }
            BigDecimal result = BoardModel.sum(participant.score(), delta);
            if (!BoardModel.validScore(delta) || result == null) {
                refusals.add("SCORE_OUT_OF_RANGE");
            }
            if (!validText(reason)) {
                refusals.add("INVALID_INPUT");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("delta", delta);
            body.put("reason", reason);
            return new Planned("POST", "/participants/" + id + "/score-changes", json(body), refusals, 200, 1,
                    (m, answer) -> {
                        assertThat(answer.get("score").decimalValue()).as(answer.toString()).isEqualByComparingTo(result);
                        m.score(answer.get("version").asLong(), Map.of(id, delta));
                    });
        }
    }

    record SetScore(int who, BigDecimal score) implements BoardWrite {
        public Planned plan(BoardModel model) {
            if (model.everyone().isEmpty()) {
                return null;
            }
            UUID id = pick(model, who);
            BoardModel.Participant participant = model.participant(id);
            Set<String> refusals = new LinkedHashSet<>();
            if (participant.removed()) {
                refusals.add("PARTICIPANT_REMOVED");
            }
            if (!BoardModel.validScore(score)) {
                refusals.add("SCORE_OUT_OF_RANGE");
            }
            return new Planned("PUT", "/participants/" + id + "/score", json(Map.of("score", score)), refusals,
                    200, 1, (m, answer) -> {
                        assertThat(answer.get("score").decimalValue()).as(answer.toString()).isEqualByComparingTo(score);
                        m.score(answer.get("version").asLong(), Map.of(id, score.subtract(participant.score())));
                    });
        }
    }

    /**
     * A round over the active participants from index {@code first} on, one delta each from {@code deltas}
     * (as many as there are participants). {@code fit}: leave out what would not fit in the body limit.
     */
    record Round(List<BigDecimal> deltas, int first, String comment, boolean fit, Padding padding)
            implements BoardWrite {
        public Planned plan(BoardModel model) {
            List<BoardModel.Participant> active = model.active();
            Map<UUID, BigDecimal> chosen = new LinkedHashMap<>();
            StringBuilder body = new StringBuilder("{\"comment\":").append(json(comment)).append(",\"deltas\":{");
            for (int i = 0; i < Math.min(deltas.size(), active.size()); i++) {
                UUID id = active.get(Math.floorMod(first + i, active.size())).id();
                String entry = (chosen.isEmpty() ? "\"" : ",\"") + id + "\":" + deltas.get(i).toPlainString();
                if (fit && utf8(body) + utf8(entry) + 2 > BoardModel.MAX_BODY) {
                    break;
                }
                body.append(entry);
                chosen.put(id, deltas.get(i));
            }
            String unpadded = body.append("}}").toString();
            String sent = pad(unpadded, padding);
            Set<String> refusals = new LinkedHashSet<>();
            if (chosen.isEmpty()) {
                refusals.add("INVALID_INPUT"); // a round needs at least one delta
            }
            Map<UUID, BigDecimal> results = new LinkedHashMap<>();
            chosen.forEach((id, delta) -> {
                BigDecimal result = BoardModel.sum(model.participant(id).score(), delta);
                if (!BoardModel.validScore(delta) || result == null) {
                    refusals.add("SCORE_OUT_OF_RANGE");
                }
                results.put(id, result);
            });
            if (!validText(comment)) {
                refusals.add("INVALID_INPUT");
            }
            if (utf8(sent) > BoardModel.MAX_BODY) {
                refusals.add("PAYLOAD_TOO_LARGE");
            }
            return new Planned("POST", "/rounds", sent, "POST /rounds\n" + unpadded, refusals, 200, 1, (m, answer) -> {
                        assertScores(answer.get("scores"), results);
                        m.score(answer.get("version").asLong(), chosen);
                    });
        }

        /** Thousands of deltas would drown a failure's message: their number and the first few. */
        @Override
        public String toString() {
            return "Round[" + deltas.size() + " deltas " + (deltas.size() <= 8 ? deltas : deltas.subList(0, 8) + "…")
                    + ", first=" + first + ", comment=" + comment + ", fit=" + fit + ", padding=" + padding + "]";
        }
    }

    record Undo() implements BoardWrite {
        public Planned plan(BoardModel model) {
            if (model.nothingToUndo()) {
                return new Planned("POST", "/undo", null, Set.of("NOTHING_TO_UNDO"), 200, 0, null);
            }
            BoardModel.Change reverting = model.nextUndo();
            Map<UUID, BigDecimal> results = new LinkedHashMap<>();
            reverting.deltas().forEach((id, delta) -> results.put(id, BoardModel.sum(model.participant(id).score(), delta)));
            return new Planned("POST", "/undo", null, Set.of(), 200, 1, (m, answer) -> {
                assertThat(answer.get("undoneSequenceNumber").asLong()).isEqualTo(reverting.sequenceNumber());
                assertScores(answer.get("scores"), results);
                m.undo();
            });
        }
    }

    record RenameBoard(String name) implements BoardWrite {
        public Planned plan(BoardModel model) {
            Set<String> refusals = BoardModel.validName(name) ? Set.of() : Set.of("INVALID_INPUT");
            long events = name.strip().equals(model.name) ? 0 : 1;
            return new Planned("PATCH", "", json(Map.of("name", name)), refusals, 200, events,
                    (m, answer) -> m.name = name.strip());
        }
    }

    /** The last write that was accepted with an Idempotency-Key, sent again with it: the runner handles it. */
    record Replay() implements BoardWrite {
        public Planned plan(BoardModel model) {
            throw new UnsupportedOperationException("a replay repeats a write the runner remembers");
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static UUID pick(BoardModel model, int who) {
        return model.everyone().get(Math.floorMod(who, model.everyone().size()));
    }

    /** A reason or comment: absent or blank is none; otherwise the rules of a name apply. */
    private static boolean validText(String text) {
        return text == null || text.isBlank() || BoardModel.validName(text);
    }

    private static void assertScores(JsonNode scores, Map<UUID, BigDecimal> expected) {
        assertThat(scores.size()).as(scores.toString()).isEqualTo(expected.size());
        expected.forEach((id, score) -> assertThat(scores.get(id.toString()).decimalValue()).as(id + " in " + scores)
                .isEqualByComparingTo(score));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static int utf8(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** JSON whitespace before the closing brace: the body means the same, and has the size wanted. */
    static String pad(String body, Padding padding) {
        int target = switch (padding) {
            case NONE -> 0;
            case TO_LIMIT -> BoardModel.MAX_BODY;
            case ONE_OVER -> BoardModel.MAX_BODY + 1;
        };
        int missing = target - utf8(body);
        return missing <= 0 ? body : body.substring(0, body.length() - 1) + " ".repeat(missing) + "}";
    }
}

package io.scoreboard.systemtests;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One board as its only client knows it from the writes it got 2xx for, and the documented limits
 * (README "Limits", docs/api.md) that decide whether a write is refused. The services are never asked:
 * what a write must get follows from this model and the contract alone.
 */
final class BoardModel {

    static final int MAX_PARTICIPANTS = 10_000;
    static final int MAX_NAME = 100;
    static final int MAX_BODY = 64 * 1024;
    /** Exclusive bound on the magnitude of every score and delta. */
    static final BigDecimal SCORE_LIMIT = BigDecimal.TEN.pow(15);
    static final int MAX_FRACTION_DIGITS = 4;

    /** The error codes of the refusals this suite provokes, with their statuses (docs/api.md, "Codes"). */
    static final Map<String, Integer> STATUS_OF = Map.of(
            "MALFORMED_REQUEST", 400,
            "INVALID_INPUT", 422,
            "LIMIT_EXCEEDED", 422,
            "SCORE_OUT_OF_RANGE", 422,
            "IDEMPOTENCY_KEY_REUSED", 422,
            "DUPLICATE_PARTICIPANT_NAME", 409,
            "PARTICIPANT_REMOVED", 409,
            "NOTHING_TO_UNDO", 409,
            "PAYLOAD_TOO_LARGE", 413,
            "RATE_LIMITED", 429);

    record Participant(UUID id, String name, BigDecimal score, boolean removed) {}

    /** A score change or round undo can still revert: its sequence number and deltas. */
    record Change(long sequenceNumber, Map<UUID, BigDecimal> deltas) {}

    String name;
    long version;
    private final Map<UUID, Participant> participants = new LinkedHashMap<>();
    /** Every participant ever added, in order: steps pick theirs by index. */
    private final List<UUID> everyone = new ArrayList<>();
    private final Deque<Change> undoable = new ArrayDeque<>();

    BoardModel(String name, List<UUID> ids, List<String> names) {
        this.name = name.strip();
        for (int i = 0; i < ids.size(); i++) {
            add(ids.get(i), names.get(i));
        }
        this.version = ids.size(); // ScoreboardCreated, then one ParticipantAdded each
    }

    // --- the contract's rules --------------------------------------------------------------------------

    /** "1–100 characters, no control characters" (characters are code points; the name is trimmed). */
    static boolean validName(String name) {
        String trimmed = name.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        return length >= 1 && length <= MAX_NAME && trimmed.codePoints().noneMatch(Character::isISOControl);
    }

    /** "magnitude below 10^15, at most 4 fractional digits". */
    static boolean validScore(BigDecimal value) {
        return value.abs().compareTo(SCORE_LIMIT) < 0 && value.stripTrailingZeros().scale() <= MAX_FRACTION_DIGITS;
    }

    /** Participant names are unique per board ignoring case. */
    static String nameKey(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    /** "1–255 visible ASCII characters". */
    static boolean validKey(String key) {
        return key.length() >= 1 && key.length() <= 255 && key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }

    /** A create's key also carries at least 128 random bits: 32+ hex digits (a UUID) or 22+ base64url characters. */
    static boolean validCreateKey(String key) {
        if (!validKey(key)) {
            return false;
        }
        if (key.matches("[0-9A-Fa-f-]+")) {
            return key.chars().filter(c -> c != '-').count() >= 32;
        }
        return key.matches("[A-Za-z0-9_-]{22,}");
    }

    // --- what the board holds ----------------------------------------------------------------------------

    List<UUID> everyone() {
        return everyone;
    }

    Participant participant(UUID id) {
        return participants.get(id);
    }

    List<Participant> active() {
        return participants.values().stream().filter(p -> !p.removed()).toList();
    }

    boolean nameTaken(String candidate, UUID except) {
        String key = nameKey(candidate);
        return participants.values().stream()
                .anyMatch(p -> !p.removed() && !p.id().equals(except) && nameKey(p.name()).equals(key));
    }

    boolean nothingToUndo() {
        return undoable.isEmpty();
    }

    /** Active participants' scores after the change, or null when one of them would leave the range. */
    static BigDecimal sum(BigDecimal score, BigDecimal delta) {
        BigDecimal result = score.add(delta);
        return result.abs().compareTo(SCORE_LIMIT) < 0 ? result.stripTrailingZeros() : null;
    }

    // --- accepted writes -----------------------------------------------------------------------------------

    void add(UUID id, String participantName) {
        participants.put(id, new Participant(id, participantName.strip(), BigDecimal.ZERO, false));
        everyone.add(id);
    }

    void rename(UUID id, String newName) {
        Participant p = participants.get(id);
        participants.put(id, new Participant(id, newName.strip(), p.score(), false));
    }

    void remove(UUID id) {
        Participant p = participants.get(id);
        participants.put(id, new Participant(id, p.name(), p.score(), true));
    }

    /** A score change, set score or round: every delta applied, one undoable change at {@code sequenceNumber}. */
    void score(long sequenceNumber, Map<UUID, BigDecimal> deltas) {
        deltas.forEach((id, delta) -> {
            Participant p = participants.get(id);
            participants.put(id, new Participant(id, p.name(), p.score().add(delta).stripTrailingZeros(), false));
        });
        undoable.addLast(new Change(sequenceNumber, new LinkedHashMap<>(deltas)));
    }

    /** The change undo would revert, and the deltas it applies (removed participants' scores no longer count). */
    Change nextUndo() {
        Change latest = undoable.peekLast();
        Map<UUID, BigDecimal> reverting = new LinkedHashMap<>();
        latest.deltas().forEach((id, delta) -> {
            if (!participants.get(id).removed()) {
                reverting.put(id, delta.negate());
            }
        });
        return new Change(latest.sequenceNumber(), reverting);
    }

    void undo() {
        Change reverting = nextUndo();
        undoable.removeLast();
        reverting.deltas().forEach((id, delta) -> {
            Participant p = participants.get(id);
            participants.put(id, new Participant(id, p.name(), p.score().add(delta).stripTrailingZeros(), false));
        });
    }
}

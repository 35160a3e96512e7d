package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.Names;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ParticipantRenamedEvent;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRenamedEvent;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.events.TeamRenamedEvent;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenKind;
import io.scoreboard.events.Visibility;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The largest events valid input at the documented maxima can produce, in bytes as the event store stores them
 * (the events are written, not estimated: EventJson is the store's payload format, LimitsTest holds that). The
 * start-up check (ReplicationLimitsCheck) compares them with scoreboard.limits.max-event-size (ADR 0047).
 */
final class LargestEvents {

    private static final UUID ID = UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff");
    /** The latest instant a rewind can name (not in the future) written at its longest, with nanoseconds. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** The longest score: 15 integer and 4 fractional digits, negative (Scores). */
    private static final BigDecimal LONGEST_SCORE = new BigDecimal("-999999999999999.9999");

    /** A name (or reason) of {@link Names#MAX_LENGTH} characters that Names accepts, the longest when written. */
    static final String LONGEST_NAME = longestName();

    private LargestEvents() {}

    /**
     * The largest event one write of a bounded size produces: a board, participant, team or token with the longest
     * name or label, a score change with the longest score and reason, and the team writes. Rounds and rewinds are
     * not bounded so: a round's size follows its request, a rewind's the board's history (ADR 0044).
     */
    static long singleWrite() {
        String hash = AccessTokens.hash("the longest token hash is any token's hash");
        return Stream.of(
                        new ScoreboardCreatedEvent(ID, LONGEST_NAME, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD, hash,
                                hash, Visibility.PRIVATE),
                        new ScoreboardRenamedEvent(ID, LONGEST_NAME, ID),
                        new ParticipantAddedEvent(ID, ID, LONGEST_NAME, ID),
                        new ParticipantRenamedEvent(ID, ID, LONGEST_NAME, ID),
                        new ScoreChangedEvent(ID, ID, LONGEST_SCORE, LONGEST_SCORE, LONGEST_NAME, ID),
                        new TokenIssuedEvent(ID, ID, TokenKind.SCOREKEEPER, LONGEST_NAME, hash, ID),
                        new TeamCreatedEvent(ID, ID, LONGEST_NAME, ID),
                        new TeamRenamedEvent(ID, ID, LONGEST_NAME, ID),
                        new TeamRemovedEvent(ID, ID, ID),
                        new ParticipantTeamChangedEvent(ID, ID, ID, ID))
                .mapToLong(LargestEvents::size).max().orElseThrow();
    }

    /**
     * A rewind with the longest reason that restores {@code teams} teams with the longest names and no participant.
     * Every team adds the same number of bytes, so two are written and the rest is counted.
     */
    static long rewindOfTeams(int teams) {
        long none = size(rewind(List.of(), List.of()));
        if (teams == 0) {
            return none;
        }
        RewoundTeam team = new RewoundTeam(ID, LONGEST_NAME, false);
        long one = size(rewind(List.of(), List.of(team)));
        long two = size(rewind(List.of(), List.of(team, team)));
        return one + (teams - 1) * (two - one);
    }

    /** What each participant a rewind lists adds at most: the longest name and score, in a team (ADR 0044). */
    static long perRewoundParticipant() {
        RewoundParticipant participant = new RewoundParticipant(ID, LONGEST_NAME, LONGEST_SCORE, false, Long.MAX_VALUE,
                ID);
        return size(rewind(List.of(participant, participant), List.of()))
                - size(rewind(List.of(participant), List.of()));
    }

    private static ScoreboardRewoundEvent rewind(List<RewoundParticipant> participants, List<RewoundTeam> teams) {
        return new ScoreboardRewoundEvent(ID, LATEST, LONGEST_NAME, participants, ID, teams);
    }

    private static long size(ScoreboardEvent event) {
        return EventJson.writePayload(event).length;
    }

    /**
     * Of the characters a name may hold, the one written longest, repeated. Measured, not assumed: the store's JSON
     * writes a character beyond the BMP as two six-byte escapes of its UTF-16 halves (12 bytes for one character),
     * longer than an escaped quote or any UTF-8; Names refuses the control characters JSON escapes too.
     */
    private static String longestName() {
        List<String> candidates = new ArrayList<>();
        for (String c : List.of("\uD83D\uDE00", "\"", "\\", "\u2028", "\u00FF", "\uFFFD", "x")) {
            candidates.add(String.join("", Collections.nCopies(Names.MAX_LENGTH, c)));
        }
        String longest = null;
        long longestSize = -1;
        for (String candidate : candidates) {
            String valid;
            try {
                valid = Names.requireValid(candidate, "name");
            } catch (CommandRejectedException refused) {
                continue; // e.g. U+2028 is white space: stripped, nothing is left
            }
            long size = size(new TeamRenamedEvent(ID, ID, valid, ID));
            if (size > longestSize) {
                longest = valid;
                longestSize = size;
            }
        }
        return longest;
    }
}

package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.command.eventstore.EventStoreConfiguration;
import io.scoreboard.command.scoreboard.AccessTokens;
import io.scoreboard.command.scoreboard.CommandRejectedException;
import io.scoreboard.command.scoreboard.ErrorCode;
import io.scoreboard.command.scoreboard.Names;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenKind;
import io.scoreboard.events.Visibility;
import io.scoreboard.events.ScoreDelta;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The limits fit together, and an event above its limit is refused before it is stored. */
class LimitsTest {

    private static final Serializer STORE_SERIALIZER = new EventStoreConfiguration().eventSerializer();

    private static RoundRecordedEvent round(int deltas) {
        UUID board = UUID.randomUUID();
        return new RoundRecordedEvent(board, "round", IntStream.range(0, deltas)
                .mapToObj(i -> new ScoreDelta(UUID.randomUUID(), BigDecimal.ONE, BigDecimal.TEN))
                .toList());
    }

    @Test
    void anEventAboveTheLimit_isRefusedWith422_beforeItIsStored() {
        RoundRecordedEvent big = round(200);
        int size = EventJson.writePayload(big).length;
        EventSizeLimit limit = new EventSizeLimit(DataSize.ofBytes(size - 1), STORE_SERIALIZER);
        List<EventMessage<?>> messages = List.of(GenericEventMessage.asEventMessage(big));

        assertThatThrownBy(() -> limit.handle(messages).apply(0, messages.get(0)))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                    assertThat(e.getMessage()).contains(Integer.toString(size), "scoreboard.limits.max-event-size");
                });
    }

    @Test
    void anEventAtTheLimit_passes() {
        RoundRecordedEvent event = round(200);
        EventSizeLimit limit = new EventSizeLimit(DataSize.ofBytes(EventJson.writePayload(event).length),
                STORE_SERIALIZER);
        List<EventMessage<?>> messages = List.of(GenericEventMessage.asEventMessage(event));
        assertThat(limit.handle(messages).apply(0, messages.get(0))).isSameAs(messages.get(0));
    }

    @Test
    void measuringAnEvent_serializesItOnce_andTheStoreReusesThatForm() {
        CountingSerializer serializer = new CountingSerializer(STORE_SERIALIZER);
        RoundRecordedEvent event = round(50);
        EventSizeLimit limit = new EventSizeLimit(DataSize.ofKilobytes(512), serializer);
        List<EventMessage<?>> messages = List.of(GenericEventMessage.asEventMessage(event));

        EventMessage<?> passed = limit.handle(messages).apply(0, messages.get(0));
        // What Axon's JDBC engine asks of the message when it appends it.
        byte[] stored = passed.serializePayload(serializer, byte[].class).getData();

        assertThat(serializer.events()).as("one serialization for the check and the store together").isEqualTo(1);
        assertThat(stored).isEqualTo(EventJson.writePayload(event));
    }

    @Test
    void theDefaults_fitKafkasDefaults() {
        assertThat(ReplicationLimitsCheck.problems(DataSize.ofKilobytes(512).toBytes(), DataSize.ofMegabytes(1).toBytes(),
                1_048_588, "scoreboard-events")).isEmpty();
    }

    @Test
    void anEventLimitAboveTheProducersOrTheTopics_isRefused_namingTheSettings() {
        long oneMiB = DataSize.ofMegabytes(1).toBytes();
        assertThat(ReplicationLimitsCheck.problems(oneMiB, oneMiB, 10 * oneMiB, "t"))
                .singleElement().asString().contains("scoreboard.replicator.max-request-size");
        assertThat(ReplicationLimitsCheck.problems(oneMiB, 10 * oneMiB, oneMiB, "t"))
                .singleElement().asString().contains("max.message.bytes", "kafka-configs.sh");
    }

    @Test
    void theDefaultEventLimit_holdsEveryWriteWithTheLongestNames_andTellsWhatARewindHolds() {
        long defaultLimit = DataSize.ofKilobytes(512).toBytes();
        assertThat(LargestEvents.singleWrite()).isLessThan(DataSize.ofKilobytes(2).toBytes());
        var capacity = ReplicationLimitsCheck.RewindCapacity.of(defaultLimit, 1000);
        // Names of 100 characters beyond the BMP are 1.2 KB each as stored: 512 KiB hold about 400 such teams.
        assertThat(capacity.teams()).isBetween(300L, 999L);
        assertThat(capacity.participantsBesideAllTeams()).isZero();
        var fewTeams = ReplicationLimitsCheck.RewindCapacity.of(defaultLimit, 10);
        assertThat(fewTeams.teams()).isEqualTo(10);
        assertThat(fewTeams.participantsBesideAllTeams()).isBetween(300L, 400L);
    }

    @Test
    void aRewindsCapacity_isWhatFitsTheLimit_exactly() {
        long limit = DataSize.ofKilobytes(64).toBytes();
        long teams = ReplicationLimitsCheck.RewindCapacity.of(limit, 1000).teams();
        assertThat(LargestEvents.rewindOfTeams((int) teams)).isLessThanOrEqualTo(limit);
        assertThat(LargestEvents.rewindOfTeams((int) teams + 1)).isGreaterThan(limit);
        long participants = ReplicationLimitsCheck.RewindCapacity.of(limit, 3).participantsBesideAllTeams();
        assertThat(LargestEvents.rewindOfTeams(3) + participants * LargestEvents.perRewoundParticipant())
                .isLessThanOrEqualTo(limit);
        assertThat(LargestEvents.rewindOfTeams(3) + (participants + 1) * LargestEvents.perRewoundParticipant())
                .isGreaterThan(limit);
    }

    @Test
    void theLargestEvents_areTheEventsThemselves_measuredAsStored() {
        String longest = LargestEvents.LONGEST_NAME;
        assertThat(longest.codePointCount(0, longest.length())).isEqualTo(Names.MAX_LENGTH);
        assertThat(Names.requireValid(longest, "name")).isEqualTo(longest);
        UUID id = UUID.randomUUID();
        TokenIssuedEvent token = new TokenIssuedEvent(id, id, TokenKind.SCOREKEEPER, longest,
                AccessTokens.hash("any"), id);
        String hash = AccessTokens.hash("any");
        ScoreboardCreatedEvent board = new ScoreboardCreatedEvent(id, longest, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                hash, hash, Visibility.PRIVATE);
        assertThat(LargestEvents.singleWrite()).as("a board with the longest name (and two hashes) is the largest")
                .isEqualTo(stored(board)).isGreaterThanOrEqualTo(stored(token))
                .isGreaterThanOrEqualTo(stored(new TeamCreatedEvent(id, id, longest, id)))
                .as("12 bytes a character at worst").isGreaterThan(12L * Names.MAX_LENGTH);

        List<RewoundTeam> three = IntStream.range(0, 3)
                .mapToObj(i -> new RewoundTeam(UUID.randomUUID(), longest, false)).toList();
        ScoreboardRewoundEvent rewind = new ScoreboardRewoundEvent(id, Instant.parse("9999-12-31T23:59:59.999999999Z"),
                longest, List.of(), id, three);
        assertThat(LargestEvents.rewindOfTeams(3)).isEqualTo(stored(rewind));

        RewoundParticipant participant = new RewoundParticipant(id, longest, new BigDecimal("-999999999999999.9999"),
                false, Long.MAX_VALUE, id);
        ScoreboardRewoundEvent one = new ScoreboardRewoundEvent(id,
                Instant.parse("9999-12-31T23:59:59.999999999Z"), longest, List.of(participant), id, three);
        ScoreboardRewoundEvent two = new ScoreboardRewoundEvent(id,
                Instant.parse("9999-12-31T23:59:59.999999999Z"), longest, List.of(participant, participant), id, three);
        assertThat(stored(two) - stored(one)).isEqualTo(LargestEvents.perRewoundParticipant());
    }

    @Test
    void aTeamEventAboveTheLimit_isRefused_likeEveryEvent() {
        UUID id = UUID.randomUUID();
        TeamCreatedEvent team = new TeamCreatedEvent(id, id, LargestEvents.LONGEST_NAME, id);
        EventSizeLimit limit = new EventSizeLimit(DataSize.ofBytes(stored(team) - 1), STORE_SERIALIZER);
        List<EventMessage<?>> messages = List.of(GenericEventMessage.asEventMessage(team));
        assertThatThrownBy(() -> limit.handle(messages).apply(0, messages.get(0)))
                .isInstanceOfSatisfying(CommandRejectedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
    }

    @Test
    void aRewindAboveTheLimit_isRefused_sayingWhatItChanges_andWhatToDo() {
        UUID id = UUID.randomUUID();
        ScoreboardRewoundEvent rewind = new ScoreboardRewoundEvent(id, Instant.now(), null,
                List.of(new RewoundParticipant(UUID.randomUUID(), "Ann", BigDecimal.ONE, false, 7, id)), id,
                List.of(new RewoundTeam(id, "Red", false), new RewoundTeam(UUID.randomUUID(), "Blue", true)));
        EventSizeLimit limit = new EventSizeLimit(DataSize.ofBytes(stored(rewind) - 1), STORE_SERIALIZER);
        List<EventMessage<?>> messages = List.of(GenericEventMessage.asEventMessage(rewind));
        assertThatThrownBy(() -> limit.handle(messages).apply(0, messages.get(0)))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                    assertThat(e.getMessage()).contains("1 participants and 2 teams", "later instant",
                            "scoreboard.limits.max-event-size");
                });
        EventSizeLimit atTheLimit = new EventSizeLimit(DataSize.ofBytes(stored(rewind)), STORE_SERIALIZER);
        assertThat(atTheLimit.handle(messages).apply(0, messages.get(0))).isSameAs(messages.get(0));
    }

    private static long stored(ScoreboardEvent event) {
        return STORE_SERIALIZER.serialize(event, byte[].class).getData().length;
    }
}

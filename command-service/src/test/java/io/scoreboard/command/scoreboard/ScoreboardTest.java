package io.scoreboard.command.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.command.scoreboard.ScoreboardCommands.AddParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeBoardSettingsCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeParticipantTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.CreateTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RemoveTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RenameTeamCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RewindCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.ChangeScoreCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.DeleteScoreboardCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.IssueTokenCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RevokeTokenCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RecordRoundCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RemoveParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RenameParticipantCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.RestoreScoreboardCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.SetScoreCommand;
import io.scoreboard.command.scoreboard.ScoreboardCommands.UndoCommand;
import io.scoreboard.events.FirstTokens;
import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.ParticipantRemovedEvent;
import io.scoreboard.events.ParticipantRenamedEvent;
import io.scoreboard.events.ParticipantTeamChangedEvent;
import io.scoreboard.events.RewoundParticipant;
import io.scoreboard.events.RewoundTeam;
import io.scoreboard.events.ScoreboardRewoundEvent;
import io.scoreboard.events.TeamCreatedEvent;
import io.scoreboard.events.TeamRemovedEvent;
import io.scoreboard.events.TeamRenamedEvent;
import io.scoreboard.events.RankingRulesChangedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.RoundRecordedEvent;
import io.scoreboard.events.ScoreChangeUndoneEvent;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreDelta;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import io.scoreboard.events.ScoreboardDeletedEvent;
import io.scoreboard.events.ScoreboardRenamedEvent;
import io.scoreboard.events.ScoreboardEvent;
import io.scoreboard.events.ScoreboardRestoredEvent;
import io.scoreboard.events.ScoreboardVisibilityChangedEvent;
import io.scoreboard.events.TokenIssuedEvent;
import io.scoreboard.events.TokenKind;
import io.scoreboard.events.TokenRevokedEvent;
import io.scoreboard.events.Visibility;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every rule of the Scoreboard aggregate, one behaviour per test. */
class ScoreboardTest {

    private static final UUID BOARD = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    private static final UUID ANN = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID BOB = UUID.fromString("00000000-0000-0000-0000-0000000000a2");
    private static final UUID CAT = UUID.fromString("00000000-0000-0000-0000-0000000000a3");
    private static final String ADMIN = AccessTokens.hash("admin-token");
    private static final String KEEPER = AccessTokens.hash("keeper-token");
    private static final String STRANGER = AccessTokens.hash("guess");
    /** The ids every event written with the first two tokens records (FirstTokens). */
    private static final UUID ADMIN_ID = FirstTokens.adminTokenId(BOARD);
    private static final UUID KEEPER_ID = FirstTokens.scorekeeperTokenId(BOARD);

    private FixtureConfiguration<Scoreboard> fixture;
    /** What a rewind reads from the store: set by a test together with the fixture's given events. */
    private final List<BoardHistory.TimedEvent> storedHistory = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Scoreboard.class);
        fixture.registerInjectableResource(new ScoreboardLimits(3));
        fixture.registerInjectableResource(fixtureStoreHistory());
        fixture.registerInjectableResource((BoardHistory) (id, upTo, sink) -> storedHistory.stream()
                .filter(e -> e.sequenceNumber() <= upTo).forEach(sink));
    }

    /** Undo's look into the store, over the fixture's own event store (the search itself is the production one). */
    private UndoHistory fixtureStoreHistory() {
        return (id, upTo) -> {
            List<UndoHistory.StoredEvent> newestFirst = new ArrayList<>();
            fixture.getEventStore().readEvents(id.toString()).asStream()
                    .filter(m -> m.getSequenceNumber() <= upTo)
                    .forEach(m -> newestFirst.add(0, new UndoHistory.StoredEvent(m.getSequenceNumber(),
                            (ScoreboardEvent) m.getPayload())));
            return UndoHistory.latestNotUndone(newestFirst);
        };
    }

    private static ScoreboardCreatedEvent created() {
        return new ScoreboardCreatedEvent(BOARD, "Quiz night", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD, ADMIN, KEEPER,
                Visibility.PUBLIC);
    }

    private static ParticipantAddedEvent added(UUID id, String name) {
        return new ParticipantAddedEvent(BOARD, id, name);
    }

    private static ParticipantAddedEvent added(UUID id, String name, UUID writer) {
        return new ParticipantAddedEvent(BOARD, id, name, writer);
    }

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    private static Matcher<Object> rejectedWith(ErrorCode code) {
        return new FeatureMatcher<Object, ErrorCode>(Matchers.equalTo(code), "rejected with", "code") {
            @Override
            protected ErrorCode featureValueOf(Object actual) {
                return actual instanceof CommandRejectedException r ? r.code() : null;
            }
        };
    }

    private static ChangeScoreCommand change(UUID participant, String delta, String tokenHash) {
        return new ChangeScoreCommand(BOARD, participant, d(delta), "round 1", tokenHash, null);
    }

    @Nested
    class Create {
        private CreateScoreboardCommand create(String name, String... participants) {
            UUID[] ids = {ANN, BOB, CAT, UUID.randomUUID()};
            List<CreateScoreboardCommand.NewParticipant> list = new java.util.ArrayList<>();
            for (int i = 0; i < participants.length; i++) {
                list.add(new CreateScoreboardCommand.NewParticipant(ids[i], participants[i]));
            }
            return new CreateScoreboardCommand(BOARD, name, ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD, list, ADMIN, KEEPER);
        }

        @Test
        void create_appendsTheBoardThenEachParticipant_trimmed() {
            fixture.givenNoPriorActivity()
                    .when(create("  Quiz night ", "Ann", " Bob"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(created(), added(ANN, "Ann"), added(BOB, "Bob"));
        }

        @Test
        void create_fails_whenParticipantNamesRepeatIgnoringCase() {
            fixture.givenNoPriorActivity()
                    .when(create("Quiz", "Ann", "ANN"))
                    .expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.DUPLICATE_PARTICIPANT_NAME));
        }

        @Test
        void create_fails_whenNameIsBlank() {
            fixture.givenNoPriorActivity().when(create("   ")).expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.INVALID_INPUT));
        }

        @Test
        void create_fails_whenNameIsTooLong() {
            fixture.givenNoPriorActivity().when(create("x".repeat(101))).expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.INVALID_INPUT));
        }

        @Test
        void create_fails_whenNameHasControlCharacters() {
            fixture.givenNoPriorActivity().when(create("Quiz\u0007night")).expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.INVALID_INPUT));
        }

        @Test
        void create_fails_whenNameHasAnUnpairedSurrogate() {
            fixture.givenNoPriorActivity().when(create("Quiz \ud800")).expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.INVALID_INPUT));
        }

        @Test
        void create_fails_whenParticipantsExceedTheLimit() {
            fixture.givenNoPriorActivity().when(create("Quiz", "A", "B", "C", "D")).expectNoEvents()
                    .expectException(rejectedWith(ErrorCode.LIMIT_EXCEEDED));
        }
    }

    @Nested
    class Settings {
        @Test
        void rename_appendsScoreboardRenamed() {
            fixture.given(created())
                    .when(new ChangeBoardSettingsCommand(BOARD, " Pub quiz ", null, null, ADMIN, null))
                    .expectEvents(new ScoreboardRenamedEvent(BOARD, "Pub quiz", ADMIN_ID))
                    .expectResultMessagePayload(CommandOutcome.of(1));
        }

        @Test
        void changingOrderOrRanking_appendsBothRules() {
            fixture.given(created())
                    .when(new ChangeBoardSettingsCommand(BOARD, null, null, Ranking.DENSE, ADMIN, null))
                    .expectEvents(new RankingRulesChangedEvent(BOARD, ScoreOrder.HIGHEST_FIRST, Ranking.DENSE, ADMIN_ID));
        }

        @Test
        void unchangedSettings_appendNothing() {
            fixture.given(created())
                    .when(new ChangeBoardSettingsCommand(BOARD, "Quiz night", ScoreOrder.HIGHEST_FIRST, null, ADMIN, null))
                    .expectNoEvents()
                    .expectResultMessagePayload(CommandOutcome.of(0));
        }

        @Test
        void settings_fail_whenNothingIsGiven() {
            fixture.given(created())
                    .when(new ChangeBoardSettingsCommand(BOARD, null, null, null, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.INVALID_INPUT));
        }

        @Test
        void settings_fail_forTheScorekeeper() {
            fixture.given(created())
                    .when(new ChangeBoardSettingsCommand(BOARD, "Mine now", null, null, KEEPER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }

        @Test
        void settings_fail_whenIfMatchVersionIsStale() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new ChangeBoardSettingsCommand(BOARD, "New", null, null, ADMIN, 0L))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.VERSION_MISMATCH));
        }

        @Test
        void settings_succeed_whenIfMatchVersionIsCurrent() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new ChangeBoardSettingsCommand(BOARD, "New", null, null, ADMIN, 1L))
                    .expectEvents(new ScoreboardRenamedEvent(BOARD, "New", ADMIN_ID));
        }
    }

    @Nested
    class DeleteAndRestore {
        @Test
        void delete_appendsScoreboardDeleted() {
            fixture.given(created()).when(new DeleteScoreboardCommand(BOARD, ADMIN, null))
                    .expectEvents(new ScoreboardDeletedEvent(BOARD, ADMIN_ID));
        }

        @Test
        void delete_fails_forTheScorekeeper() {
            fixture.given(created()).when(new DeleteScoreboardCommand(BOARD, KEEPER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }

        @Test
        void commandsOnADeletedBoard_fail() {
            fixture.given(created(), added(ANN, "Ann"), new ScoreboardDeletedEvent(BOARD))
                    .when(change(ANN, "1", ADMIN))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCOREBOARD_DELETED));
        }

        @Test
        void deletingTwice_fails() {
            fixture.given(created(), new ScoreboardDeletedEvent(BOARD))
                    .when(new DeleteScoreboardCommand(BOARD, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCOREBOARD_DELETED));
        }

        @Test
        void restore_bringsADeletedBoardBack() {
            fixture.given(created(), new ScoreboardDeletedEvent(BOARD))
                    .when(new RestoreScoreboardCommand(BOARD, ADMIN, null))
                    .expectEvents(new ScoreboardRestoredEvent(BOARD, ADMIN_ID));
        }

        @Test
        void restore_fails_whenTheBoardIsNotDeleted() {
            fixture.given(created()).when(new RestoreScoreboardCommand(BOARD, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCOREBOARD_NOT_DELETED));
        }

        @Test
        void restore_fails_forAStranger() {
            fixture.given(created(), new ScoreboardDeletedEvent(BOARD))
                    .when(new RestoreScoreboardCommand(BOARD, STRANGER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }
    }

    @Nested
    class Participants {
        @Test
        void add_appendsParticipantAdded() {
            fixture.given(created())
                    .when(new AddParticipantCommand(BOARD, CAT, " Cat ", ADMIN, null))
                    .expectEvents(added(CAT, "Cat", ADMIN_ID));
        }

        @Test
        void add_fails_whenTheNameIsTakenIgnoringCase() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new AddParticipantCommand(BOARD, CAT, "aNN", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.DUPLICATE_PARTICIPANT_NAME));
        }

        @Test
        void add_mayReuseTheNameOfARemovedParticipant() {
            fixture.given(created(), added(ANN, "Ann"), new ParticipantRemovedEvent(BOARD, ANN))
                    .when(new AddParticipantCommand(BOARD, CAT, "Ann", ADMIN, null))
                    .expectEvents(added(CAT, "Ann", ADMIN_ID));
        }

        @Test
        void add_fails_whenTheBoardIsFull() {
            fixture.given(created(), added(ANN, "Ann"), added(BOB, "Bob"), added(CAT, "Cat"))
                    .when(new AddParticipantCommand(BOARD, UUID.randomUUID(), "Dan", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.LIMIT_EXCEEDED));
        }

        @Test
        void add_fails_forTheScorekeeper() {
            fixture.given(created())
                    .when(new AddParticipantCommand(BOARD, CAT, "Cat", KEEPER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }

        @Test
        void rename_appendsParticipantRenamed() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new RenameParticipantCommand(BOARD, ANN, "Annie", ADMIN, null))
                    .expectEvents(new ParticipantRenamedEvent(BOARD, ANN, "Annie", ADMIN_ID));
        }

        @Test
        void rename_toAnotherParticipantsName_fails() {
            fixture.given(created(), added(ANN, "Ann"), added(BOB, "Bob"))
                    .when(new RenameParticipantCommand(BOARD, ANN, "BOB", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.DUPLICATE_PARTICIPANT_NAME));
        }

        @Test
        void rename_fails_forAnUnknownParticipant() {
            fixture.given(created())
                    .when(new RenameParticipantCommand(BOARD, ANN, "Annie", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.PARTICIPANT_NOT_FOUND));
        }

        @Test
        void remove_appendsParticipantRemoved() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new RemoveParticipantCommand(BOARD, ANN, ADMIN, null))
                    .expectEvents(new ParticipantRemovedEvent(BOARD, ANN, ADMIN_ID));
        }

        @Test
        void aRemovedParticipant_cannotScore() {
            fixture.given(created(), added(ANN, "Ann"), new ParticipantRemovedEvent(BOARD, ANN))
                    .when(change(ANN, "1", ADMIN))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.PARTICIPANT_REMOVED));
        }
    }

    @Nested
    class Scoring {
        @Test
        void changeScore_appendsDeltaAndResultingScore() {
            fixture.given(created(), added(ANN, "Ann"),
                            new ScoreChangedEvent(BOARD, ANN, d("2.5"), d("2.5"), null))
                    .when(change(ANN, "0.75", ADMIN))
                    .expectEvents(new ScoreChangedEvent(BOARD, ANN, d("0.75"), d("3.25"), "round 1", ADMIN_ID))
                    .expectResultMessagePayload(CommandOutcome.scored(3, Map.of(ANN, d("3.25"))));
        }

        @Test
        void changeScore_isAllowedToTheScorekeeper() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(change(ANN, "-4", KEEPER))
                    .expectEvents(new ScoreChangedEvent(BOARD, ANN, d("-4"), d("-4"), "round 1", KEEPER_ID));
        }

        @Test
        void changeScore_fails_whenTokenIsWrong() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(change(ANN, "1", STRANGER))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }

        @Test
        void changeScore_fails_whenParticipantIsUnknown() {
            fixture.given(created()).when(change(ANN, "1", ADMIN))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.PARTICIPANT_NOT_FOUND));
        }

        @Test
        void changeScore_fails_whenResultOverflows() {
            fixture.given(created(), added(ANN, "Ann"),
                            new ScoreChangedEvent(BOARD, ANN, d("999999999999999"), d("999999999999999"), null))
                    .when(change(ANN, "1", ADMIN))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCORE_OUT_OF_RANGE));
        }

        @Test
        void changeScore_fails_whenResultUnderflows() {
            fixture.given(created(), added(ANN, "Ann"),
                            new ScoreChangedEvent(BOARD, ANN, d("-999999999999999.9999"), d("-999999999999999.9999"), null))
                    .when(change(ANN, "-0.0001", ADMIN))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCORE_OUT_OF_RANGE));
        }

        @Test
        void changeScore_fails_whenDeltaHasMoreThanFourFractionalDigits() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(change(ANN, "0.00001", ADMIN))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCORE_OUT_OF_RANGE));
        }

        @Test
        void changeScore_fails_atOnce_forAHugeExponent() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(change(ANN, "1E+999999999", ADMIN))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCORE_OUT_OF_RANGE));
        }

        @Test
        void setScore_fails_forTheMostNegativeExponent() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new SetScoreCommand(BOARD, ANN, d("-1E+2147483647"), null, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCORE_OUT_OF_RANGE));
        }

        @Test
        void changeScore_fails_atOnce_forATinyExponent() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(change(ANN, "1E-999999999", ADMIN))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCORE_OUT_OF_RANGE));
        }

        @Test
        void changeScore_keepsTrailingZerosOutOfTheEvent() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(change(ANN, "5.500", ADMIN))
                    .expectEvents(new ScoreChangedEvent(BOARD, ANN, d("5.5"), d("5.5"), "round 1", ADMIN_ID));
        }

        @Test
        void setScore_appendsTheDeltaThatLeadsThere() {
            fixture.given(created(), added(ANN, "Ann"), new ScoreChangedEvent(BOARD, ANN, d("10"), d("10"), null))
                    .when(new SetScoreCommand(BOARD, ANN, d("42"), "correction", KEEPER, null))
                    .expectEvents(new ScoreChangedEvent(BOARD, ANN, d("32"), d("42"), "correction", KEEPER_ID));
        }

        @Test
        void setScore_fails_outOfRange() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new SetScoreCommand(BOARD, ANN, d("1E15"), null, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCORE_OUT_OF_RANGE));
        }

        @Test
        void round_appliesEveryDeltaInOneEvent() {
            Map<UUID, BigDecimal> deltas = new LinkedHashMap<>();
            deltas.put(ANN, d("5"));
            deltas.put(BOB, d("-2"));
            fixture.given(created(), added(ANN, "Ann"), added(BOB, "Bob"),
                            new ScoreChangedEvent(BOARD, ANN, d("1"), d("1"), null))
                    .when(new RecordRoundCommand(BOARD, "Round 3", deltas, KEEPER, null))
                    .expectEvents(new RoundRecordedEvent(BOARD, "Round 3", List.of(
                            new ScoreDelta(ANN, d("5"), d("6")), new ScoreDelta(BOB, d("-2"), d("-2"))), KEEPER_ID));
        }

        @Test
        void round_fails_atomically_whenOneParticipantIsUnknown() {
            Map<UUID, BigDecimal> deltas = new LinkedHashMap<>();
            deltas.put(ANN, d("5"));
            deltas.put(CAT, d("1"));
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new RecordRoundCommand(BOARD, "Round 3", deltas, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.PARTICIPANT_NOT_FOUND));
        }

        @Test
        void round_fails_whenEmpty() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new RecordRoundCommand(BOARD, "Round 3", Map.of(), ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.INVALID_INPUT));
        }
    }

    /** Undo beyond what a board keeps in memory (ADR 0026): the same answers, from the store. */
    @Nested
    class UndoBeyondTheWindow {

        private static final int CHANGES = Scoreboard.UNDO_WINDOW_DELTAS + 2;

        /** Ann's changes of +1 each (sequence numbers 2 … CHANGES + 1), then undos of the latest {@code undone}. */
        private List<Object> history(int undone) {
            List<Object> events = new ArrayList<>(List.of(created(), added(ANN, "Ann")));
            for (int i = 1; i <= CHANGES; i++) {
                events.add(new ScoreChangedEvent(BOARD, ANN, d("1"), d(Integer.toString(i)), null));
            }
            for (int k = CHANGES; k > CHANGES - undone; k--) {
                events.add(new ScoreChangeUndoneEvent(BOARD, k + 1, List.of(new ScoreDelta(ANN, d("-1"),
                        d(Integer.toString(k - 1))))));
            }
            return events;
        }

        @Test
        void aLongHistory_keepsOnlyTheWindowInMemory() {
            fixture.given(history(0))
                    .when(change(ANN, "1", KEEPER))
                    .expectSuccessfulHandlerExecution()
                    .expectState(board -> assertThat(board.footprint()).isEqualTo(1 + Scoreboard.UNDO_WINDOW_DELTAS));
        }

        @Test
        void undo_pastTheWindow_revertsTheLatestChangeNotYetUndone_readFromTheStore() {
            // The window held changes 3 … CHANGES; all of them are undone, changes 1 and 2 are in the store only.
            int undone = Scoreboard.UNDO_WINDOW_DELTAS;
            long second = 3; // sequence number of Ann's second change
            fixture.given(history(undone))
                    .when(new UndoCommand(BOARD, KEEPER, null))
                    .expectEvents(new ScoreChangeUndoneEvent(BOARD, second,
                            List.of(new ScoreDelta(ANN, d("-1"), d("1"))), KEEPER_ID))
                    .expectResultMessagePayload(new CommandOutcome(CHANGES + undone + 2, Map.of(ANN, d("1")), second));
        }

        @Test
        void undo_pastTheWindow_withEverythingUndone_hasNothingToUndo() {
            fixture.given(history(CHANGES))
                    .when(new UndoCommand(BOARD, KEEPER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.NOTHING_TO_UNDO));
        }

        @Test
        void theStoreSearch_matchesUndosToChangesLikeBrackets() {
            UndoHistory.StoredEvent c1 = stored(1, new ScoreChangedEvent(BOARD, ANN, d("1"), d("1"), null));
            UndoHistory.StoredEvent c2 = stored(2, new RoundRecordedEvent(BOARD, "R", List.of(
                    new ScoreDelta(ANN, d("2"), d("3")), new ScoreDelta(BOB, d("5"), d("5")))));
            UndoHistory.StoredEvent u2 = stored(3, new ScoreChangeUndoneEvent(BOARD, 2, List.of()));
            UndoHistory.StoredEvent c3 = stored(4, new ScoreChangedEvent(BOARD, ANN, d("4"), d("5"), null));
            UndoHistory.StoredEvent u3 = stored(5, new ScoreChangeUndoneEvent(BOARD, 4, List.of()));
            UndoHistory.StoredEvent u1 = stored(6, new ScoreChangeUndoneEvent(BOARD, 1, List.of()));
            UndoHistory.StoredEvent renamed = stored(7, new ParticipantRenamedEvent(BOARD, ANN, "Anne"));

            assertThat(UndoHistory.latestNotUndone(List.of(c3, u2, c2, c1)))
                    .hasValueSatisfying(change -> assertThat(change.sequenceNumber()).isEqualTo(4));
            assertThat(UndoHistory.latestNotUndone(List.of(renamed, u3, c3, u2, c2, c1)))
                    .hasValueSatisfying(change -> assertThat(change.sequenceNumber()).isEqualTo(1));
            assertThat(UndoHistory.latestNotUndone(List.of(u1, u3, c3, u2, c2, c1))).isEmpty();
            assertThat(UndoHistory.latestNotUndone(List.of(c2, c1))).hasValueSatisfying(change ->
                    assertThat(change.deltas()).extracting(ScoreDelta::participantId).containsExactly(ANN, BOB));
            assertThat(UndoHistory.latestNotUndone(List.of())).isEmpty();
        }

        private UndoHistory.StoredEvent stored(long sequence, ScoreboardEvent event) {
            return new UndoHistory.StoredEvent(sequence, event);
        }
    }

    @Nested
    class Footprint {
        @Test
        void footprint_countsParticipantsAndTheDeltasUndoCanStillReach() {
            fixture.given(created(), added(ANN, "Ann"), added(BOB, "Bob"),
                            new ScoreChangedEvent(BOARD, ANN, d("5"), d("5"), null),
                            new RoundRecordedEvent(BOARD, "R1", List.of(
                                    new ScoreDelta(ANN, d("1"), d("6")), new ScoreDelta(BOB, d("2"), d("2")))),
                            new ScoreChangedEvent(BOARD, BOB, d("1"), d("3"), null),
                            // the round is undone: its two deltas leave the undo history
                            new ScoreChangeUndoneEvent(BOARD, 4, List.of(
                                    new ScoreDelta(ANN, d("-1"), d("5")), new ScoreDelta(BOB, d("-2"), d("1")))))
                    .when(change(ANN, "1", KEEPER))
                    .expectSuccessfulHandlerExecution()
                    // 2 participants + Ann's first change + Bob's change + the change just made
                    .expectState(board -> assertThat(board.footprint()).isEqualTo(5));
        }
    }

    @Nested
    class Undo {
        @Test
        void undo_revertsTheLatestChange_withACompensatingEvent() {
            fixture.given(created(), added(ANN, "Ann"),
                            new ScoreChangedEvent(BOARD, ANN, d("5"), d("5"), null),
                            new ScoreChangedEvent(BOARD, ANN, d("3"), d("8"), null))
                    .when(new UndoCommand(BOARD, KEEPER, null))
                    .expectEvents(new ScoreChangeUndoneEvent(BOARD, 3, List.of(new ScoreDelta(ANN, d("-3"), d("5"))), KEEPER_ID))
                    .expectResultMessagePayload(new CommandOutcome(4, Map.of(ANN, d("5")), 3L));
        }

        @Test
        void undo_twice_revertsTheOneBefore() {
            fixture.given(created(), added(ANN, "Ann"),
                            new ScoreChangedEvent(BOARD, ANN, d("5"), d("5"), null),
                            new ScoreChangedEvent(BOARD, ANN, d("3"), d("8"), null),
                            new ScoreChangeUndoneEvent(BOARD, 3, List.of(new ScoreDelta(ANN, d("-3"), d("5")))))
                    .when(new UndoCommand(BOARD, KEEPER, null))
                    .expectEvents(new ScoreChangeUndoneEvent(BOARD, 2, List.of(new ScoreDelta(ANN, d("-5"), d("0"))), KEEPER_ID));
        }

        @Test
        void undo_revertsAWholeRound() {
            fixture.given(created(), added(ANN, "Ann"), added(BOB, "Bob"),
                            new RoundRecordedEvent(BOARD, "R1", List.of(
                                    new ScoreDelta(ANN, d("5"), d("5")), new ScoreDelta(BOB, d("2"), d("2")))))
                    .when(new UndoCommand(BOARD, ADMIN, null))
                    .expectEvents(new ScoreChangeUndoneEvent(BOARD, 3, List.of(
                            new ScoreDelta(ANN, d("-5"), d("0")), new ScoreDelta(BOB, d("-2"), d("0"))), ADMIN_ID));
        }

        @Test
        void undo_fails_whenThereIsNothingToUndo() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new UndoCommand(BOARD, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.NOTHING_TO_UNDO));
        }

        @Test
        void undo_fails_whenEverythingWasUndone() {
            fixture.given(created(), added(ANN, "Ann"),
                            new ScoreChangedEvent(BOARD, ANN, d("5"), d("5"), null),
                            new ScoreChangeUndoneEvent(BOARD, 2, List.of(new ScoreDelta(ANN, d("-5"), d("0")))))
                    .when(new UndoCommand(BOARD, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.NOTHING_TO_UNDO));
        }

        @Test
        void undo_leavesRemovedParticipantsAlone() {
            fixture.given(created(), added(ANN, "Ann"), added(BOB, "Bob"),
                            new RoundRecordedEvent(BOARD, "R1", List.of(
                                    new ScoreDelta(ANN, d("5"), d("5")), new ScoreDelta(BOB, d("2"), d("2")))),
                            new ParticipantRemovedEvent(BOARD, BOB))
                    .when(new UndoCommand(BOARD, ADMIN, null))
                    .expectEvents(new ScoreChangeUndoneEvent(BOARD, 3, List.of(new ScoreDelta(ANN, d("-5"), d("0"))), ADMIN_ID));
        }
    }

    @Nested
    class Tokens {
        private final UUID table3 = UUID.fromString("00000000-0000-0000-0000-0000000000c3");
        private final String table3Hash = AccessTokens.hash("table-3-token");

        private IssueTokenCommand issue(TokenKind kind, String label, String by) {
            return new IssueTokenCommand(BOARD, table3, kind, label, table3Hash, by, null);
        }

        private TokenIssuedEvent issued(TokenKind kind) {
            return new TokenIssuedEvent(BOARD, table3, kind, "Table 3", table3Hash, ADMIN_ID);
        }

        @Test
        void issue_recordsTheNewTokensHashKindAndLabel_andWhoIssuedIt() {
            fixture.given(created())
                    .when(issue(TokenKind.SCOREKEEPER, " Table 3 ", ADMIN))
                    .expectEvents(issued(TokenKind.SCOREKEEPER))
                    .expectResultMessagePayload(CommandOutcome.of(1));
        }

        @Test
        void issue_needsTheAdminToken() {
            fixture.given(created())
                    .when(issue(TokenKind.READER, "Table 3", KEEPER))
                    .expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }

        @Test
        void issue_needsAKindAndAValidLabel() {
            fixture.given(created()).when(issue(null, "Table 3", ADMIN)).expectException(rejectedWith(ErrorCode.INVALID_INPUT));
            fixture.given(created()).when(issue(TokenKind.READER, "  ", ADMIN)).expectException(rejectedWith(ErrorCode.INVALID_INPUT));
        }

        @Test
        void issue_isRefusedAtTheLimitOfWorkingTokens_andRevokedOnesDoNotCount() {
            fixture = new AggregateTestFixture<>(Scoreboard.class);
            fixture.registerInjectableResource(new ScoreboardLimits(3, 3)); // the first two and one more
            UUID other = UUID.randomUUID();
            fixture.given(created(), new TokenIssuedEvent(BOARD, other, TokenKind.READER, "r", "h1", ADMIN_ID))
                    .when(issue(TokenKind.READER, "Table 3", ADMIN))
                    .expectException(rejectedWith(ErrorCode.LIMIT_EXCEEDED));
            fixture.given(created(), new TokenIssuedEvent(BOARD, other, TokenKind.READER, "r", "h1", ADMIN_ID),
                            new TokenRevokedEvent(BOARD, other, ADMIN_ID))
                    .when(issue(TokenKind.READER, " Table 3", ADMIN))
                    .expectEvents(issued(TokenKind.READER));
        }

        @Test
        void anIssuedScorekeeperToken_scores_andItsEventsNameIt() {
            fixture.given(created(), added(ANN, "Ann"), issued(TokenKind.SCOREKEEPER))
                    .when(change(ANN, "2", table3Hash))
                    .expectEvents(new ScoreChangedEvent(BOARD, ANN, d("2"), d("2"), "round 1", table3));
        }

        @Test
        void aReaderToken_writesNothing() {
            fixture.given(created(), added(ANN, "Ann"), issued(TokenKind.READER))
                    .when(change(ANN, "2", table3Hash))
                    .expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }

        @Test
        void anIssuedAdminToken_mayDoEverything() {
            fixture.given(created(), added(ANN, "Ann"), issued(TokenKind.ADMIN))
                    .when(new RemoveParticipantCommand(BOARD, ANN, table3Hash, null))
                    .expectEvents(new ParticipantRemovedEvent(BOARD, ANN, table3));
        }

        @Test
        void revoke_recordsItsEvent_andTheRevokedTokenIsRefusedFromThenOn() {
            fixture.given(created(), added(ANN, "Ann"), issued(TokenKind.SCOREKEEPER))
                    .when(new RevokeTokenCommand(BOARD, table3, ADMIN, null))
                    .expectEvents(new TokenRevokedEvent(BOARD, table3, ADMIN_ID));
            fixture.given(created(), added(ANN, "Ann"), issued(TokenKind.SCOREKEEPER),
                            new TokenRevokedEvent(BOARD, table3, ADMIN_ID))
                    .when(change(ANN, "2", table3Hash))
                    .expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }

        @Test
        void theFirstTokensCanBeRevokedToo_exceptTheLastAdminToken() {
            fixture.given(created())
                    .when(new RevokeTokenCommand(BOARD, KEEPER_ID, ADMIN, null))
                    .expectEvents(new TokenRevokedEvent(BOARD, KEEPER_ID, ADMIN_ID));
            fixture.given(created())
                    .when(new RevokeTokenCommand(BOARD, ADMIN_ID, ADMIN, null))
                    .expectException(rejectedWith(ErrorCode.LAST_ADMIN_TOKEN));
            fixture.given(created(), issued(TokenKind.ADMIN))
                    .when(new RevokeTokenCommand(BOARD, ADMIN_ID, table3Hash, null))
                    .expectEvents(new TokenRevokedEvent(BOARD, ADMIN_ID, table3));
        }

        @Test
        void revoke_ofAnUnknownOrAlreadyRevokedToken_isRefused() {
            fixture.given(created())
                    .when(new RevokeTokenCommand(BOARD, table3, ADMIN, null))
                    .expectException(rejectedWith(ErrorCode.TOKEN_NOT_FOUND));
            fixture.given(created(), issued(TokenKind.READER), new TokenRevokedEvent(BOARD, table3, ADMIN_ID))
                    .when(new RevokeTokenCommand(BOARD, table3, ADMIN, null))
                    .expectException(rejectedWith(ErrorCode.TOKEN_ALREADY_REVOKED));
        }

        @Test
        void aDeletedBoardsTokens_canStillBeRevoked() {
            fixture.given(created(), issued(TokenKind.ADMIN), new ScoreboardDeletedEvent(BOARD, ADMIN_ID))
                    .when(new RevokeTokenCommand(BOARD, table3, ADMIN, null))
                    .expectEvents(new TokenRevokedEvent(BOARD, table3, ADMIN_ID));
        }
    }

    @Nested
    class Teams {
        private final UUID red = UUID.fromString("00000000-0000-0000-0000-0000000000d1");
        private final UUID blue = UUID.fromString("00000000-0000-0000-0000-0000000000d2");

        private TeamCreatedEvent teamCreated(UUID id, String name) {
            return new TeamCreatedEvent(BOARD, id, name, ADMIN_ID);
        }

        private ParticipantTeamChangedEvent joined(UUID participant, UUID team) {
            return new ParticipantTeamChangedEvent(BOARD, participant, team, ADMIN_ID);
        }

        @Test
        void create_appendsTeamCreated_trimmed_andNamesTheAdminToken() {
            fixture.given(created())
                    .when(new CreateTeamCommand(BOARD, red, "  Red ", ADMIN, null))
                    .expectEvents(teamCreated(red, "Red"))
                    .expectResultMessagePayload(CommandOutcome.of(1));
        }

        @Test
        void create_needsTheAdminToken() {
            fixture.given(created())
                    .when(new CreateTeamCommand(BOARD, red, "Red", KEEPER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
            fixture.given(created())
                    .when(new CreateTeamCommand(BOARD, red, "Red", STRANGER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }

        @Test
        void create_fails_forAnInvalidName() {
            fixture.given(created())
                    .when(new CreateTeamCommand(BOARD, red, "  ", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.INVALID_INPUT));
            fixture.given(created())
                    .when(new CreateTeamCommand(BOARD, red, null, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.INVALID_INPUT));
            fixture.given(created())
                    .when(new CreateTeamCommand(BOARD, red, "x".repeat(Names.MAX_LENGTH + 1), ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.INVALID_INPUT));
            fixture.given(created())
                    .when(new CreateTeamCommand(BOARD, red, "Re\u0007d", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.INVALID_INPUT));
        }

        @Test
        void create_fails_whenANotRemovedTeamHasTheNameIgnoringCase_butARemovedOnesNameIsFree() {
            fixture.given(created(), teamCreated(red, "Red"))
                    .when(new CreateTeamCommand(BOARD, blue, " rED", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.DUPLICATE_TEAM_NAME));
            fixture.given(created(), teamCreated(red, "Red"), new TeamRemovedEvent(BOARD, red, ADMIN_ID))
                    .when(new CreateTeamCommand(BOARD, blue, "Red", ADMIN, null))
                    .expectEvents(teamCreated(blue, "Red"));
        }

        @Test
        void aTeamMayBeNamedLikeAParticipant() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new CreateTeamCommand(BOARD, red, "Ann", ADMIN, null))
                    .expectEvents(teamCreated(red, "Ann"));
        }

        @Test
        void create_isRefusedAtTheLimitOfTeams_andRemovedOnesDoNotCount() {
            FixtureConfiguration<Scoreboard> small = new AggregateTestFixture<>(Scoreboard.class);
            small.registerInjectableResource(new ScoreboardLimits(3, 100, 2));
            small.given(created(), teamCreated(red, "Red"), teamCreated(blue, "Blue"))
                    .when(new CreateTeamCommand(BOARD, UUID.randomUUID(), "Green", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.LIMIT_EXCEEDED))
                    .expectExceptionMessage(Matchers.containsString("scoreboard.limits.max-teams"));
            UUID green = UUID.randomUUID();
            small.given(created(), teamCreated(red, "Red"), teamCreated(blue, "Blue"),
                            new TeamRemovedEvent(BOARD, red, ADMIN_ID))
                    .when(new CreateTeamCommand(BOARD, green, "Green", ADMIN, null))
                    .expectEvents(teamCreated(green, "Green"));
        }

        @Test
        void teamCommands_fail_onADeletedBoard_orAStaleVersion() {
            fixture.given(created(), teamCreated(red, "Red"), new ScoreboardDeletedEvent(BOARD))
                    .when(new CreateTeamCommand(BOARD, blue, "Blue", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCOREBOARD_DELETED));
            fixture.given(created(), teamCreated(red, "Red"), new ScoreboardDeletedEvent(BOARD))
                    .when(new RemoveTeamCommand(BOARD, red, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.SCOREBOARD_DELETED));
            fixture.given(created(), teamCreated(red, "Red"))
                    .when(new RenameTeamCommand(BOARD, red, "Scarlet", ADMIN, 0L))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.VERSION_MISMATCH));
            fixture.given(created(), teamCreated(red, "Red"))
                    .when(new RenameTeamCommand(BOARD, red, "Scarlet", ADMIN, 1L))
                    .expectEvents(new TeamRenamedEvent(BOARD, red, "Scarlet", ADMIN_ID));
        }

        @Test
        void rename_appendsTeamRenamed_andACaseChangeIsARename() {
            fixture.given(created(), teamCreated(red, "Red"))
                    .when(new RenameTeamCommand(BOARD, red, " RED ", ADMIN, null))
                    .expectEvents(new TeamRenamedEvent(BOARD, red, "RED", ADMIN_ID))
                    .expectResultMessagePayload(CommandOutcome.of(2));
        }

        @Test
        void rename_toTheSameName_changesNothing_andAnswersTheCurrentVersion() {
            fixture.given(created(), teamCreated(red, "Red"), added(ANN, "Ann"))
                    .when(new RenameTeamCommand(BOARD, red, " Red", ADMIN, null))
                    .expectNoEvents().expectResultMessagePayload(CommandOutcome.of(2));
        }

        @Test
        void rename_toAnotherTeamsName_fails() {
            fixture.given(created(), teamCreated(red, "Red"), teamCreated(blue, "Blue"))
                    .when(new RenameTeamCommand(BOARD, red, "blue", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.DUPLICATE_TEAM_NAME));
        }

        @Test
        void rename_needsTheAdminToken_andAValidName() {
            fixture.given(created(), teamCreated(red, "Red"))
                    .when(new RenameTeamCommand(BOARD, red, "Scarlet", KEEPER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
            fixture.given(created(), teamCreated(red, "Red"))
                    .when(new RenameTeamCommand(BOARD, red, "", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.INVALID_INPUT));
        }

        @Test
        void renameOrRemove_ofAnUnknownTeam_isNotFound_andOfARemovedTeam_isRefused() {
            fixture.given(created())
                    .when(new RenameTeamCommand(BOARD, red, "Scarlet", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.TEAM_NOT_FOUND));
            fixture.given(created())
                    .when(new RemoveTeamCommand(BOARD, red, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.TEAM_NOT_FOUND));
            fixture.given(created(), teamCreated(red, "Red"), new TeamRemovedEvent(BOARD, red, ADMIN_ID))
                    .when(new RenameTeamCommand(BOARD, red, "Scarlet", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.TEAM_REMOVED));
            fixture.given(created(), teamCreated(red, "Red"), new TeamRemovedEvent(BOARD, red, ADMIN_ID))
                    .when(new RemoveTeamCommand(BOARD, red, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.TEAM_REMOVED));
        }

        @Test
        void remove_appendsTeamRemoved_andItsMembersAreTeamlessAfterwards() {
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), joined(ANN, red))
                    .when(new RemoveTeamCommand(BOARD, red, ADMIN, null))
                    .expectEvents(new TeamRemovedEvent(BOARD, red, ADMIN_ID));
            // Ann is in no team now: taking her out of hers changes nothing.
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), joined(ANN, red),
                            new TeamRemovedEvent(BOARD, red, ADMIN_ID))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, null, ADMIN, null))
                    .expectNoEvents().expectResultMessagePayload(CommandOutcome.of(4));
        }

        @Test
        void remove_needsTheAdminToken() {
            fixture.given(created(), teamCreated(red, "Red"))
                    .when(new RemoveTeamCommand(BOARD, red, KEEPER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }

        @Test
        void assign_joinsMovesAndLeaves() {
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, null))
                    .expectEvents(joined(ANN, red)).expectResultMessagePayload(CommandOutcome.of(3));
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), teamCreated(blue, "Blue"),
                            joined(ANN, red))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, blue, ADMIN, null))
                    .expectEvents(joined(ANN, blue));
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), joined(ANN, red))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, null, ADMIN, null))
                    .expectEvents(joined(ANN, null));
        }

        @Test
        void assign_toTheTeamItIsIn_orNoneWhenInNone_changesNothing() {
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), joined(ANN, red))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, null))
                    .expectNoEvents().expectResultMessagePayload(CommandOutcome.of(3));
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, null, ADMIN, null))
                    .expectNoEvents().expectResultMessagePayload(CommandOutcome.of(1));
        }

        @Test
        void assign_ofAnUnknownOrRemovedParticipant_isRefused() {
            fixture.given(created(), teamCreated(red, "Red"))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.PARTICIPANT_NOT_FOUND));
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), new ParticipantRemovedEvent(BOARD, ANN))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.PARTICIPANT_REMOVED));
        }

        @Test
        void assign_toAnUnknownOrRemovedTeam_isRefused() {
            fixture.given(created(), added(ANN, "Ann"))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.TEAM_NOT_FOUND));
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), new TeamRemovedEvent(BOARD, red, ADMIN_ID))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.TEAM_REMOVED));
        }

        @Test
        void assign_needsTheAdminToken_andTheCurrentVersionIfGiven() {
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, KEEPER, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.FORBIDDEN));
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, 1L))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.VERSION_MISMATCH));
        }

        @Test
        void theFootprint_countsTeamsToo() {
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), teamCreated(blue, "Blue"),
                            new TeamRemovedEvent(BOARD, blue, ADMIN_ID))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, null))
                    .expectSuccessfulHandlerExecution()
                    .expectState(board -> assertThat(board.footprint()).isEqualTo(3));
        }
    }

    /** A rewind with teams: what the board had at the instant comes back, teams and membership included. */
    @Nested
    class RewindWithTeams {
        private final UUID red = UUID.fromString("00000000-0000-0000-0000-0000000000d1");
        private final UUID blue = UUID.fromString("00000000-0000-0000-0000-0000000000d2");
        /** The instant rewound to: after the board was created (the fixture's time), before the later events. */
        private Instant to = Instant.now();

        /** The board's events, those before the instant and those after; positions are 100 + sequence number. */
        private org.axonframework.test.aggregate.TestExecutor<Scoreboard> given(List<ScoreboardEvent> before,
                                                                                List<ScoreboardEvent> after) {
            List<ScoreboardEvent> all = new ArrayList<>(before);
            all.addAll(after);
            var executor = fixture.given(all.toArray());
            to = Instant.now();
            storedHistory.clear();
            for (int i = 0; i < all.size(); i++) {
                storedHistory.add(new BoardHistory.TimedEvent(i, 100 + i,
                        i < before.size() ? to.minusSeconds(1) : to.plusMillis(1), all.get(i)));
            }
            return executor;
        }

        private RewindCommand rewind() {
            return new RewindCommand(BOARD, to, null, ADMIN, null);
        }

        private ScoreboardRewoundEvent rewound(List<RewoundParticipant> participants, List<RewoundTeam> teams) {
            return new ScoreboardRewoundEvent(BOARD, to, null, participants, ADMIN_ID, teams);
        }

        private TeamCreatedEvent teamCreated(UUID id, String name) {
            return new TeamCreatedEvent(BOARD, id, name, ADMIN_ID);
        }

        private ParticipantTeamChangedEvent joined(UUID participant, UUID team) {
            return new ParticipantTeamChangedEvent(BOARD, participant, team, ADMIN_ID);
        }

        @Test
        void aTeamCreatedAfterTheInstant_isRemoved_keepingItsName_andItsMembersAreTeamlessAgain() {
            given(List.of(created(), added(ANN, "Ann")),
                    List.of(teamCreated(red, "Red"), joined(ANN, red)))
                    .when(rewind())
                    .expectEvents(rewound(
                            List.of(new RewoundParticipant(ANN, "Ann", BigDecimal.ZERO, false, 101, null)),
                            List.of(new RewoundTeam(red, "Red", true))));
        }

        @Test
        void aRemovedTeam_comesBack_withItsMembers() {
            given(List.of(created(), added(ANN, "Ann"), added(BOB, "Bob"), teamCreated(red, "Red"),
                            joined(ANN, red), joined(BOB, red)),
                    List.of(new TeamRemovedEvent(BOARD, red, ADMIN_ID)))
                    .when(rewind())
                    .expectEvents(rewound(List.of(
                                    new RewoundParticipant(ANN, "Ann", BigDecimal.ZERO, false, 101, red),
                                    new RewoundParticipant(BOB, "Bob", BigDecimal.ZERO, false, 102, red)),
                            List.of(new RewoundTeam(red, "Red", false))));
        }

        @Test
        void aParticipantMovedBetweenTeams_goesBack_andTeamsThatDidNotChangeAreNotListed() {
            given(List.of(created(), added(ANN, "Ann"), added(BOB, "Bob"), teamCreated(red, "Red"),
                            teamCreated(blue, "Blue"), joined(ANN, red), joined(BOB, blue)),
                    List.of(joined(ANN, blue), new TeamRenamedEvent(BOARD, red, "Scarlet", ADMIN_ID)))
                    .when(rewind())
                    .expectEvents(rewound(
                            List.of(new RewoundParticipant(ANN, "Ann", BigDecimal.ZERO, false, 101, red)),
                            List.of(new RewoundTeam(red, "Red", false))));
        }

        @Test
        void aParticipantAddedAfterTheInstant_intoATeamCreatedAfterIt_isRemoved_andInNoTeam() {
            given(List.of(created(), added(ANN, "Ann"), teamCreated(red, "Red"), joined(ANN, red)),
                    List.of(teamCreated(blue, "Blue"), added(BOB, "Bob"), joined(BOB, blue), joined(ANN, blue),
                            new ScoreChangedEvent(BOARD, BOB, d("3"), d("3"), null, KEEPER_ID)))
                    .when(rewind())
                    .expectEvents(rewound(List.of(
                                    new RewoundParticipant(ANN, "Ann", BigDecimal.ZERO, false, 101, red),
                                    new RewoundParticipant(BOB, "Bob", d("3"), true, 108, null)),
                            List.of(new RewoundTeam(blue, "Blue", true))));
        }

        @Test
        void teamsAsTheyWere_areNotListed_soARewindWithoutTeamChanges_writesNone() {
            given(List.of(created(), added(ANN, "Ann"), teamCreated(red, "Red"), joined(ANN, red)),
                    List.of(new ScoreChangedEvent(BOARD, ANN, d("2"), d("2"), null, KEEPER_ID)))
                    .when(rewind())
                    .expectEvents(rewound(
                            List.of(new RewoundParticipant(ANN, "Ann", BigDecimal.ZERO, false, 101, red)),
                            List.of()));
        }

        @Test
        void anEarlierRewind_isFoldedWithItsTeams() {
            // At the instant the board had already been rewound: Red back, with Ann in it.
            given(List.of(created(), added(ANN, "Ann"), teamCreated(red, "Red"), joined(ANN, red),
                            new TeamRemovedEvent(BOARD, red, ADMIN_ID),
                            new ScoreboardRewoundEvent(BOARD, to.minusSeconds(5), null,
                                    List.of(new RewoundParticipant(ANN, "Ann", BigDecimal.ZERO, false, 101, red)),
                                    ADMIN_ID, List.of(new RewoundTeam(red, "Red", false)))),
                    List.of(new TeamRemovedEvent(BOARD, red, ADMIN_ID)))
                    .when(rewind())
                    .expectEvents(rewound(
                            List.of(new RewoundParticipant(ANN, "Ann", BigDecimal.ZERO, false, 101, red)),
                            List.of(new RewoundTeam(red, "Red", false))));
        }

        @Test
        void afterARewind_aTeamItBroughtBackCanBeJoined_andOneItRemovedCannot() {
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), teamCreated(blue, "Blue"),
                            new TeamRemovedEvent(BOARD, red, ADMIN_ID),
                            rewound(List.of(), List.of(new RewoundTeam(red, "Red", false),
                                    new RewoundTeam(blue, "Blue", true))))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, null))
                    .expectEvents(joined(ANN, red));
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"), teamCreated(blue, "Blue"),
                            rewound(List.of(), List.of(new RewoundTeam(blue, "Blue", true))))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, blue, ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.TEAM_REMOVED));
            // Blue's name is free again; Red's, brought back, is not.
            fixture.given(created(), teamCreated(red, "Red"), teamCreated(blue, "Blue"),
                            new TeamRemovedEvent(BOARD, red, ADMIN_ID),
                            rewound(List.of(), List.of(new RewoundTeam(red, "Red", false),
                                    new RewoundTeam(blue, "Blue", true))))
                    .when(new CreateTeamCommand(BOARD, UUID.randomUUID(), "red", ADMIN, null))
                    .expectNoEvents().expectException(rejectedWith(ErrorCode.DUPLICATE_TEAM_NAME));
        }

        @Test
        void afterARewind_aParticipantIsInTheTeamItSets() {
            fixture.given(created(), added(ANN, "Ann"), teamCreated(red, "Red"),
                            rewound(List.of(new RewoundParticipant(ANN, "Ann", BigDecimal.ZERO, false, 101, red)),
                                    List.of()))
                    .when(new ChangeParticipantTeamCommand(BOARD, ANN, red, ADMIN, null))
                    .expectNoEvents();
        }
    }

    @Nested
    class Visibility_ {
        @Test
        void aBoardIsCreatedPrivate_andMadePublicByItsAdmin() {
            List<CreateScoreboardCommand.NewParticipant> none = List.of();
            fixture.givenNoPriorActivity()
                    .when(new CreateScoreboardCommand(BOARD, "Quiz night", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                            none, ADMIN, KEEPER, Visibility.PRIVATE))
                    .expectEvents(new ScoreboardCreatedEvent(BOARD, "Quiz night", ScoreOrder.HIGHEST_FIRST,
                            Ranking.STANDARD, ADMIN, KEEPER, Visibility.PRIVATE));
            fixture.given(new ScoreboardCreatedEvent(BOARD, "Quiz night", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                            ADMIN, KEEPER, Visibility.PRIVATE))
                    .when(new ChangeBoardSettingsCommand(BOARD, null, null, null, Visibility.PUBLIC, ADMIN, null))
                    .expectEvents(new ScoreboardVisibilityChangedEvent(BOARD, Visibility.PUBLIC, ADMIN_ID));
        }

        @Test
        void aBoardCreatedBeforeBoardsCouldBePrivate_isPublic_soMakingItPublicChangesNothing() {
            fixture.given(new ScoreboardCreatedEvent(BOARD, "Quiz night", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                            ADMIN, KEEPER))
                    .when(new ChangeBoardSettingsCommand(BOARD, null, null, null, Visibility.PUBLIC, ADMIN, null))
                    .expectNoEvents();
            fixture.given(created())
                    .when(new ChangeBoardSettingsCommand(BOARD, null, null, null, Visibility.PRIVATE, KEEPER, null))
                    .expectException(rejectedWith(ErrorCode.FORBIDDEN));
        }
    }
}

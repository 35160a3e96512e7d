package io.scoreboard.command.scoreboard;


import io.scoreboard.events.ParticipantAddedEvent;
import io.scoreboard.events.Ranking;
import io.scoreboard.events.ScoreChangedEvent;
import io.scoreboard.events.ScoreOrder;
import io.scoreboard.events.ScoreboardCreatedEvent;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

class ScoreboardTest {

    private static final UUID BOARD = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    private static final UUID ANN = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID BOB = UUID.fromString("00000000-0000-0000-0000-0000000000a2");
    private static final String ADMIN_HASH = AccessTokens.hash("admin-token");
    private static final String KEEPER_HASH = AccessTokens.hash("keeper-token");

    private FixtureConfiguration<Scoreboard> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Scoreboard.class);
    }

    private static ScoreboardCreatedEvent created() {
        return new ScoreboardCreatedEvent(BOARD, "Quiz night", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                ADMIN_HASH, KEEPER_HASH);
    }

    private static Matcher<Object> rejectedWith(ErrorCode code) {
        return new FeatureMatcher<Object, ErrorCode>(Matchers.equalTo(code), "rejected with", "code") {
            @Override
            protected ErrorCode featureValueOf(Object actual) {
                return actual instanceof CommandRejectedException r ? r.code() : null;
            }
        };
    }

    private static ChangeScoreCommand change(String delta, String tokenHash) {
        return new ChangeScoreCommand(BOARD, ANN, new BigDecimal(delta), "round 1", tokenHash);
    }

    @Test
    void create_appendsTheBoardThenEachParticipant() {
        fixture.givenNoPriorActivity()
                .when(new CreateScoreboardCommand(BOARD, "  Quiz night ", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                        List.of(new CreateScoreboardCommand.NewParticipant(ANN, "Ann"),
                                new CreateScoreboardCommand.NewParticipant(BOB, " Bob")),
                        ADMIN_HASH, KEEPER_HASH))
                .expectSuccessfulHandlerExecution()
                .expectEvents(created(),
                        new ParticipantAddedEvent(BOARD, ANN, "Ann"),
                        new ParticipantAddedEvent(BOARD, BOB, "Bob"));
    }

    @Test
    void create_fails_whenParticipantNamesRepeatIgnoringCase() {
        fixture.givenNoPriorActivity()
                .when(new CreateScoreboardCommand(BOARD, "Quiz", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                        List.of(new CreateScoreboardCommand.NewParticipant(ANN, "Ann"),
                                new CreateScoreboardCommand.NewParticipant(BOB, "ANN")),
                        ADMIN_HASH, KEEPER_HASH))
                .expectNoEvents()
                .expectException(CommandRejectedException.class)
                .expectExceptionMessage("participant name 'ANN' appears twice (names are case-insensitive)");
    }

    @Test
    void create_fails_whenNameIsBlank() {
        fixture.givenNoPriorActivity()
                .when(new CreateScoreboardCommand(BOARD, "   ", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                        List.of(), ADMIN_HASH, KEEPER_HASH))
                .expectNoEvents()
                .expectException(CommandRejectedException.class);
    }

    @Test
    void changeScore_appendsDeltaAndResultingScore() {
        fixture.given(created(), new ParticipantAddedEvent(BOARD, ANN, "Ann"),
                        new ScoreChangedEvent(BOARD, ANN, new BigDecimal("2.5"), new BigDecimal("2.5"), null))
                .when(change("0.75", ADMIN_HASH))
                .expectEvents(new ScoreChangedEvent(BOARD, ANN, new BigDecimal("0.75"), new BigDecimal("3.25"), "round 1"))
                .expectResultMessagePayload(new ScoreChangeOutcome(new BigDecimal("3.25"), 3));
    }

    @Test
    void changeScore_isAllowedToTheScorekeeper() {
        fixture.given(created(), new ParticipantAddedEvent(BOARD, ANN, "Ann"))
                .when(change("-4", KEEPER_HASH))
                .expectEvents(new ScoreChangedEvent(BOARD, ANN, new BigDecimal("-4"), new BigDecimal("-4"), "round 1"));
    }

    @Test
    void changeScore_fails_whenTokenIsWrong() {
        fixture.given(created(), new ParticipantAddedEvent(BOARD, ANN, "Ann"))
                .when(change("1", AccessTokens.hash("guess")))
                .expectNoEvents()
                .expectException(rejectedWith(ErrorCode.FORBIDDEN));
    }

    @Test
    void changeScore_fails_whenParticipantIsUnknown() {
        fixture.given(created())
                .when(change("1", ADMIN_HASH))
                .expectNoEvents()
                .expectException(rejectedWith(ErrorCode.PARTICIPANT_NOT_FOUND));
    }

    @Test
    void changeScore_fails_whenResultOverflows() {
        fixture.given(created(), new ParticipantAddedEvent(BOARD, ANN, "Ann"),
                        new ScoreChangedEvent(BOARD, ANN, new BigDecimal("999999999999999"),
                                new BigDecimal("999999999999999"), null))
                .when(change("1", ADMIN_HASH))
                .expectNoEvents()
                .expectException(rejectedWith(ErrorCode.SCORE_OUT_OF_RANGE));
    }

    @Test
    void changeScore_fails_whenDeltaHasMoreThanFourFractionalDigits() {
        fixture.given(created(), new ParticipantAddedEvent(BOARD, ANN, "Ann"))
                .when(change("0.00001", ADMIN_HASH))
                .expectNoEvents()
                .expectException(rejectedWith(ErrorCode.SCORE_OUT_OF_RANGE));
    }

    @Test
    void changeScore_keepsTrailingZerosOutOfTheEvent() {
        fixture.given(created(), new ParticipantAddedEvent(BOARD, ANN, "Ann"))
                .when(change("5.500", ADMIN_HASH))
                .expectEvents(new ScoreChangedEvent(BOARD, ANN, new BigDecimal("5.5"), new BigDecimal("5.5"), "round 1"));
    }
}

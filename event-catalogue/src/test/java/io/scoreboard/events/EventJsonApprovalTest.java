package io.scoreboard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Events are a published contract: their JSON is pinned here. If one of these tests fails, you
 * changed a published event: add a new version and an upcaster instead (ADR 0003).
 */
class EventJsonApprovalTest {

    private static final UUID BOARD = UUID.fromString("6f1c1f9e-3f4e-4c55-9d1e-2b8f4f1a0001");
    private static final UUID ANN = UUID.fromString("6f1c1f9e-3f4e-4c55-9d1e-2b8f4f1a00a1");
    private static final UUID BOB = UUID.fromString("6f1c1f9e-3f4e-4c55-9d1e-2b8f4f1a00b2");
    private static final UUID ADMIN = FirstTokens.adminTokenId(BOARD);
    private static final UUID RED = UUID.fromString("6f1c1f9e-3f4e-4c55-9d1e-2b8f4f1a0e01");
    private static final UUID TABLE_3 = UUID.fromString("6f1c1f9e-3f4e-4c55-9d1e-2b8f4f1a0c03");

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("ScoreboardCreated-v1.json", new ScoreboardCreatedEvent(BOARD, "Quiz night",
                        ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD, "a1b2", "c3d4")),
                Arguments.of("ScoreboardRenamed-v1.json", new ScoreboardRenamedEvent(BOARD, "Pub quiz")),
                Arguments.of("RankingRulesChanged-v1.json", new RankingRulesChangedEvent(BOARD,
                        ScoreOrder.LOWEST_FIRST, Ranking.DENSE)),
                Arguments.of("ScoreboardDeleted-v1.json", new ScoreboardDeletedEvent(BOARD)),
                Arguments.of("ScoreboardRestored-v1.json", new ScoreboardRestoredEvent(BOARD)),
                Arguments.of("ParticipantAdded-v1.json", new ParticipantAddedEvent(BOARD, ANN, "Ann")),
                Arguments.of("ParticipantRenamed-v1.json", new ParticipantRenamedEvent(BOARD, ANN, "Annie")),
                Arguments.of("ParticipantRemoved-v1.json", new ParticipantRemovedEvent(BOARD, ANN)),
                Arguments.of("ScoreChanged-v1.json", new ScoreChangedEvent(BOARD, ANN, new BigDecimal("-2.5"),
                        new BigDecimal("999999999999999.9999"), "round 3")),
                Arguments.of("RoundRecorded-v1.json", new RoundRecordedEvent(BOARD, "Round 3", List.of(
                        new ScoreDelta(ANN, new BigDecimal("5"), new BigDecimal("12.5")),
                        new ScoreDelta(BOB, new BigDecimal("-2"), new BigDecimal("-2"))))),
                Arguments.of("ScoreChangeUndone-v1.json", new ScoreChangeUndoneEvent(BOARD, 7, List.of(
                        new ScoreDelta(ANN, new BigDecimal("-5"), new BigDecimal("7.5"))))),
                Arguments.of("TokenIssued-v1.json", new TokenIssuedEvent(BOARD, TABLE_3, TokenKind.SCOREKEEPER,
                        "Table 3", "e5f6", ADMIN)),
                Arguments.of("TokenRevoked-v1.json", new TokenRevokedEvent(BOARD, TABLE_3, ADMIN)),
                Arguments.of("ScoreboardVisibilityChanged-v1.json", new ScoreboardVisibilityChangedEvent(BOARD,
                        Visibility.PRIVATE, ADMIN)),
                Arguments.of("ScoreboardRewound-v1.json", new ScoreboardRewoundEvent(BOARD,
                        Instant.parse("2026-11-24T21:00:00Z"), "wrong answers counted", List.of(
                        new RewoundParticipant(ANN, "Ann", new BigDecimal("12.5"), false, 40),
                        new RewoundParticipant(BOB, "Bob", new BigDecimal("0"), true, 41)), ADMIN)),
                Arguments.of("TeamCreated-v1.json", new TeamCreatedEvent(BOARD, RED, "Red", ADMIN)),
                Arguments.of("TeamRenamed-v1.json", new TeamRenamedEvent(BOARD, RED, "Crimson", ADMIN)),
                Arguments.of("TeamRemoved-v1.json", new TeamRemovedEvent(BOARD, RED, ADMIN)),
                Arguments.of("ParticipantTeamChanged-v1.json", new ParticipantTeamChangedEvent(BOARD, ANN, RED,
                        ADMIN)));
    }

    /**
     * Events written by a token name it in {@code tokenId}, and a private board's creation says so in
     * {@code visibility}; events written before either existed have no such member at all (above), and read back
     * with none: the members are additive, the meaning of old events unchanged.
     */
    static Stream<Arguments> eventsByAToken() {
        return Stream.of(
                Arguments.of("ScoreboardCreated-v1-private.json", new ScoreboardCreatedEvent(BOARD, "Quiz night",
                        ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD, "a1b2", "c3d4", Visibility.PRIVATE)),
                Arguments.of("ScoreboardRenamed-v1-by-token.json", new ScoreboardRenamedEvent(BOARD, "Pub quiz", ADMIN)),
                Arguments.of("ScoreChanged-v1-by-token.json", new ScoreChangedEvent(BOARD, ANN, new BigDecimal("5"),
                        new BigDecimal("7.25"), null, TABLE_3)),
                Arguments.of("RoundRecorded-v1-by-token.json", new RoundRecordedEvent(BOARD, null, List.of(
                        new ScoreDelta(ANN, new BigDecimal("5"), new BigDecimal("12.5"))), TABLE_3)),
                // Leaving a team: teamId is null, and present as null (it is the event's meaning, not an absence).
                Arguments.of("ParticipantTeamChanged-v1-left.json", new ParticipantTeamChangedEvent(BOARD, ANN, null,
                        ADMIN)),
                // A rewind since teams: the teams it set, and each participant's team then (absent for none).
                Arguments.of("ScoreboardRewound-v1-teams.json", new ScoreboardRewoundEvent(BOARD,
                        Instant.parse("2026-11-24T21:00:00Z"), null, List.of(
                        new RewoundParticipant(ANN, "Ann", new BigDecimal("12.5"), false, 40, RED),
                        new RewoundParticipant(BOB, "Bob", new BigDecimal("3"), false, 41, null)), ADMIN,
                        List.of(new RewoundTeam(RED, "Red", false)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventsByAToken")
    void theWritingTokenIsPinned(String approvedFile, ScoreboardEvent event) throws IOException {
        payloadJsonIsPinned(approvedFile, event);
        if (!(event instanceof ScoreboardCreatedEvent)) {
            assertThat(event.tokenId()).isNotNull();
        }
    }

    @Test
    void theFirstTokensIdsAreDerivedFromTheBoard() {
        assertThat(FirstTokens.adminTokenId(BOARD)).isEqualTo(UUID.fromString("351d752f-f2d8-34a5-a9ea-b997e7c477b4"));
        assertThat(FirstTokens.scorekeeperTokenId(BOARD)).isNotEqualTo(FirstTokens.adminTokenId(BOARD));
        assertThat(new ScoreboardCreatedEvent(BOARD, "Quiz night", ScoreOrder.HIGHEST_FIRST, Ranking.STANDARD,
                "a1b2", "c3d4").tokenId()).as("a creation needs no token").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void payloadJsonIsPinned(String approvedFile, ScoreboardEvent event) throws IOException {
        String json = new String(EventJson.writePayload(event), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo(approved(approvedFile));
        assertThat(EventJson.readPayload(EventCatalogue.of(event).name(), json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(event);
    }

    @Test
    void envelopeJsonIsPinned() throws IOException {
        EventEnvelope envelope = EventEnvelope.of(UUID.fromString("0b7e5b1c-7d7c-4f8e-9f3a-5a1f2e3d4c5b"), 3, 42,
                Instant.parse("2026-11-24T20:15:30.123456Z"),
                new ScoreChangedEvent(BOARD, ANN, new BigDecimal("5"), new BigDecimal("7.25"), null));

        String json = new String(EventJson.writeEnvelope(envelope), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo(approved("envelope-v1.json"));
        assertThat(EventJson.readEnvelope(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(envelope);
    }

    @Test
    void everyCatalogueEntryHasAnApprovedFile() {
        assertThat(EventCatalogue.entries()).extracting(e -> e.name() + "-v" + e.version() + ".json")
                .containsExactlyInAnyOrderElementsOf(events().map(a -> (String) a.get()[0]).toList());
    }

    /** A board's export is the published envelope without any token hash, for every event type of the catalogue. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void theExportedLine_isThePublishedEnvelope_withoutTokenHashes(String approvedFile, ScoreboardEvent event)
            throws IOException {
        EventEnvelope envelope = EventEnvelope.of(UUID.randomUUID(), 1, 2, Instant.parse("2026-11-24T20:15:30Z"), event);
        String line = ExportedEvents.line(envelope);

        assertThat(line).doesNotContain("\n").doesNotContainIgnoringCase("hash\"").doesNotContain("a1b2", "c3d4", "e5f6");
        com.fasterxml.jackson.databind.JsonNode exported = EventJson.mapper().readTree(line);
        com.fasterxml.jackson.databind.JsonNode published = EventJson.mapper().readTree(EventJson.writeEnvelope(envelope));
        ((com.fasterxml.jackson.databind.node.ObjectNode) published.get("payload")).remove(
                java.util.List.of("adminTokenHash", "scorekeeperTokenHash", "tokenHash"));
        assertThat(exported).isEqualTo(published);
    }

    @Test
    void readingAnUnknownTypeSaysSo() {
        assertThatThrownBy(() -> EventJson.readPayload("ScoreboardExploded", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventJson.UnknownEventTypeException.class)
                .hasMessageContaining("ScoreboardExploded");
    }

    @Test
    void readingGarbageIsAMalformedEvent() {
        assertThatThrownBy(() -> EventJson.readEnvelope("{\"type\":\"ScoreChanged\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventJson.MalformedEventException.class);
    }

    private static String approved(String file) throws IOException {
        try (InputStream in = EventJsonApprovalTest.class.getResourceAsStream("/approved/" + file)) {
            assertThat(in).as("approved file " + file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }
}

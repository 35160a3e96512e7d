package io.scoreboard.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scoreboard.startup.TopicEnvironment.Kind;
import io.scoreboard.startup.TopicEnvironment.Observed;
import io.scoreboard.startup.TopicEnvironment.Recorded;
import io.scoreboard.startup.TopicEnvironment.Settings;
import io.scoreboard.startup.TopicEnvironment.Use;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TopicEnvironmentTest {

    private static final String TOPIC = "scoreboard-events";
    private static final Settings CLI = new Settings("--environment", "--topic", "--kafka");

    private static Observed topic(String id, long records, Recorded... recorded) {
        return new Observed(TOPIC, "kafka:9092", Optional.ofNullable(id), records, List.of(recorded));
    }

    private static Recorded record(long offset, String environment, String topicId) {
        return new Recorded(offset, environment, TOPIC, topicId);
    }

    @ParameterizedTest
    @EnumSource(Use.class)
    void aTopicRecordedForTheConfiguredEnvironmentPasses(Use use) {
        var verdict = TopicEnvironment.decide("prod", topic("A", 1_000, record(0, "prod", "A")), use, CLI);

        assertThat(verdict.kind()).isEqualTo(Kind.BOUND);
    }

    @ParameterizedTest
    @EnumSource(Use.class)
    void aTopicOfAnotherEnvironmentIsRefused_namingBoth_andTheFix(Use use) {
        assertThatThrownBy(() -> TopicEnvironment.decide("dev", topic("A", 0, record(0, "prod", "A")), use, CLI))
                .isInstanceOf(TopicEnvironmentRefusedException.class)
                .hasMessageContaining("Kafka topic 'scoreboard-events' at kafka:9092")
                .hasMessageContaining("belongs to environment 'prod'")
                .hasMessageContaining("configured for 'dev'")
                .hasMessageContaining("scoreboard-events.identity")
                .hasMessageContaining("Nothing was changed")
                .satisfies(e -> {
                    StartupCheckFailedException refusal = (StartupCheckFailedException) e;
                    assertThat(refusal.setting()).isEqualTo("--environment");
                    assertThat(refusal.fix()).contains("set --environment=prod").contains("--topic");
                });
    }

    @Test
    void theFirstRecordForTheTopicDecides_aLaterClaimOfARaceLoses() {
        Observed raced = topic("A", 0, record(0, "prod", "A"), record(1, "dev", "A"));

        assertThat(TopicEnvironment.decide("prod", raced, Use.OWN, CLI).kind()).isEqualTo(Kind.BOUND);
        assertThatThrownBy(() -> TopicEnvironment.decide("dev", raced, Use.OWN, CLI))
                .hasMessageContaining("belongs to environment 'prod'");
    }

    @Test
    void aRecreatedEmptyTopicMayBeClaimedAgainByItsEnvironment_only() {
        Observed recreated = topic("B", 0, record(0, "prod", "A"));

        var prod = TopicEnvironment.decide("prod", recreated, Use.OWN, CLI);
        assertThat(prod.kind()).isEqualTo(Kind.CLAIMABLE);
        assertThat(prod.recordedEnvironment()).contains("prod");
        assertThatThrownBy(() -> TopicEnvironment.decide("dev", recreated, Use.OWN, CLI))
                .isInstanceOf(TopicEnvironmentRefusedException.class)
                .hasMessageContaining("belongs to environment 'prod'")
                .hasMessageContaining("deleted and recreated")
                .satisfies(e -> assertThat(((StartupCheckFailedException) e).fix())
                        .contains("delete the topic 'scoreboard-events.identity' on purpose"));
    }

    @Test
    void aDeletedTopicIsNotRecreatedForAnotherEnvironment() {
        Observed deleted = topic(null, 0, record(0, "prod", "A"));

        assertThat(TopicEnvironment.decide("prod", deleted, Use.OWN, CLI).kind()).isEqualTo(Kind.CLAIMABLE);
        assertThatThrownBy(() -> TopicEnvironment.decide("dev", deleted, Use.OWN, CLI))
                .hasMessageContaining("belongs to environment 'prod'").hasMessageContaining("has been deleted");
        assertThatThrownBy(() -> TopicEnvironment.decide("dev", deleted, Use.REPORT, CLI))
                .hasMessageContaining("belongs to environment 'prod'");
    }

    @Test
    void aNewTopicIsClaimedOnlyByAnOwner() {
        assertThat(TopicEnvironment.decide("dev", topic("A", 0), Use.OWN, CLI).kind()).isEqualTo(Kind.CLAIMABLE);
        assertThat(TopicEnvironment.decide("dev", topic(null, 0), Use.OWN, CLI).kind()).isEqualTo(Kind.CLAIMABLE);
        assertThat(TopicEnvironment.decide("dev", topic("A", 0), Use.READ, CLI).kind()).isEqualTo(Kind.UNCLAIMED);
        assertThat(TopicEnvironment.decide("dev", topic(null, 0), Use.REPORT, CLI).kind()).isEqualTo(Kind.UNCLAIMED);
    }

    @Test
    void aTopicWithEventsButNoIdentityIsRefusedToOwnersAndReaders_namingClaimTopic_andReportedOtherwise() {
        for (Use use : List.of(Use.OWN, Use.READ)) {
            assertThatThrownBy(() -> TopicEnvironment.decide("prod", topic("A", 42), use, CLI))
                    .isInstanceOf(TopicEnvironmentRefusedException.class)
                    .hasMessageContaining("holds 42 records but records no environment")
                    .hasMessageContaining("Nothing was changed")
                    .satisfies(e -> assertThat(((StartupCheckFailedException) e).fix())
                            .contains("./scoreboard claim-topic --environment prod --confirm prod"));
        }
        assertThat(TopicEnvironment.decide("prod", topic("A", 42), Use.REPORT, CLI).kind())
                .isEqualTo(Kind.UNCLAIMED_WITH_RECORDS);
    }

    @Test
    void aRecreatedTopicWrittenWithoutRecordingIsNotClaimedSilently() {
        assertThatThrownBy(() -> TopicEnvironment.decide("prod", topic("B", 7, record(0, "prod", "A")), Use.OWN, CLI))
                .hasMessageContaining("recreated and written to without recording one");
    }

    @Test
    void theLastRecordNamesWhoMayClaimARecreatedTopic() {
        List<Recorded> history = new ArrayList<>(List.of(record(0, "staging", "A"), record(1, "prod", "B")));

        Observed third = new Observed(TOPIC, "kafka:9092", Optional.of("C"), 0, history);

        assertThat(TopicEnvironment.decide("prod", third, Use.OWN, CLI).kind()).isEqualTo(Kind.CLAIMABLE);
        assertThatThrownBy(() -> TopicEnvironment.decide("staging", third, Use.OWN, CLI))
                .hasMessageContaining("belongs to environment 'prod'");
    }

    @Test
    void theServiceSettingsAreNamedInAServiceRefusal() {
        assertThatThrownBy(() -> TopicEnvironment.decide("dev", topic("A", 0, record(0, "prod", "A")), Use.OWN,
                Settings.SERVICE))
                .satisfies(e -> {
                    StartupCheckFailedException refusal = (StartupCheckFailedException) e;
                    assertThat(refusal.setting()).isEqualTo("scoreboard.environment (SCOREBOARD_ENVIRONMENT)");
                    assertThat(refusal.fix()).contains("scoreboard.kafka.topic");
                });
    }
}

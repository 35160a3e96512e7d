package io.scoreboard.startup;

import java.util.List;
import java.util.Optional;

/**
 * The one place that decides whether a process may use an event topic, as {@link EnvironmentIdentity}
 * does for databases: every topic records the environment it belongs to, and a service or tool
 * configured for another environment refuses it before it sends, consumes or writes anything.
 *
 * <p>Kafka rejects unknown topic configs, so the record lives beside the topic: the companion topic
 * {@code <topic>.identity} (one partition, never compacted, infinite retention) holds records
 * {@code {"environment":"prod","topic":"scoreboard-events","topicId":"<Kafka's id of the topic>"}}.
 * The first record naming the topic's current id decides (first written wins a race between two
 * claimers, and nothing compacts the order away). A topic deleted and recreated gets a new id; it
 * passes to no one automatically but the environment its last record names (ADR 0017).
 *
 * <p>This class is pure (the decision and its wording); {@link TopicIdentityRecords} reads and
 * writes the companion topic.
 */
public final class TopicEnvironment {

    public static final String IDENTITY_SUFFIX = ".identity";

    /** What the configured process does with the topic, which decides what it may accept. */
    public enum Use {
        /** Only reads and reports (status, verify): refuses another environment's topic; an unclaimed one is reported. */
        REPORT,
        /** Builds something from the topic's events (rebuild, restore-event-store): also refuses events nobody claimed. */
        READ,
        /** Publishes to or keeps consuming the topic (both services, republish): like READ, and claims a new, empty topic. */
        OWN
    }

    /** Where the settings a refusal names come from, for the message: a service's properties, the CLI's flags. */
    public record Settings(String environment, String topic, String kafka) {
        public static final Settings SERVICE = new Settings(DatabaseCheck.ENVIRONMENT_SETTING,
                "scoreboard.kafka.topic", "scoreboard.kafka.bootstrap-servers");
    }

    /**
     * The topic and its identity records as found.
     *
     * @param topicId   Kafka's id of the topic's current incarnation; empty when the topic does not exist
     * @param records   records ever written to it (sum of end offsets); 0 for a new topic
     * @param recorded  the identity records in the order they were written
     */
    public record Observed(String topic, String bootstrapServers, Optional<String> topicId, long records,
                           List<Recorded> recorded) {
        public Observed {
            recorded = List.copyOf(recorded);
        }
    }

    /** One identity record, and where it stands in the companion topic. */
    public record Recorded(long offset, String environment, String topic, String topicId) {}

    public enum Kind {
        /** The topic's current incarnation is recorded for the configured environment. */
        BOUND,
        /** New or empty (or missing) and not another environment's: an owner records it for the configured one. */
        CLAIMABLE,
        /** Missing or empty and unrecorded, seen by a process that does not claim: nothing to refuse. */
        UNCLAIMED,
        /** Holds records but records no environment (before ADR 0017), seen by a process that only reports. */
        UNCLAIMED_WITH_RECORDS
    }

    /**
     * @param recordedEnvironment the environment recorded for the topic or, when none is for its current
     *                            incarnation, the one an earlier incarnation's record names
     * @param topicId             the incarnation decided on; empty when the topic does not exist
     */
    public record Verdict(Kind kind, Optional<String> recordedEnvironment, Optional<String> topicId) {
        public boolean bound() {
            return kind == Kind.BOUND;
        }
    }

    private TopicEnvironment() {}

    public static String identityTopic(String topic) {
        return topic + IDENTITY_SUFFIX;
    }

    /**
     * May a process configured for {@code configured} use the topic as {@code use}? Throws
     * {@link TopicEnvironmentRefusedException}, naming both environments and the fix, when not.
     */
    public static Verdict decide(String configured, Observed observed, Use use, Settings settings) {
        List<Recorded> forThisTopic = observed.topicId()
                .map(id -> observed.recorded().stream().filter(r -> r.topicId().equals(id)).toList())
                .orElse(List.of());
        if (!forThisTopic.isEmpty()) {
            String owner = forThisTopic.get(0).environment();
            if (owner.equals(configured)) {
                return new Verdict(Kind.BOUND, Optional.of(owner), observed.topicId());
            }
            throw otherEnvironment(configured, owner, observed, settings, "");
        }
        Optional<Recorded> previous = observed.recorded().isEmpty() ? Optional.empty()
                : Optional.of(observed.recorded().get(observed.recorded().size() - 1));
        if (previous.isPresent() && !previous.get().environment().equals(configured)) {
            // Deleted (and maybe recreated) since: the name still belongs to the environment that last had it.
            throw otherEnvironment(configured, previous.get().environment(), observed, settings,
                    " (its earlier incarnation, topic id " + previous.get().topicId() + ", was recorded for it; the "
                            + "topic " + (observed.topicId().isPresent() ? "was deleted and recreated since"
                            : "has been deleted since") + ")");
        }
        Optional<String> claimant = previous.map(Recorded::environment);
        if (observed.topicId().isEmpty() || observed.records() == 0) {
            return new Verdict(use == Use.OWN ? Kind.CLAIMABLE : Kind.UNCLAIMED, claimant, observed.topicId());
        }
        if (use == Use.REPORT) {
            return new Verdict(Kind.UNCLAIMED_WITH_RECORDS, claimant, observed.topicId());
        }
        throw new TopicEnvironmentRefusedException("Refusing to use Kafka topic '" + observed.topic() + "' at "
                + observed.bootstrapServers() + ": it holds " + observed.records() + " records but records no "
                + "environment (" + (previous.isPresent() ? "it was recreated and written to without recording one"
                : "it was created before topics recorded their environment, or by something else") + "), so it cannot "
                + "be told from another environment's topic. Nothing was changed.", settings.topic(),
                claimFix(configured));
    }

    /** The fix for a topic with events and no identity: the operator command that records it after checking. */
    public static String claimFix(String environment) {
        return "Record the environment it belongs to with the operator CLI, configured for that environment: "
                + "./scoreboard claim-topic --environment " + environment + " --confirm " + environment
                + " (it first checks that the topic's events are that environment's; docs/runbook.md, \"Topics record "
                + "their environment\"). If the topic setting names the wrong topic, correct it instead.";
    }

    private static TopicEnvironmentRefusedException otherEnvironment(String configured, String owner, Observed observed,
                                                                     Settings settings, String how) {
        return new TopicEnvironmentRefusedException("Refusing to use Kafka topic '" + observed.topic() + "' at "
                + observed.bootstrapServers() + ": it belongs to environment '" + owner + "'" + how + " (recorded in "
                + "topic '" + identityTopic(observed.topic()) + "'), but this process is configured for '" + configured
                + "'. Nothing was changed.", settings.environment(),
                "If you meant '" + owner + "', set " + settings.environment() + "=" + owner + "; otherwise point "
                        + settings.topic() + " (and " + settings.kafka() + ") at the " + configured + " topic."
                        + (how.isEmpty() ? "" : " Only if this topic name really passes to '" + configured + "' now, "
                        + "delete the topic '" + identityTopic(observed.topic()) + "' on purpose and start again."));
    }
}

package io.scoreboard.query.projection;

import io.scoreboard.query.projection.ProjectionRunner.KafkaUnreachable;
import io.scoreboard.query.projection.ProjectionRunner.RunnerFailure;
import io.scoreboard.startup.TopicRefusedException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which incarnation of the topic the runner's offsets belong to: Kafka's topic id, asked on every
 * assignment and every few seconds after. When the topic was deleted and recreated (the id changed),
 * offsets of the old incarnation are not used: the runner subscribes afresh and reads the new topic
 * from its start. Asking is also how the runner notices a Kafka it cannot reach while the topic is idle.
 * Owned by the runner thread (the rebalance listener runs inside poll() on the same thread).
 */
final class TopicIncarnation {

    // Logs as the runner: one logger for everything the runner does.
    private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);
    /** How often the topic's id is compared with the one the checkpoints belong to. */
    private static final Duration TOPIC_ID_CHECK = Duration.ofSeconds(5);

    private final String projection;
    private final String topic;
    private final TopicIdentity topicIdentity;
    private final AppliedVersions appliedVersions;

    private String topicId;
    private long topicIdCheckedAt;

    TopicIncarnation(String projection, String topic, TopicIdentity topicIdentity, AppliedVersions appliedVersions) {
        this.projection = projection;
        this.topic = topic;
        this.topicIdentity = topicIdentity;
        this.appliedVersions = appliedVersions;
    }

    /** The id the runner's offsets belong to; null when Kafka could not be asked yet. */
    String id() {
        return topicId;
    }

    /**
     * Partitions were assigned. Asked on every assignment: after the topic was deleted and recreated the
     * partitions come back with the same numbers, and only the id tells the old offsets do not apply.
     */
    void partitionsAssigned() {
        topicId = currentTopicId().orElse(null);
        topicIdCheckedAt = System.nanoTime();
    }

    /** The runner subscribes afresh: the next assignment tells the new incarnation's id. */
    void forget() {
        topicId = null;
    }

    /**
     * Asks Kafka for the topic's id every few seconds, and on every turn while waiting out a fault; true when
     * it differs from the one our offsets belong to. Also how the runner notices a Kafka it cannot reach: a
     * consumer's poll then only returns nothing, so without this question the runner would look RUNNING
     * through an outage. No answer is a Kafka fault (WAITING_FOR_KAFKA, naming it), and the runner shows
     * RUNNING again only once Kafka has answered.
     *
     * @param waitingOutAFault the runner is waiting out a fault: ask now, whatever the interval
     * @param anyAssigned      the runner holds partitions (it may have read offsets of this topic)
     */
    boolean wasRecreated(boolean waitingOutAFault, boolean anyAssigned) {
        long now = System.nanoTime();
        // Waiting out any fault: the runner shows RUNNING again only once Kafka has answered too.
        if (!waitingOutAFault && now - topicIdCheckedAt < TOPIC_ID_CHECK.toNanos()) {
            return false;
        }
        topicIdCheckedAt = now;
        Optional<String> current = askTopicId();
        if (!anyAssigned) {
            return false; // nothing read yet (or every partition is another instance's): only reachability mattered
        }
        if (topicId == null) {
            topicId = current.orElse(null); // Kafka could not be asked at assignment time
            return false;
        }
        return current.isPresent() && !current.get().equals(topicId);
    }

    /** Asks Kafka now, whatever the interval: true when the topic's id differs from our offsets'. */
    boolean changedNow() {
        Optional<String> current = currentTopicId();
        topicIdCheckedAt = System.nanoTime();
        return topicId != null && current.isPresent() && !current.get().equals(topicId);
    }

    /** The topic's id; a Kafka that does not answer is a {@link KafkaUnreachable} fault. */
    private Optional<String> askTopicId() {
        try {
            Optional<String> id = topicIdentity.current();
            appliedVersions.heardFromKafka(); // Kafka answered: what this runner applied may still be trusted
            return id;
        } catch (TopicRefusedException e) {
            throw new RunnerFailure(e.getMessage() + " " + e.fix(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop(): the loop ends
            throw new KafkaUnreachable("interrupted while asking Kafka about topic " + topic, e);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            throw new KafkaUnreachable("Kafka does not answer (describing topic " + topic + "): " + cause, cause);
        }
    }

    private Optional<String> currentTopicId() {
        try {
            return topicIdentity.current();
        } catch (TopicRefusedException e) {
            // Another environment's topic (or events nobody recorded): apply nothing of it, ever.
            throw new RunnerFailure(e.getMessage() + " " + e.fix(), e);
        } catch (Exception e) {
            log.debug("projection {}: cannot read the id of topic {}: {}", projection, topic, e.toString());
            return Optional.empty(); // Kafka is unreachable: polling will wait for it too
        }
    }
}

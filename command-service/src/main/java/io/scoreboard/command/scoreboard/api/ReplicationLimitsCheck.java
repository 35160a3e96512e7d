package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.replication.KafkaProperties;
import io.scoreboard.command.replication.ReplicatorSettings;
import io.scoreboard.command.scoreboard.ScoreboardLimits;
import io.scoreboard.startup.StartupCheckFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * At start-up: the limits are one consistent set. Every event the command limits allow must fit into a
 * Kafka record the replicator's producer may send and the topic accepts, or a stored event could never
 * be replicated and replication would stop on it. And the event one write at the documented maxima produces must
 * fit the event limit, or such a write would be refused: a board, participant, team or token with the longest name,
 * a score change with the longest reason ({@link LargestEvents}, ADR 0047). Refuses to start otherwise, naming the
 * settings. Rounds and rewinds are bounded by the event limit itself (422, nothing stored).
 */
@Component
@DependsOn("topicGuard") // the topic exists (or was created) by now
class ReplicationLimitsCheck implements InitializingBean {

    /**
     * What a record adds to an event's payload: the envelope's fields (two UUIDs, numbers, a time stamp,
     * the type; about 250 bytes) and Kafka's record and batch headers and key (under 150 bytes); rounded up.
     */
    static final long ENVELOPE_OVERHEAD = 1024;
    private static final Logger log = LoggerFactory.getLogger(ReplicationLimitsCheck.class);

    private final Admin admin;
    private final KafkaProperties kafka;
    private final ReplicatorSettings replicator;
    private final EventSizeLimit eventSize;
    private final ScoreboardLimits limits;

    ReplicationLimitsCheck(Admin admin, KafkaProperties kafka, ReplicatorSettings replicator, EventSizeLimit eventSize,
                           ScoreboardLimits limits) {
        this.admin = admin;
        this.kafka = kafka;
        this.replicator = replicator;
        this.eventSize = eventSize;
        this.limits = limits;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, kafka.topic());
        Config config = admin.describeConfigs(Set.of(topic)).all().get(20, TimeUnit.SECONDS).get(topic);
        ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        long topicMax = entry == null || entry.value() == null ? Long.MAX_VALUE : Long.parseLong(entry.value());
        List<String> problems = problems(eventSize.maxBytes(), replicator.maxRequestSize().toBytes(), topicMax,
                kafka.topic());
        if (!problems.isEmpty()) {
            throw new StartupCheckFailedException("The limits do not fit together: " + String.join("; ", problems)
                    + ". An event at the limit would be stored but could never reach Kafka.",
                    "scoreboard.limits.max-event-size",
                    "Lower scoreboard.limits.max-event-size, or raise the Kafka limits it must fit into "
                            + "(each needs at least the event size plus " + ENVELOPE_OVERHEAD + " bytes).", null);
        }
        long singleWrite = LargestEvents.singleWrite();
        if (singleWrite > eventSize.maxBytes()) {
            throw new StartupCheckFailedException("The limits do not fit together: scoreboard.limits.max-event-size ("
                    + eventSize.maxBytes() + " bytes) is below the largest event one write with the longest name or "
                    + "reason produces (" + singleWrite + " bytes): such writes would be refused.",
                    "scoreboard.limits.max-event-size",
                    "Raise scoreboard.limits.max-event-size to at least " + singleWrite + " bytes.", null);
        }
        RewindCapacity rewinds = RewindCapacity.of(eventSize.maxBytes(), limits.maxTeams());
        log.info("limits: events up to {} bytes; producer max.request.size {}; topic '{}' max.message.bytes {}; "
                        + "a rewind holds at worst {} teams of {} (longest names), or {} participants besides them "
                        + "(larger ones are refused with 422, ADR 0047)",
                eventSize.maxBytes(), replicator.maxRequestSize().toBytes(), kafka.topic(), topicMax,
                rewinds.teams(), limits.maxTeams(), rewinds.participantsBesideAllTeams());
    }

    /**
     * How much one rewind holds at worst (every name and reason at its longest, as the store writes it): how many
     * teams, and how many participants besides max-teams teams. What it cannot hold is refused with 422 when it
     * happens (ADR 0044, 0047), never stored.
     */
    record RewindCapacity(long teams, long participantsBesideAllTeams) {
        static RewindCapacity of(long maxEvent, int maxTeams) {
            long perTeam = LargestEvents.rewindOfTeams(2) - LargestEvents.rewindOfTeams(1);
            long teams = Math.max(0, (maxEvent - LargestEvents.rewindOfTeams(0)) / perTeam);
            long left = maxEvent - LargestEvents.rewindOfTeams(maxTeams);
            return new RewindCapacity(Math.min(teams, maxTeams),
                    Math.max(0, left / LargestEvents.perRewoundParticipant()));
        }
    }

    static List<String> problems(long maxEvent, long producerMax, long topicMax, String topic) {
        List<String> problems = new ArrayList<>();
        long record = maxEvent + ENVELOPE_OVERHEAD;
        if (record > producerMax) {
            problems.add("scoreboard.limits.max-event-size (" + maxEvent + " bytes) plus the envelope needs " + record
                    + " bytes, above the producer's scoreboard.replicator.max-request-size (" + producerMax + ")");
        }
        if (record > topicMax) {
            problems.add("scoreboard.limits.max-event-size (" + maxEvent + " bytes) plus the envelope needs " + record
                    + " bytes, above topic '" + topic + "' max.message.bytes (" + topicMax + "; kafka-configs.sh "
                    + "--alter --entity-type topics --entity-name " + topic + " --add-config max.message.bytes="
                    + record + ")");
        }
        return problems;
    }
}

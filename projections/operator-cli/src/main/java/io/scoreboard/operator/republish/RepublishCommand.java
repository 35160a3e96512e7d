package io.scoreboard.operator.republish;

import io.scoreboard.operator.cli.Confirmation;
import io.scoreboard.operator.cli.Console;
import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.WaitingCommand;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.Progress;
import io.scoreboard.operator.cli.Target;
import io.scoreboard.operator.cli.TransientFaults;
import io.scoreboard.operator.cli.WaitingOut;
import io.scoreboard.startup.ReplicatorToken;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.operator.source.EventTopicAdmin;
import io.scoreboard.operator.source.StoredEvents;
import io.scoreboard.startup.EventTopicSettings;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Refills a deleted or empty event topic from the event store, in store order: every stored event,
 * sent as the replicator sends it, while the replicator is held still (see {@link ReplicatorPause}).
 */
@Command(name = "republish", mixinStandardHelpOptions = true,
        description = {"Refills an empty or recreated Kafka topic from the event store, in order.",
                "Creates the topic when it is missing (infinite retention, never compacted), pauses the command "
                        + "service's replicator while it runs, and checks every acknowledgement.",
                "Waits out PostgreSQL or Kafka being down (--wait) and goes on after the last position Kafka "
                        + "confirmed; events sent twice after an outage are skipped by every consumer."})
public final class RepublishCommand extends WaitingCommand {

    @Option(names = "--confirm", paramLabel = "<env>",
            description = "The target's environment name, typed back; required when not interactive")
    String confirm;

    @Option(names = "--into-non-empty",
            description = "Append to a topic that already holds records (see the refusal message for when that is safe)")
    boolean intoNonEmpty;

    @Option(names = "--partitions", paramLabel = "<n>", defaultValue = EventTopicSettings.DEFAULT_PARTITIONS,
            description = "Partitions of a topic that has to be created (default: ${DEFAULT-VALUE}, as the command service)")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "<n>",
            defaultValue = EventTopicSettings.DEFAULT_REPLICATION_FACTOR,
            description = "Replication factor of a topic that has to be created (default: ${DEFAULT-VALUE}; 3 on a cluster)")
    short replicationFactor;

    @Option(names = "--min-insync-replicas", paramLabel = "<n>",
            defaultValue = EventTopicSettings.DEFAULT_MIN_INSYNC_REPLICAS,
            description = "min.insync.replicas of a topic that has to be created (default: ${DEFAULT-VALUE}; 2 on a cluster)")
    int minInsyncReplicas;

    @Option(names = "--claim-timeout", paramLabel = "<seconds>", defaultValue = "180",
            description = "How long to wait for the replicator's batch in progress to end (default: ${DEFAULT-VALUE}; "
                    + "while the topic is missing a batch fails after the replicator's delivery timeout, 120 s)")
    long claimTimeoutSeconds;

    /** Publishes: a topic it creates (or finds new) is recorded for this environment before anything is sent. */
    @Override
    protected Optional<TopicEnvironment.Use> topicUse() {
        return Optional.of(TopicEnvironment.Use.OWN);
    }

    /** What the checks before the confirmation found. */
    private record Plan(EventTopicAdmin.State topic, StoredEvents.Summary stored) {}

    @Override
    protected ExitCode run(Target target, Console console) throws Exception {
        String database = Target.databaseName(target.eventsUrl());
        Plan plan = waiting.retry("looking at the event store and the topic", "Nothing was changed.", () -> {
            try (Connection events = target.openEvents(); EventTopicAdmin topic = admin(target)) {
                return new Plan(topic.state(), StoredEvents.summary(events));
            }
        });
        describePlan(console, target, database, plan.topic(), plan.stored());
        refuseUnsuitable(target, plan.topic());
        Confirmation.require(console, confirm, target.environment(), "refill Kafka topic '" + target.topic()
                + "' from event store database '" + database + "' (the command service's replicator pauses "
                + "meanwhile)");
        try (ReplicatorPause pause = waiting.retry("pausing the command service's replicator", "Nothing was changed.",
                () -> ReplicatorPause.take(target.openEvents(), target::openEvents,
                        Duration.ofSeconds(claimTimeoutSeconds), console, Clock.systemUTC()));
             EventTopicAdmin topic = admin(target)) {
            boolean created = prepareTopic(target, topic, console);
            Published published = publish(target, pause, console);
            new RepublishReport(target, database, created, published.snapshot(), published.sent(), pause.holding(),
                    published.resumes()).print(console);
            return ExitCode.OK;
        }
    }

    private EventTopicAdmin admin(Target target) {
        return new EventTopicAdmin(target.kafka(), target.topic(), EventTopicAdmin.TIMEOUT, waiting);
    }

    private void describePlan(Console console, Target target, String database, EventTopicAdmin.State topic,
                              StoredEvents.Summary stored) {
        console.say("Republish: refill a Kafka topic from the event store");
        console.say("  environment  " + target.environment());
        console.say("  event store  " + database + " (" + target.eventsUrl() + ")");
        console.say("  topic        " + target.topic() + " on " + target.kafka() + ": " + (topic.exists()
                ? String.format(Locale.ROOT, "exists, %d partitions, %,d records", topic.partitions(), topic.records())
                : String.format(Locale.ROOT, "missing, will be created (%d partitions, replication factor %d, "
                        + "infinite retention, not compacted)", partitions, replicationFactor)));
        console.say(String.format(Locale.ROOT, "  events       about %,d of %,d boards, positions up to %,d",
                stored.events(), stored.boards(), stored.lastPosition()));
    }

    private void refuseUnsuitable(Target target, EventTopicAdmin.State topic) {
        if (!topic.problems().isEmpty()) {
            throw OperatorException.refused("topic '" + target.topic() + "' would not keep the events: "
                    + String.join("; ", topic.problems()) + ". Nothing was sent.",
                    "give it infinite retention and no compaction (" + EventTopicSettings.fixCommand(target.topic())
                            + "), or delete it and let republish create it");
        }
        if (topic.records() > 0 && !intoNonEmpty) {
            throw OperatorException.refused(String.format(Locale.ROOT, "topic '%s' already holds %,d records. "
                    + "Nothing was sent.", target.topic(), topic.records()),
                    "republish is for an empty or recreated topic. Appending the whole history again is harmless "
                            + "when each board's records already there are its first events without a hole "
                            + "(consumers skip what they have applied), e.g. a topic that is intact: then pass "
                            + "--into-non-empty. It is not safe when records were lost in the middle (deleted by "
                            + "retention or delete-records, or a republish that failed part-way): a reader starting "
                            + "from the beginning would meet a board's later events before the missing ones. Then "
                            + "delete the topic and run republish without that flag.");
        }
    }

    /** Creates the topic when it is still missing; refuses when someone filled it since the plan was shown. */
    private boolean prepareTopic(Target target, EventTopicAdmin topic, Console console) throws Exception {
        EventTopicAdmin.State now = topic.state();
        refuseUnsuitable(target, now);
        if (now.exists()) {
            claimTopic(target); // a recreated, empty topic found as it is: recorded before anything is sent
            return false;
        }
        target.requireSafeToCreate(replicationFactor, minInsyncReplicas);
        boolean created = topic.create(partitions, replicationFactor, minInsyncReplicas);
        if (created) {
            console.say("Created topic '" + target.topic() + "' (" + partitions + " partitions, replication factor "
                    + replicationFactor + ", min.insync.replicas " + minInsyncReplicas + ", infinite retention).");
        }
        refuseUnsuitable(target, topic.state()); // created by someone else in between: check it as found
        // Before the first event is sent: the (re)created topic is this environment's (ADR 0017).
        claimTopic(target);
        console.say("Topic '" + target.topic() + "' belongs to environment '" + target.environment() + "' (recorded in '"
                + TopicEnvironment.identityTopic(target.topic()) + "').");
        return created;
    }

    /** What was sent: the last snapshot read, Kafka's acknowledgements, and how often it went on after an outage. */
    private record Published(StoredEvents.Summary snapshot, RepublishReport.Sent sent, int resumes) {}

    /**
     * Sends every event of a snapshot taken with the replicator held (so it holds everything the
     * replicator had published), in store order. After a Kafka outage it goes on in the same snapshot
     * after the last position Kafka confirmed; after a lost database connection, in a new snapshot from
     * just before the first position that could have committed late ({@link ResumeFloor}). Either way
     * no board's event reaches the topic before its predecessors; some are sent twice (consumers skip
     * the copies).
     */
    private Published publish(Target target, ReplicatorPause pause, Console console) throws Exception {
        WaitingOut.Attempts attempts = waiting.attempts("republishing to topic '" + target.topic() + "'");
        long confirmed = 0;
        long acknowledged = 0;
        int resumes = 0;
        Progress progress = null;
        ReplicatorToken.Coverage pausedAt = null;
        Connection events = null;
        StoredEvents.Summary snapshot = null;
        long floor = 0;
        try {
            while (true) {
                EventPublisher publisher = null;
                try {
                    if (events == null) {
                        events = target.openEvents();
                        // With the replicator held, this snapshot holds everything it had already published.
                        StoredEvents.beginSnapshot(events);
                        snapshot = StoredEvents.summary(events);
                        if (pausedAt == null) { // its token stands still while the claim is held
                            pausedAt = ReplicatorToken.read(events).orElse(new ReplicatorToken.Coverage(0, List.of()));
                        }
                        floor = ResumeFloor.of(events, pausedAt);
                        if (progress == null) {
                            progress = console.progress("republish", "events", snapshot.events());
                        }
                    }
                    publisher = new EventPublisher(target.kafka(), target.topic(), confirmed);
                    EventPublisher sending = publisher;
                    Progress shown = progress;
                    StoredEvents.forEach(events, confirmed, event -> {
                        pause.requireHeld();
                        sending.send(event);
                        shown.advance(1);
                    });
                    publisher.awaitAcknowledgements();
                    pause.requireHeld(); // held to the last acknowledgement: nothing of the replicator's came before it
                    acknowledged += publisher.acknowledged();
                    progress.finish();
                    events.rollback(); // a read-only snapshot: nothing to keep
                    return new Published(snapshot, new RepublishReport.Sent(acknowledged, progress.elapsed()), resumes);
                } catch (Exception e) {
                    Optional<TransientFaults.Fault> fault = TransientFaults.classify(e);
                    if (publisher != null) {
                        confirmed = publisher.confirmedPosition(); // throws when a hole makes resuming unsafe
                        acknowledged += publisher.acknowledged();
                    }
                    if (fault.isEmpty()) {
                        throw e instanceof EventPublisher.SendFailed failed ? notAcknowledged(target, failed) : e;
                    }
                    if (fault.get().server() == TransientFaults.Server.POSTGRESQL) {
                        closeQuietly(events);
                        events = null;
                        confirmed = Math.min(confirmed, floor - 1);
                    }
                    attempts.failed(e, String.format(Locale.ROOT, "The topic '%s' holds the history up to position "
                            + "%,d, each board's events in order; run republish again with --into-non-empty to "
                            + "complete it (it sends everything again; consumers skip the copies).", target.topic(),
                            confirmed));
                    resumes++;
                    console.say(String.format(Locale.ROOT, "Going on after position %,d (everything up to it is in "
                            + "Kafka)%s …", confirmed, fault.get().server() == TransientFaults.Server.POSTGRESQL
                            ? ", in a new snapshot of the event store" : ""));
                } finally {
                    if (publisher != null) {
                        publisher.close();
                    }
                }
            }
        } finally {
            closeQuietly(events);
        }
    }

    /** Recording looks first and writes only when nothing is recorded: trying again is safe. */
    private void claimTopic(Target target) throws Exception {
        waiting.retry("recording the environment of topic '" + target.topic() + "'", "Nothing was sent.",
                target::claimTopic);
    }

    /** Kafka refused an event for good (not an outage): the topic holds part of the history. */
    private static OperatorException notAcknowledged(Target target, EventPublisher.SendFailed failed) {
        return new OperatorException(ExitCode.FAILED, failed.getMessage() + ". The topic '" + target.topic()
                + "' now holds only part of the history.", "make sure Kafka accepts the events (the message above "
                + "says why it did not), then run republish again with --into-non-empty: what is in the topic is "
                + "each board's first events, in order", failed.getCause());
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception alreadyGone) {
                // a dropped connection: nothing to close
            }
        }
    }
}

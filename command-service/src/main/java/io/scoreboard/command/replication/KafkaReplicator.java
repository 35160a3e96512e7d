package io.scoreboard.command.replication;

import io.scoreboard.events.EventEnvelope;
import io.scoreboard.events.EventJson;
import io.scoreboard.events.ScoreboardEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Publishes every stored event, in store order, to the Kafka topic (key = scoreboard id, value =
 * the JSON envelope). Runs as a single-segment tracking processor whose gap-aware token lives in
 * the event store database: the token is stored only in the same transaction that follows Kafka's
 * acknowledgement of the whole batch, so a crash can only cause a re-send (consumers de-duplicate),
 * never a loss. Writes waiting in REPLICATED mode are released on that acknowledgement.
 */
@Component
@ProcessingGroup(KafkaReplicator.PROCESSING_GROUP)
public class KafkaReplicator {

    public static final String PROCESSING_GROUP = "kafka-replicator";
    private static final String BATCH_RESOURCE = KafkaReplicator.class.getName() + ".batch";

    private final Producer<String, byte[]> producer;
    private final KafkaProperties kafka;
    private final ReplicationProgress progress;
    private final ReplicationStatus status;
    private final EventPositions positions;

    public KafkaReplicator(Producer<String, byte[]> producer, KafkaProperties kafka, ReplicationProgress progress,
                           ReplicationStatus status, EventPositions positions) {
        this.producer = producer;
        this.kafka = kafka;
        this.progress = progress;
        this.status = status;
        this.positions = positions;
    }

    @EventHandler
    public void on(ScoreboardEvent event, DomainEventMessage<?> message, TrackingToken token) {
        // Sent when the batch ends, after one lookup of all its events' own positions (one round trip per
        // batch, not per event: this thread alone paces every replicated write's answer).
        Batch batch = currentBatch();
        batch.events.add(new Pending(event, message));
        batch.lastToken = token;
    }

    /** Looks up the batch's positions, sends its events in store order, and waits for Kafka to acknowledge them. */
    private void sendAndAwait(Batch batch) {
        // Not token.position(): a gap-aware token's position is the highest index seen so far, so an
        // event that commits after a later one would carry the later one's position, and a restore from
        // Kafka would put it in the wrong place. Each event's own row is looked up; it is committed.
        Map<EventPositions.EventKey, Long> found = positions.positionsOf(batch.events.stream()
                .map(p -> new EventPositions.EventKey(p.event().scoreboardId(), p.message().getSequenceNumber()))
                .toList());
        for (Pending pending : batch.events) {
            DomainEventMessage<?> message = pending.message();
            long position = found.get(new EventPositions.EventKey(pending.event().scoreboardId(),
                    message.getSequenceNumber()));
            EventEnvelope envelope = EventEnvelope.of(UUID.fromString(message.getIdentifier()),
                    message.getSequenceNumber(), position, message.getTimestamp(), pending.event());
            Future<RecordMetadata> send = producer.send(new ProducerRecord<>(kafka.topic(),
                    envelope.scoreboardId().toString(), EventJson.writeEnvelope(envelope)));
            batch.sends.add(send);
            if (failedAlready(send)) {
                // The topic is missing (send() waited max.block.ms for it) or the producer is broken: end the
                // batch now instead of waiting that long again for each of its remaining events.
                break;
            }
        }
        batch.awaitAcknowledgements(producer, status::recordKafkaError);
        // Both stores hold the batch now: release the writes waiting for it. Storing the token is only
        // bookkeeping; if that fails, the batch is sent again and consumers drop the duplicates.
        if (batch.lastToken != null) {
            progress.advance(batch.lastToken);
        }
    }

    private static boolean failedAlready(Future<RecordMetadata> send) {
        if (!send.isDone()) {
            return false;
        }
        try {
            send.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** One batch of the processor = one unit of work: all sends must be acknowledged before its token is stored. */
    private Batch currentBatch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH_RESOURCE, key -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(u -> sendAndAwait(batch));
            // Rollback handlers run before the transaction's own (reverse order), so the batch keeps its lock on
            // the token row until no send of it is in flight: whoever takes the claim next (another instance,
            // or republish refilling a recreated topic) cannot be overtaken by a late record of this batch.
            unitOfWork.onRollback(u -> producer.flush());
            return batch;
        });
    }

    private record Pending(ScoreboardEvent event, DomainEventMessage<?> message) {}

    private static final class Batch {
        private final List<Pending> events = new ArrayList<>();
        private final List<Future<RecordMetadata>> sends = new ArrayList<>();
        private TrackingToken lastToken;

        void awaitAcknowledgements(Producer<String, byte[]> producer, Runnable onKafkaError) {
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                try {
                    send.get();
                } catch (ExecutionException e) {
                    onKafkaError.run();
                    throw new ReplicationFailedException("Kafka did not acknowledge an event: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ReplicationFailedException("interrupted while waiting for Kafka", e);
                }
            }
        }
    }

    /** The batch was not acknowledged; its token is not stored, so it will be sent again. */
    public static final class ReplicationFailedException extends RuntimeException {
        public ReplicationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

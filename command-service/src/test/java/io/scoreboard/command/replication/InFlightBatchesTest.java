package io.scoreboard.command.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The replicator's pipeline releases a write only once Kafka acknowledged it and everything before it,
 * whatever order the acknowledgements come in, and never past a failed send.
 */
class InFlightBatchesTest {

    private final ReplicationProgress progress = new ReplicationProgress(null);
    private final AtomicInteger drained = new AtomicInteger();
    private final InFlightBatches inFlight = new InFlightBatches(progress, drained::incrementAndGet);

    private static Coverage upTo(long head, long... gaps) {
        return new Coverage(head, gaps);
    }

    private static void ack(Callback callback) {
        callback.onCompletion(null, null);
    }

    @Test
    void acknowledgementsOutOfOrder_releaseTheReadsInReadOrder() {
        InFlightBatches.Batch first = inFlight.open(upTo(10), 100);
        Callback a = first.send(9);
        Callback b = first.send(10);
        first.allSent();
        InFlightBatches.Batch second = inFlight.open(upTo(20), 50);
        Callback c = second.send(20);
        second.allSent();
        assertThat(inFlight.bytesInFlight()).isEqualTo(150);

        ack(c);
        assertThat(progress.lastPosition()).as("the later read is in Kafka, the earlier not yet").isEqualTo(-1);
        ack(b);
        assertThat(progress.isReplicated(10)).isFalse();
        ack(a);
        assertThat(progress.lastPosition()).isEqualTo(20);
        assertThat(progress.isReplicated(9)).isTrue();
        assertThat(inFlight.isEmpty()).isTrue();
        assertThat(inFlight.bytesInFlight()).isZero();
        assertThat(drained.get()).as("the replicator is told the pipeline drained").isEqualTo(1);
    }

    @Test
    void aBatchIsNotReleased_beforeAllItsSendsAreMade_evenIfTheFirstOnesAreAcknowledged() {
        InFlightBatches.Batch batch = inFlight.open(upTo(5), 10);
        ack(batch.send(4));
        assertThat(progress.lastPosition()).isEqualTo(-1);
        Callback last = batch.send(5);
        batch.allSent();
        assertThat(progress.lastPosition()).isEqualTo(-1);
        ack(last);
        assertThat(progress.lastPosition()).isEqualTo(5);
    }

    @Test
    void aReadThatSentNothing_closesItsGapsInItsTurn() {
        InFlightBatches.Batch sending = inFlight.open(upTo(7, 3), 10);
        Callback pending = sending.send(7);
        sending.allSent();
        InFlightBatches.Batch gapClosed = inFlight.open(upTo(7), 0);
        gapClosed.allSent();
        assertThat(progress.lastPosition()).isEqualTo(-1);
        ack(pending);
        assertThat(progress.lastPosition()).isEqualTo(7);
        assertThat(progress.gaps()).isEmpty();
    }

    @Test
    void aFailedSend_releasesNothingFromItOn_andIsReported() throws Exception {
        InFlightBatches.Batch first = inFlight.open(upTo(1), 1);
        Callback failing = first.send(1);
        first.allSent();
        InFlightBatches.Batch second = inFlight.open(upTo(2), 1);
        Callback later = second.send(2);
        second.allSent();

        failing.onCompletion(null, new TimeoutException("expired"));
        ack(later);
        assertThat(progress.lastPosition()).isEqualTo(-1);
        assertThat(inFlight.failure().position()).isEqualTo(1);
        assertThat(inFlight.failure().cause()).isInstanceOf(TimeoutException.class);
        assertThat(inFlight.awaitDrained(Duration.ofSeconds(1))).as("a failure ends the wait at once").isFalse();
    }

    @Test
    void afterAbandoning_lateAcknowledgementsReleaseNothing_andANewCycleStartsClean() throws Exception {
        InFlightBatches.Batch old = inFlight.open(upTo(3), 1);
        Callback failing = old.send(2);
        Callback late = old.send(3);
        old.allSent();
        failing.onCompletion(null, new TimeoutException("expired"));
        inFlight.abandon();
        ack(late);
        assertThat(progress.lastPosition()).isEqualTo(-1);
        assertThat(inFlight.failure()).isNull();
        assertThat(inFlight.isEmpty()).isTrue();

        InFlightBatches.Batch fresh = inFlight.open(upTo(3), 1);
        Callback again = fresh.send(3);
        fresh.allSent();
        ack(again);
        assertThat(inFlight.awaitDrained(Duration.ofSeconds(1))).isTrue();
        assertThat(progress.lastPosition()).isEqualTo(3);
    }

    @Test
    void awaitDrained_returnsOnceTheLastAcknowledgementArrivesOnAnotherThread() throws Exception {
        InFlightBatches.Batch batch = inFlight.open(upTo(1), 1);
        Callback callback = batch.send(1);
        batch.allSent();
        Thread network = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ack(callback);
        });
        network.start();
        assertThat(inFlight.awaitDrained(Duration.ofSeconds(30))).isTrue();
        network.join();
        assertThat(progress.isReplicated(1)).isTrue();
    }
}

package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {

    @Test
    void countsAcknowledgedAndFailedRequestsApart_andClosesEveryClient() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        ClosedLoop.Result result = ClosedLoop.run("test", 4, Duration.ofMillis(50), Duration.ofMillis(200), index ->
                new ClosedLoop.Client() {
                    int calls;

                    @Override
                    public boolean call() throws Exception {
                        Thread.sleep(1);
                        if (++calls % 3 == 0) {
                            throw new IllegalStateException("client " + index + " refused");
                        }
                        return true;
                    }

                    @Override
                    public void close() {
                        closed.incrementAndGet();
                    }
                }, null);

        assertThat(result.latencies().count()).isPositive();
        assertThat(result.latencies().errors()).isPositive();
        assertThat(result.firstFailure()).contains("refused");
        assertThat(result.latencies().p50Millis()).isGreaterThanOrEqualTo(1.0);
        assertThat(result.windowEndMillis() - result.windowStartMillis()).isEqualTo(200);
        assertThat(result.cpu()).as("no CPU sampled when none was asked for").isNull();
        assertThat(closed).hasValue(4);
    }
}

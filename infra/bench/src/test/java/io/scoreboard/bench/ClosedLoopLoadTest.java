package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClosedLoopLoadTest {

    @Test
    void countsAcknowledgedAndFailedRequestsApart_andClosesEveryClient() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        ClosedLoopLoad.Result result = ClosedLoopLoad.run(4, Duration.ofMillis(50), Duration.ofMillis(200), index ->
                new ClosedLoopLoad.Client() {
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
                });

        assertThat(result.acknowledged().count()).isPositive();
        assertThat(result.failures()).isPositive();
        assertThat(result.firstFailure()).contains("refused");
        assertThat(result.acknowledged().p50Millis()).isGreaterThanOrEqualTo(1.0);
        assertThat(result.windowEndMillis() - result.windowStartMillis()).isEqualTo(200);
        assertThat(closed).hasValue(4);
    }
}

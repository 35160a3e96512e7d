package io.scoreboard.infra.localstack.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void doublesFromOneSecondUpToThirtyWhileTheChildKeepsDyingAtOnce() {
        RestartBackoff backoff = new RestartBackoff();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(backoff.after(Duration.ofSeconds(2)).toSeconds());
        }
        assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void startsOverAtOneSecondAfterARunOfAMinute() {
        RestartBackoff backoff = new RestartBackoff();
        backoff.after(Duration.ZERO);
        backoff.after(Duration.ZERO);
        assertThat(backoff.after(Duration.ofSeconds(59))).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.after(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(2));
    }
}

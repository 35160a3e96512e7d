package io.scoreboard.operator.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.operator.restore.SeenEvents.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RestoreSeenEventsTest {

    @Test
    void firstCopyIsNew_anIdenticalCopyIsSkipped_aDifferentCopyIsCaught_acrossGrowth() {
        SeenEvents seen = new SeenEvents(0);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            UUID id = i % 2 == 0 ? UUID.randomUUID() : new UUID(0, i); // also ids that differ in a few bits only
            ids.add(id);
            assertThat(seen.add(id, i)).isEqualTo(Outcome.FIRST);
        }
        for (int i = 0; i < ids.size(); i++) {
            assertThat(seen.add(ids.get(i), i)).isEqualTo(Outcome.SAME_COPY);
        }
        assertThat(seen.add(ids.get(123), -1)).isEqualTo(Outcome.DIFFERENT_COPY);
        assertThat(seen.size()).isEqualTo(50_000);
    }
}

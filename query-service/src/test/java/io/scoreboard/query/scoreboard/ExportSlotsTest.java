package io.scoreboard.query.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bound on exports in progress. */
class ExportSlotsTest {

    @Test
    void slotsAreTakenUpToTheBound_andFreedWhenAnExportEnds() {
        ExportSlots slots = new ExportSlots(new ExportProperties(2, Duration.ofSeconds(5)),
                new SimpleMeterRegistry());
        ExportSlots.Slot first = slots.take();
        try (ExportSlots.Slot second = slots.take()) {
            assertThat(slots.active()).isEqualTo(2);
            assertThatThrownBy(slots::take).isInstanceOf(ExportsBusyException.class)
                    .hasMessageContaining("scoreboard.query.exports.max-concurrent");
        }
        assertThat(slots.active()).isEqualTo(1);
        slots.take().close();
        first.close();
        assertThat(slots.active()).isZero();
    }

    @Test
    void zero_turnsTheBoundOff() {
        ExportSlots slots = new ExportSlots(new ExportProperties(0, Duration.ofSeconds(5)),
                new SimpleMeterRegistry());
        for (int i = 0; i < 10; i++) {
            slots.take(); // never refused
        }
    }
}

package io.scoreboard.query.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bound on exports in progress, and the start-up check that it leaves connections for other reads. */
class ExportSlotsTest {

    @Test
    void aBoundNotBelowThePoolSize_refusesToStart_namingBothSettings() {
        assertThatThrownBy(() -> new ExportSlots(new ExportProperties(4, Duration.ofSeconds(5)), 4,
                new SimpleMeterRegistry()))
                .hasMessageContaining("scoreboard.query.exports.max-concurrent (4)")
                .hasMessageContaining("spring.datasource.hikari.maximum-pool-size (4)");
    }

    @Test
    void slotsAreTakenUpToTheBound_andFreedWhenAnExportEnds() {
        ExportSlots slots = new ExportSlots(new ExportProperties(2, Duration.ofSeconds(5)), 10,
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
        ExportSlots slots = new ExportSlots(new ExportProperties(0, Duration.ofSeconds(5)), 2,
                new SimpleMeterRegistry());
        for (int i = 0; i < 10; i++) {
            slots.take(); // never refused
        }
    }
}

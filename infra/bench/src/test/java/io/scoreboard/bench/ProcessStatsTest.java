package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    private static final String STATUS = """
            Name:\tjava
            VmPeak:\t 4817412 kB
            VmHWM:\t  612340 kB
            VmRSS:\t  598000 kB
            Threads:\t61
            """;

    @Test
    void kibField_readsTheNamedLine() {
        assertThat(ProcessStats.kibField(STATUS, "VmHWM")).isEqualTo(612_340);
        assertThat(ProcessStats.kibField(STATUS, "VmRSS")).isEqualTo(598_000);
    }

    @Test
    void kibField_missingLine_isAnError() {
        assertThatThrownBy(() -> ProcessStats.kibField(STATUS, "VmSwap")).hasMessageContaining("VmSwap");
    }

    @Test
    void cpuTicks_addsUserAndSystemTime() {
        String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 1234 0 0 0 1500 250 0 0 20 0 61 0 100 0 0";

        assertThat(ProcessStats.cpuTicks(stat)).isEqualTo(1750);
    }

    @Test
    void cpuTicks_countsFieldsAfterTheLastParenthesis_ofACommandNameWithSpaces() {
        String stat = "77 (my (odd) cmd) R 1 77 77 0 -1 0 0 0 0 0 30 12 0 0 20 0 1 0 5 0 0";

        assertThat(ProcessStats.cpuTicks(stat)).isEqualTo(42);
    }

    @Test
    void thisProcess_hasAPeakRss() {
        assertThat(ProcessStats.peakRssMiB(ProcessHandle.current().pid())).isPositive();
    }
}

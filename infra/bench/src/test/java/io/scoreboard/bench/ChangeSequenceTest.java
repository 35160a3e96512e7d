package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChangeSequenceTest {

    private final ChangeSequence sequence = new ChangeSequence();

    @Test
    void consecutiveChanges_areKeptByPosition_withTheirArrival() {
        sequence.snapshot(7, 1042);
        sequence.change(1051, 8, 100);
        sequence.change(1060, 9, 200);

        assertThat(sequence.changes()).isEqualTo(2);
        assertThat(sequence.arrivalOf(1051)).isEqualTo(100);
        assertThat(sequence.arrivalOf(1060)).isEqualTo(200);
        assertThat(sequence.arrivalOf(1055)).isEqualTo(Long.MIN_VALUE);
        assertThat(sequence.repeated()).isZero();
        assertThat(sequence.skippedVersions()).isZero();
        assertThat(sequence.lastPosition()).isEqualTo(1060);
    }

    @Test
    void aVersionThatJumps_countsTheVersionsSkipped() {
        sequence.snapshot(7, 1042);
        sequence.change(1051, 8, 1);
        sequence.change(1070, 11, 2);

        assertThat(sequence.skippedVersions()).isEqualTo(2);
        assertThat(sequence.arrivalOf(1070)).isEqualTo(2);
    }

    @Test
    void theFirstChangeMustFollowTheSnapshot() {
        sequence.snapshot(7, 1042);
        sequence.change(1051, 9, 1);

        assertThat(sequence.skippedVersions()).isEqualTo(1);
    }

    @Test
    void aChangeAgain_orOutOfOrder_isARepeat_andNotKept() {
        sequence.snapshot(7, 1042);
        sequence.change(1051, 8, 1);
        sequence.change(1051, 8, 2);   // again
        sequence.change(1060, 9, 3);
        sequence.change(1055, 10, 4);  // a lower position
        sequence.change(1042, 7, 5);   // what the snapshot already held

        assertThat(sequence.repeated()).isEqualTo(3);
        assertThat(sequence.changes()).isEqualTo(2);
        assertThat(sequence.arrivalOf(1051)).isEqualTo(1);
    }

    @Test
    void afterASnapshotThatWentBack_theChangesAgainAreRepeats() {
        sequence.snapshot(7, 1042);
        sequence.change(1051, 8, 1);
        sequence.change(1060, 9, 2);
        sequence.snapshot(7, 1042);    // the read model was rebuilt: the stream starts over
        sequence.change(1051, 8, 3);
        sequence.change(1060, 9, 4);
        sequence.change(1070, 10, 5);

        assertThat(sequence.snapshots()).isEqualTo(2);
        assertThat(sequence.repeated()).isEqualTo(2);
        assertThat(sequence.arrivalOf(1051)).isEqualTo(1);
        assertThat(sequence.arrivalOf(1070)).isEqualTo(5);
    }

    @Test
    void aChangeBeforeAnySnapshot_isCounted() {
        sequence.change(1051, 8, 1);

        assertThat(sequence.beforeSnapshot()).isEqualTo(1);
        assertThat(sequence.changes()).isZero();
    }

    @Test
    void manyChanges_growTheRecord() {
        sequence.snapshot(0, 0);
        for (int v = 1; v <= 1_000; v++) {
            sequence.change(10L * v, v, v);
        }

        assertThat(sequence.changes()).isEqualTo(1_000);
        assertThat(sequence.arrivalOf(5_000)).isEqualTo(500);
    }
}

package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.bench.ResultTable.Goal;
import io.scoreboard.bench.ResultTable.Row;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void aRate_meetsItsTarget_fromAbove() {
        assertThat(new Row("r", 4_000, "commands/s", "ref", 8_000, 4_000).meetsTarget()).isTrue();
        assertThat(new Row("r", 3_999, "commands/s", "ref", 8_000, 4_000).meetsTarget()).isFalse();
    }

    @Test
    void aRatioTarget_mustHoldToo() {
        Row row = new Row("r", 5_000, "commands/s", "ref", 20_000, 4_000, Goal.AT_LEAST, 0.3);

        assertThat(row.ratio()).isEqualTo(0.25);
        assertThat(row.meetsTarget()).isFalse();
        assertThat(row.targetText()).isEqualTo("≥ 4,000 commands/s, ratio ≥ 0.30: MISSED");
    }

    @Test
    void aTargetOnTheRatioAlone_isStatedAsTheRatio() {
        Row half = new Row("replicated", 2_500, "commands/s", "CRUD", 5_000, 0, Goal.AT_LEAST, 0.5);
        Row short_ = new Row("replicated", 2_400, "commands/s", "CRUD", 5_000, 0, Goal.AT_LEAST, 0.5);

        assertThat(half.targetText()).isEqualTo("ratio ≥ 0.50: met");
        assertThat(short_.targetText()).isEqualTo("ratio ≥ 0.50: MISSED");
    }

    @Test
    void aLatency_meetsItsTarget_fromBelow() {
        assertThat(new Row("p99", 50, "ms", "—", Double.NaN, 50, Goal.AT_MOST, Double.NaN).meetsTarget()).isTrue();
        assertThat(new Row("p99", 50.1, "ms", "—", Double.NaN, 50, Goal.AT_MOST, Double.NaN).targetText())
                .isEqualTo("≤ 50.0 ms: MISSED");
    }

    @Test
    void withoutReference_thereIsNoRatio() {
        Row row = new Row("rss", 600, "MiB", "—", Double.NaN, 0, Goal.NONE, Double.NaN);

        assertThat(row.ratio()).isNaN();
        assertThat(row.meetsTarget()).isTrue();
        assertThat(row.targetText()).isEqualTo("—");
    }

    @Test
    void numbers_keepADecimalOnlyWhenSmall() {
        assertThat(ResultTable.number(12.34)).isEqualTo("12.3");
        assertThat(ResultTable.number(4_321.6)).isEqualTo("4,322");
    }
}

package io.scoreboard.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommittedAggregatesTest {

    /** A root weighs its length. */
    private final CommittedAggregates<String> kept = new CommittedAggregates<>(10, 1, String::length);

    @Test
    void theLeastRecentlyUsedGo_whenTheWeightPassesTheBudget() {
        kept.put("a", "aaaa", 1);
        kept.put("b", "bbbb", 1);
        kept.put("c", "cccc", 1);

        assertThat(kept.totalWeight()).isEqualTo(8);
        assertThat(kept.take("a")).as("the eldest went").isNull();
        assertThat(kept.take("b").root()).isEqualTo("bbbb");
        assertThat(kept.totalWeight()).isEqualTo(4);
    }

    @Test
    void anOlderVersion_neverReplacesALaterOne() {
        kept.put("a", "new", 7);
        kept.put("a", "old", 6);

        assertThat(kept.take("a").root()).isEqualTo("new");
    }

    @Test
    void aLaterVersion_replacesTheEntryAndItsWeight() {
        kept.put("a", "aa", 1);
        kept.put("a", "aaaaa", 2);

        assertThat(kept.totalWeight()).isEqualTo(5);
        assertThat(kept.size()).isEqualTo(1);
    }

    @Test
    void aRootHeavierThanTheBudget_isNotKept_andDropsItsOlderState() {
        kept.put("a", "aa", 1);
        kept.put("a", "x".repeat(11), 2);

        assertThat(kept.take("a")).isNull();
        assertThat(kept.totalWeight()).isZero();
    }

    @Test
    void takingAnEntry_removesIt() {
        kept.put("a", "aa", 1);

        assertThat(kept.take("a").version()).isEqualTo(1);
        assertThat(kept.take("a")).isNull();
        assertThat(kept.size()).isZero();
    }

    @Test
    void eachSegmentKeepsItsShareOfTheBudget() {
        CommittedAggregates<String> split = new CommittedAggregates<>(100, 4, String::length);
        for (int i = 0; i < 1_000; i++) {
            split.put("board-" + i, "x".repeat(10), 1);
        }

        assertThat(split.totalWeight()).isLessThanOrEqualTo(100);
        assertThat(split.size()).isBetween(4, 10);
    }
}

package io.scoreboard.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

class PerThreadRandomIdentifiersTest {

    @Test
    void axonFindsIt() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(PerThreadRandomIdentifiers.class);
    }

    @Test
    void identifiersAreVersion4RandomUuids_andDistinct() throws Exception {
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 25_000; i++) {
                    seen.add(IdentifierFactory.getInstance().generateIdentifier());
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(seen).hasSize(100_000);
        Set<Integer> variants = new HashSet<>();
        for (String id : seen) {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            variants.add(uuid.variant());
        }
        assertThat(variants).containsExactly(2);
    }
}

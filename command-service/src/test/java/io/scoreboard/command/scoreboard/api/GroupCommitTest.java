package io.scoreboard.command.scoreboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** A write: its board and its number among that board's writes. */
    private static final class Write extends GroupCommit.Queued {
        final int number;

        Write(UUID board, int number) {
            super(board);
            this.number = number;
        }
    }

    @Test
    void batches_holdEachBoardOnce_runningBatchesShareNoBoard_andEachBoardKeepsItsOrder() throws Exception {
        List<UUID> boards = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            boards.add(UUID.randomUUID());
        }
        Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<UUID, List<Integer>> stored = new ConcurrentHashMap<>();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (GroupCommit<Write> group = new GroupCommit<>(3, 8, batch -> {
            sizes.add(batch.size());
            Set<UUID> seen = new HashSet<>();
            for (Write write : batch) {
                if (!seen.add(write.board())) {
                    violations.add("board twice in one batch");
                }
                if (!inFlight.add(write.board())) {
                    violations.add("board in two running batches");
                }
            }
            sleep(2);
            for (Write write : batch) {
                stored.computeIfAbsent(write.board(), b -> Collections.synchronizedList(new ArrayList<>())).add(write.number);
                inFlight.remove(write.board());
                write.succeed(write.number);
            }
        })) {
            // one client per board, each writing its board in order: the order it stored them in must be the same
            ExecutorService clients = Executors.newFixedThreadPool(boards.size() * 4);
            List<Future<?>> done = new ArrayList<>();
            for (UUID board : boards) {
                for (int client = 0; client < 4; client++) {
                    int offset = client * 1000;
                    done.add(clients.submit(() -> {
                        for (int n = 0; n < 50; n++) {
                            assertThat(group.store(new Write(board, offset + n))).isEqualTo(offset + n);
                        }
                    }));
                }
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
        }
        assertThat(violations).isEmpty();
        assertThat(sizes).as("writes that arrive while others are stored go together").anyMatch(size -> size > 1);
        assertThat(sizes).allMatch(size -> size <= 8);
        for (UUID board : boards) {
            List<Integer> numbers = stored.get(board);
            assertThat(numbers).hasSize(200);
            for (int client = 0; client < 4; client++) {
                int offset = client * 1000;
                List<Integer> ofClient = numbers.stream().filter(n -> n >= offset && n < offset + 1000).toList();
                assertThat(ofClient).as("one client's writes to one board, in its order").isSorted().hasSize(50);
            }
        }
    }

    @Test
    void aLoneWrite_isStoredAtOnce_alone() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (GroupCommit<Write> group = new GroupCommit<>(2, 64, batch -> {
            sizes.add(batch.size());
            batch.forEach(write -> write.succeed("ok"));
        })) {
            assertThat(group.store(new Write(UUID.randomUUID(), 1))).isEqualTo("ok");
            assertThat(group.store(new Write(UUID.randomUUID(), 2))).isEqualTo("ok");
        }
        assertThat(sizes).containsExactly(1, 1);
    }

    @Test
    void aWriteFails_withItsOwnFailure_andABatchThatThrowsFailsEveryWriteInIt() {
        try (GroupCommit<Write> group = new GroupCommit<>(1, 64, batch -> {
            for (Write write : batch) {
                if (write.number == 1) {
                    write.fail(new IllegalArgumentException("refused"));
                } else if (write.number == 2) {
                    throw new IllegalStateException("the store broke");
                }
                // number 3: left open
            }
        })) {
            assertThatThrownBy(() -> group.store(new Write(UUID.randomUUID(), 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("refused");
            assertThatThrownBy(() -> group.store(new Write(UUID.randomUUID(), 2)))
                    .isInstanceOf(IllegalStateException.class).hasMessage("the store broke");
            assertThatThrownBy(() -> group.store(new Write(UUID.randomUUID(), 3)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("without an outcome");
            // the writer survived all three
            assertThatThrownBy(() -> group.store(new Write(UUID.randomUUID(), 1))).hasMessage("refused");
        }
    }

    @Test
    void closing_failsTheWritesStillWaiting_andRefusesNewOnes() throws Exception {
        CountDownLatch storing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Write> group = new GroupCommit<>(1, 64, batch -> {
            storing.countDown();
            await(release);
            batch.forEach(write -> write.succeed("stored"));
        });
        ExecutorService clients = Executors.newFixedThreadPool(2);
        UUID board = UUID.randomUUID();
        Future<Object> first = clients.submit(() -> group.store(new Write(board, 1)));
        assertThat(storing.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Object> second = clients.submit(() -> group.store(new Write(board, 2)));
        sleep(200); // the second now waits: its board is in the running batch
        group.close();
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).as("the running batch completes").isEqualTo("stored");
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("the command service is shutting down");
        assertThatThrownBy(() -> group.store(new Write(board, 3))).hasMessageContaining("shutting down");
        clients.shutdown();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

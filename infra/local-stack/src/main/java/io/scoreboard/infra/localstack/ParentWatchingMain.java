package io.scoreboard.infra.localstack;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of a child JVM that must not outlive the JVM that started it: a test run killed
 * hard would otherwise leave a Kafka broker holding its ports and data directory. Watches the
 * parent process and exits when it is gone, then hands over to the real main class.
 *
 * <p>Usage: {@code java -cp ... io.scoreboard.infra.localstack.ParentWatchingMain <main class> <args...>}
 */
public final class ParentWatchingMain {

    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    /** Kafka's own shutdown hook gets this long to close its logs cleanly before we halt. */
    private static final Duration GRACE = Duration.ofSeconds(20);

    private ParentWatchingMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ParentWatchingMain <main class> [arguments...]");
            System.exit(2);
        }
        watchParent(ProcessHandle.current().parent());
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watchParent(Optional<ProcessHandle> parent) {
        Thread watcher = new Thread(() -> {
            // isAlive compares the start time too, so a recycled pid does not count as the parent.
            while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                sleep(CHECK_EVERY);
            }
            System.err.println("ParentWatchingMain: parent process is gone; exiting");
            haltLater();
            System.exit(1);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void haltLater() {
        Thread halter = new Thread(() -> {
            sleep(GRACE);
            Runtime.getRuntime().halt(1);
        }, "parent-watcher-halt");
        halter.setDaemon(true);
        halter.start();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

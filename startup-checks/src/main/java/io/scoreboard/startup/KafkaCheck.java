package io.scoreboard.startup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/** Before a service serves anything: the configured Kafka brokers answer. */
public final class KafkaCheck {

    private static final long TIMEOUT_SECONDS = 15;

    private KafkaCheck() {}

    public static void requireReachable(Admin admin, String bootstrapServers) {
        try {
            admin.describeCluster().clusterId().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new StartupCheckFailedException(
                    "Cannot reach Kafka at " + bootstrapServers + " within " + TIMEOUT_SECONDS + " s: " + cause,
                    "scoreboard.kafka.bootstrap-servers",
                    "Start the Kafka broker or point scoreboard.kafka.bootstrap-servers at a reachable one; "
                            + "the local stack (./scoreboard up) does this for you.",
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka", e);
        }
    }
}

package io.scoreboard.testsupport;

import org.testcontainers.DockerClientFactory;

/** Whether Testcontainers can run containers here; asked once per JVM. */
final class Docker {

    private static Boolean available;

    private Docker() {
    }

    static synchronized boolean isAvailable() {
        if (available == null) {
            boolean answer;
            try {
                answer = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                answer = false;
            }
            available = answer;
        }
        return available;
    }
}

package io.scoreboard.infra.localstack.up;

import io.scoreboard.infra.localstack.EmbeddedKafka;
import java.nio.file.Path;

/** The embedded broker under the supervisor: restarted on its own data and ports; clients reconnect. */
final class SupervisedKafka implements SupervisedChild {

    private final EmbeddedKafka kafka;

    SupervisedKafka(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @Override
    public String name() {
        return "Kafka";
    }

    @Override
    public long pid() {
        return kafka.pid();
    }

    @Override
    public boolean isAlive() {
        return kafka.isRunning();
    }

    @Override
    public int exitCode() {
        return kafka.exitCode();
    }

    @Override
    public Path logFile() {
        return kafka.logFile();
    }

    @Override
    public void restart(int restart) {
        kafka.restart();
    }

    @Override
    public void close() {
        kafka.close();
    }
}

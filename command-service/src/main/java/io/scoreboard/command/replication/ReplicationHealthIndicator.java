package io.scoreboard.command.replication;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** DOWN only when replication has stopped on an event it cannot publish; a fault being waited out is not. */
@Component("replication")
class ReplicationHealthIndicator implements HealthIndicator {

    private final ReplicationStatus status;

    ReplicationHealthIndicator(ReplicationStatus status) {
        this.status = status;
    }

    @Override
    public Health health() {
        String stopped = status.stoppedBecause();
        return stopped == null ? Health.up().build() : Health.down().withDetail("stopped", stopped).build();
    }
}

package io.scoreboard.query.projection;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * DOWN when the projection runner does not project: stopped on a bad event (needs an operator; the
 * reason names the event), or waiting out a fault (it goes on by itself; the reason names the fault,
 * {@code attempts} counts the failed tries since {@code since}). An instance that no longer projects
 * must not look healthy. Exposed as the {@code projection} component.
 */
@Component("projection")
class ProjectionHealthIndicator implements HealthIndicator {

    private final ProjectionRunner runner;

    ProjectionHealthIndicator(ProjectionRunner runner) {
        this.runner = runner;
    }

    @Override
    public Health health() {
        RunnerStatus status = runner.status();
        Health.Builder builder = switch (status.state()) {
            case RUNNING, STARTING -> Health.up();
            case FAILED, STOPPED, WAITING_FOR_DATABASE, WAITING_FOR_KAFKA, WAITING_AFTER_ERROR -> Health.down();
        };
        builder.withDetail("projection", runner.projectionName())
                .withDetail("topic", runner.topic())
                .withDetail("state", status.state())
                .withDetail("since", status.since().toString())
                .withDetail("lagEvents", runner.lag());
        if (status.reason() != null) {
            builder.withDetail("reason", status.reason());
        }
        if (status.state().waiting()) {
            builder.withDetail("attempts", status.attempts());
        }
        return builder.build();
    }
}

package io.scoreboard.command.replication;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** For operators: where the event store and Kafka stand relative to each other. */
@RestController
public class ReplicationOpsController {

    private final ReplicationStatus status;

    public ReplicationOpsController(ReplicationStatus status) {
        this.status = status;
    }

    @GetMapping("/api/v1/ops/replication")
    public ReplicationStatus.Snapshot replication() {
        return status.snapshot();
    }
}

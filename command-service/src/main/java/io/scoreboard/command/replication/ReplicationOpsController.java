package io.scoreboard.command.replication;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** For operators: where the event store and Kafka stand relative to each other. */
@RestController
public class ReplicationOpsController {

    private final ReplicationStatus status;

    public ReplicationOpsController(ReplicationStatus status) {
        this.status = status;
    }

    @ApiResponse(responseCode = "200", description = "Where replication stands: event store, Kafka, lag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReplicationStatus.Snapshot.class)))
    @GetMapping("/api/v1/ops/replication")
    public ReplicationStatus.Snapshot replication() {
        return status.snapshot();
    }
}

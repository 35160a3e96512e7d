package io.scoreboard.command.scoreboard.api;

import io.scoreboard.command.replication.ReplicationGate;
import java.util.UUID;
import java.util.function.LongFunction;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Turns a command's outcome into the HTTP answer, once the durability mode allows: the body built
 * from the position of the board's last event, and the version as ETag.
 */
@Component
class CommandResponses {

    private final ReplicationGate replication;

    CommandResponses(ReplicationGate replication) {
        this.replication = replication;
    }

    <T> ResponseEntity<T> ok(UUID scoreboardId, long version, LongFunction<T> body) {
        return respond(HttpStatus.OK, null, scoreboardId, version, body);
    }

    <T> ResponseEntity<T> created(String location, UUID scoreboardId, long version, LongFunction<T> body) {
        return respond(HttpStatus.CREATED, location, scoreboardId, version, body);
    }

    private <T> ResponseEntity<T> respond(HttpStatus status, String location, UUID scoreboardId, long version,
                                          LongFunction<T> body) {
        long position = replication.awaitDurable(scoreboardId, version);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).eTag(CommandRequests.etag(version));
        if (location != null) {
            response.location(java.net.URI.create(location));
        }
        return response.body(body.apply(position));
    }
}

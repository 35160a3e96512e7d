package io.scoreboard.infra.localstack;

/** A server directory belongs to a server that is running, in this JVM or another process. */
public final class DirectoryInUseException extends IllegalStateException {

    DirectoryInUseException(String message) {
        super(message);
    }
}

package io.scoreboard.infra.database;

import java.util.Objects;

/**
 * Where a PostgreSQL server is and how to reach it as a superuser (needed only to create roles
 * and databases; the services never use these credentials).
 */
public record PostgresServer(String host, int port, String superuser, String superuserPassword) {

    public PostgresServer {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(superuser, "superuser");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}

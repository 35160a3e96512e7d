package io.scoreboard.command.replication;

/** When a write is acknowledged to the client. */
public enum Durability {
    /** After the PostgreSQL commit and the Kafka acknowledgement: recovery point 0. The default. */
    REPLICATED,
    /** After the PostgreSQL commit; Kafka is fed asynchronously. Opt-in. */
    LOCAL
}

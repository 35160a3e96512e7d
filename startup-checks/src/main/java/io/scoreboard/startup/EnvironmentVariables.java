package io.scoreboard.startup;

/**
 * The environment variables the tools read outside Spring (the operator CLI and the migrations Job), named
 * once for them, the local stack and the Kubernetes manifests (whose check, ApplicationAgreementTest, reads
 * these constants to prove that every variable set is read and every variable read is set). The services
 * read their settings through Spring's relaxed binding instead ({@code SCOREBOARD_KAFKA_TOPIC} for
 * {@code scoreboard.kafka.topic}).
 */
public final class EnvironmentVariables {

    /** The environment a run is meant for (dev, staging, prod, …); ADR 0007. */
    public static final String ENVIRONMENT = "SCOREBOARD_ENVIRONMENT";
    /** JDBC URL of the event store database. */
    public static final String EVENTS_URL = "SCOREBOARD_EVENTS_URL";
    /** JDBC URL of the read database. */
    public static final String READ_URL = "SCOREBOARD_READ_URL";
    /** The role the tools connect as (default {@link DatabaseRoles#OWNER}). */
    public static final String DB_USER = "SCOREBOARD_DB_USER";
    /** Its password. */
    public static final String DB_PASSWORD = "SCOREBOARD_DB_PASSWORD";
    /** Kafka's bootstrap servers. */
    public static final String KAFKA = "SCOREBOARD_KAFKA";
    /** The event topic (default {@link EventTopicSettings#DEFAULT_TOPIC}). */
    public static final String TOPIC = "SCOREBOARD_TOPIC";
    /**
     * {@code true} marks a production environment ({@link ProductionTopicSafety}): its event topic must then be
     * replicated safely. The CLI reads it (or {@code --production}); the services read the property
     * {@code scoreboard.production}, which Spring binds from this same variable.
     */
    public static final String PRODUCTION = "SCOREBOARD_PRODUCTION";

    private EnvironmentVariables() {}
}

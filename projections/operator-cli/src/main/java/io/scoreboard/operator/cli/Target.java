package io.scoreboard.operator.cli;

import io.scoreboard.startup.EnvironmentIdentity;
import io.scoreboard.startup.EnvironmentVariables;
import io.scoreboard.startup.ProductionTopicSafety;
import io.scoreboard.startup.StartupCheckFailedException;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import io.scoreboard.startup.TopicRefusedException;
import io.scoreboard.startup.UnsafeTopicRefusedException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Everything a command may touch, resolved once (flags, then environment variables, then the local
 * stack's {@code .scoreboard/stack.json}; see {@link TargetOptions}). Every connection it hands out
 * has passed the environment identity check: a tool configured for {@code dev} never gets a
 * connection to a {@code prod} database; and every command has passed {@link #requireTopic} before it
 * runs, so it never reads, rebuilds from or writes to a {@code prod} topic either (ADR 0017).
 *
 * @param environment     the environment this invocation is for
 * @param eventsUrl       JDBC URL of the event store database
 * @param readUrl         JDBC URL of the read database
 * @param dbUser          the role the tools connect as (the owner role: rebuild and restore run DDL)
 * @param dbPassword      its password, may be null (trust auth)
 * @param kafka           Kafka bootstrap servers
 * @param topic           the event topic
 * @param localDataDir    the local stack's data directory when the settings came from stack.json
 * @param origin          where the settings came from, for messages ("flags", ".scoreboard/stack.json", …)
 * @param production      a production environment: its event topic must be replicated safely (ADR 0034)
 */
public record Target(String environment, String eventsUrl, String readUrl, String dbUser, String dbPassword,
                     String kafka, String topic, Optional<java.nio.file.Path> localDataDir, String origin,
                     boolean production) {

    /** Not production (tools and benchmarks that build a target themselves). */
    public Target(String environment, String eventsUrl, String readUrl, String dbUser, String dbPassword,
                  String kafka, String topic, Optional<java.nio.file.Path> localDataDir, String origin) {
        this(environment, eventsUrl, readUrl, dbUser, dbPassword, kafka, topic, localDataDir, origin, false);
    }

    public static final String ENVIRONMENT_SETTING = "--environment / " + EnvironmentVariables.ENVIRONMENT;
    /** The settings a topic refusal names. */
    public static final TopicEnvironment.Settings TOPIC_SETTINGS = new TopicEnvironment.Settings(ENVIRONMENT_SETTING,
            "--topic / " + EnvironmentVariables.TOPIC, "--kafka / " + EnvironmentVariables.KAFKA);
    /** How a refusal names the setting that marks production. */
    public static final String PRODUCTION_SETTING = "--production / " + EnvironmentVariables.PRODUCTION;

    /**
     * The topic belongs to {@link #environment}, or may be used as {@code use} (ADR 0017), and in
     * {@link #production} is replicated safely (ADR 0034: refused, except that a report only warns, so that
     * {@code status} still shows what is wrong); changes nothing (claiming a new topic is the owning command's
     * own step, after its other checks).
     *
     * @param quick for a report that must answer at once: short Kafka timeouts, and an unreachable
     *              Kafka is not a failure when {@code use} only reports
     * @return the verdict; empty when Kafka cannot be reached, {@code quick} and {@code use} only
     *         reports (the command's own reading of the topic then reports it unreachable)
     */
    public Optional<TopicEnvironment.Verdict> requireTopic(TopicEnvironment.Use use, Console console, boolean quick) {
        // One try's bound: a broker that is down is waited out by the caller, in steps the operator sees.
        Admin admin = admin(quick ? QUICK_KAFKA_TIMEOUT : CHECK_KAFKA_TIMEOUT);
        try (TopicEnvironmentCheck check = new TopicEnvironmentCheck(admin, kafka, topic, TOPIC_SETTINGS)) {
            TopicEnvironment.Verdict verdict = check.check(environment, use);
            if (verdict.kind() == TopicEnvironment.Kind.UNCLAIMED_WITH_RECORDS) {
                console.warn("the topic '" + topic + "' holds records but records no environment (ADR 0017); "
                        + "services and the changing commands refuse it until it is recorded: "
                        + "./scoreboard claim-topic --environment " + environment + " --confirm " + environment);
            }
            if (production) {
                requireSafeForProduction(admin, use, console, quick ? QUICK_KAFKA_TIMEOUT : CHECK_KAFKA_TIMEOUT);
            }
            return Optional.of(verdict);
        } catch (TopicRefusedException e) {
            throw OperatorException.refused(e.getMessage(), e.fix());
        } catch (StartupCheckFailedException e) {
            if (quick && use == TopicEnvironment.Use.REPORT) {
                return Optional.empty();
            }
            throw OperatorException.unreachable(e.getMessage(), e.fix(), e);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private void requireSafeForProduction(Admin admin, TopicEnvironment.Use use, Console console, Duration timeout) {
        try {
            new ProductionTopicSafety(admin, kafka, topic, PRODUCTION_SETTING, TOPIC_SETTINGS.kafka(), timeout).require();
        } catch (UnsafeTopicRefusedException e) {
            if (use != TopicEnvironment.Use.REPORT) {
                throw e;
            }
            console.warn(e.getMessage() + " Fix: " + e.fix());
        }
    }

    /**
     * In production, refuses the settings of a topic this command would create (republish) before it is created:
     * it would be refused right after.
     */
    public void requireSafeToCreate(int replicationFactor, int minInsyncReplicas) {
        if (!production) {
            return;
        }
        List<String> problems = ProductionTopicSafety.creationProblems(replicationFactor, "--replication-factor",
                minInsyncReplicas, "--min-insync-replicas");
        if (!problems.isEmpty()) {
            UnsafeTopicRefusedException refused = ProductionTopicSafety.refusal(topic, kafka, problems,
                    PRODUCTION_SETTING);
            throw OperatorException.refused(refused.getMessage(), "pass --replication-factor 3 --min-insync-replicas 2; "
                    + refused.fix());
        }
    }

    /** Kafka's answer within a couple of seconds, for {@code status}: a broker that is down is shown at once. */
    public static final Duration QUICK_KAFKA_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration CHECK_KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private Admin admin(Duration timeout) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                AdminClientConfig.CLIENT_ID_CONFIG, "scoreboard-topic-environment",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()));
    }

    /** The topic's identity check and claims, with its own Kafka client (close it). */
    public TopicEnvironmentCheck topicEnvironment() {
        return TopicEnvironmentCheck.open(kafka, topic, TOPIC_SETTINGS);
    }

    /** Records a new or empty topic for {@link #environment} (republish, after creating it); refuses another's. */
    public TopicEnvironment.Verdict claimTopic() {
        try (TopicEnvironmentCheck check = topicEnvironment()) {
            return check.claim(environment);
        } catch (TopicRefusedException e) {
            throw OperatorException.refused(e.getMessage(), e.fix());
        } catch (StartupCheckFailedException e) {
            throw OperatorException.unreachable(e.getMessage(), e.fix(), e);
        }
    }

    /** A connection to the event store, after checking that it belongs to {@link #environment}. */
    public Connection openEvents() {
        return open(eventsUrl, "event store");
    }

    /** A connection to the read database, after checking that it belongs to {@link #environment}. */
    public Connection openRead() {
        return open(readUrl, "read database");
    }

    /** A connection without the environment check: only for reading the recorded environment itself. */
    public Connection openUnchecked(String url, String what) {
        Properties props = new Properties();
        props.setProperty("user", dbUser);
        if (dbPassword != null) {
            props.setProperty("password", dbPassword);
        }
        props.setProperty("connectTimeout", "5");
        // A server that vanished without closing the connection is noticed, not waited for forever.
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "scoreboard-cli");
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState())) { // invalid_catalog_name: the database itself is gone
                throw OperatorException.unreachable("the " + what + " " + databaseName(url) + " does not exist on "
                        + url.replaceFirst("^jdbc:postgresql://([^/]*)/.*", "$1"), "create it empty with its "
                        + "migrations first (locally, ./scoreboard up does both; see docs/runbook.md), then run this "
                        + "command again", e);
            }
            throw OperatorException.unreachable("cannot connect to the " + what + " at " + url + " as " + dbUser
                    + ": " + e.getMessage(), "check that PostgreSQL runs and the URL and role are right ("
                    + origin + "); locally, start the stack with ./scoreboard up", e);
        }
    }

    private Connection open(String url, String what) {
        Connection c = openUnchecked(url, what);
        try {
            EnvironmentIdentity.require(c, environment, what + " " + url, ENVIRONMENT_SETTING);
            return c;
        } catch (StartupCheckFailedException e) {
            close(c);
            throw OperatorException.refused(e.getMessage(), e.fix());
        } catch (SQLException e) {
            close(c);
            throw OperatorException.unreachable("cannot read the environment of the " + what + " at " + url + ": "
                    + e.getMessage(), "check the database is up and was set up by this version", e);
        }
    }

    /** The database name in a JDBC URL, for messages. */
    public static String databaseName(String url) {
        String path = url.replaceFirst("^jdbc:postgresql://[^/]*/", "");
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing; the original problem is the one to report
        }
    }
}

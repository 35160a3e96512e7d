package io.scoreboard.operator.cli;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Which failures pass by themselves (a server down, restarting, timing out, in a conflict that a
 * second try resolves) and which are answers (wrong environment, wrong password, bad data, a topic or
 * database that does not exist). Only the first are waited out ({@link WaitingOut}, ADR 0020); an
 * answer ends the command at once, as before.
 */
public final class TransientFaults {

    /** The server a transient fault is about. */
    public enum Server {
        POSTGRESQL("PostgreSQL"),
        KAFKA("Kafka");

        private final String label;

        Server(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A failure that passes: which server, and what it said. */
    public record Fault(Server server, String reason) {}

    private TransientFaults() {}

    /**
     * The transient fault behind {@code failure}, looking through wrappers ({@link OperatorException},
     * execution exceptions); empty when it is an answer to act on, never to wait out. A refusal
     * ({@link ExitCode#REFUSED}) or wrong usage is always an answer, whatever caused it.
     */
    public static Optional<Fault> classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException) {
                return Optional.empty(); // a mistyped host is far likelier than a DNS outage: say so at once
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OperatorException o && o.code() != ExitCode.UNREACHABLE) {
                return Optional.empty(); // a refusal, or a failure the command has judged final
            }
            if (t instanceof SQLException sql) {
                return transientSql(sql) ? Optional.of(new Fault(Server.POSTGRESQL, sqlReason(sql))) : sqlCauseOrNot(sql);
            }
            Optional<Fault> kafka = kafka(t);
            if (kafka != null) {
                return kafka;
            }
            if (t instanceof java.util.concurrent.TimeoutException) {
                // Only the CLI's Kafka calls wait on futures with a bound (Admin, producer acknowledgements).
                return Optional.of(new Fault(Server.KAFKA, "no answer in time (" + t.getMessage() + ")"));
            }
        }
        return Optional.empty();
    }

    /** True when {@code failure} is waited out. */
    public static boolean isTransient(Throwable failure) {
        return classify(failure).isPresent();
    }

    /**
     * PostgreSQL: connection exceptions (class 08: refused, reset, dropped), the server shutting down
     * or starting (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now), a statement
     * or lock timeout (57014, 55P03), a serialization failure or deadlock (40001, 40P01), too many
     * connections (53300). Not: a wrong password (28xxx), a missing database (3D000), table (42P01)
     * or privilege (42501), bad data (22xxx, 23xxx): those are answers.
     */
    static boolean transientSql(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return e instanceof SQLRecoverableException || e instanceof SQLTransientConnectionException
                    || hasNetworkCause(e);
        }
        return state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("57014")
                || state.equals("55P03")
                || state.equals("40001") || state.equals("40P01")
                || state.equals("53300");
    }

    /** A permanent SQL state ends the search, unless a network failure lies beneath it. */
    private static Optional<Fault> sqlCauseOrNot(SQLException sql) {
        return hasNetworkCause(sql) && sql.getSQLState() == null
                ? Optional.of(new Fault(Server.POSTGRESQL, sqlReason(sql))) : Optional.empty();
    }

    private static boolean hasNetworkCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException || t instanceof SocketException
                    || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka: null when {@code t} is not Kafka's; empty for answers (authentication, authorization, a
     * topic that does not exist or exists already: callers that expect those handle them first).
     */
    private static Optional<Fault> kafka(Throwable t) {
        if (!(t instanceof org.apache.kafka.common.KafkaException)) {
            return null;
        }
        if (t instanceof UnknownTopicOrPartitionException || t instanceof TopicExistsException
                || t instanceof AuthenticationException || t instanceof AuthorizationException) {
            return Optional.empty();
        }
        if (t instanceof RetriableException || t instanceof DisconnectException
                || t instanceof BrokerNotAvailableException) {
            return Optional.of(new Fault(Server.KAFKA, t.getClass().getSimpleName() + ": " + t.getMessage()));
        }
        return t.getCause() != null ? null : Optional.empty(); // a wrapper: look at its cause
    }

    private static String sqlReason(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                .orElse("");
        return e.getSQLState() == null ? message : message + " (SQLSTATE " + e.getSQLState() + ")";
    }
}

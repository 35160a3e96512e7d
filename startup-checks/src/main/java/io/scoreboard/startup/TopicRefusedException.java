package io.scoreboard.startup;

/**
 * The event topic is refused on purpose, and nothing was changed: it belongs to another environment
 * ({@link TopicEnvironmentRefusedException}) or is not safe for production ({@link UnsafeTopicRefusedException}).
 * A service does not start (or stops replicating or projecting), the operator CLI exits 3. Kafka being
 * unreachable is a plain {@link StartupCheckFailedException} instead: that one is waited out.
 */
public class TopicRefusedException extends StartupCheckFailedException {

    public TopicRefusedException(String problem, String setting, String fix) {
        super(problem, setting, fix, null);
    }
}

package io.scoreboard.startup;

/**
 * The topic belongs to another environment, or cannot be shown to belong to the configured one:
 * refused on purpose, nothing was changed (the operator CLI exits 3). Kafka being unreachable is a
 * plain {@link StartupCheckFailedException} instead.
 */
public class TopicEnvironmentRefusedException extends StartupCheckFailedException {

    public TopicEnvironmentRefusedException(String problem, String setting, String fix) {
        super(problem, setting, fix, null);
    }
}

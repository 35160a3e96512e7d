package io.scoreboard.startup;

/**
 * The topic belongs to another environment, or cannot be shown to belong to the configured one:
 * refused on purpose, nothing was changed (the operator CLI exits 3). Kafka being unreachable is a
 * plain {@link StartupCheckFailedException} instead. Callers that treat every refusal alike catch
 * {@link TopicRefusedException}.
 */
public class TopicEnvironmentRefusedException extends TopicRefusedException {

    public TopicEnvironmentRefusedException(String problem, String setting, String fix) {
        super(problem, setting, fix);
    }
}

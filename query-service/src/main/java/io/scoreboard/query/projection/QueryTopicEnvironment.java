package io.scoreboard.query.projection;

import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the query side checks that its topic belongs to its environment (ADR 0017): once at start-up,
 * before the runner joins its consumer group, and again for every new topic incarnation (topic id) the
 * runner is assigned, before it applies a record of it. A new, empty topic is recorded for this
 * environment; another environment's topic, or one holding events nobody recorded, is refused
 * ({@link io.scoreboard.startup.TopicEnvironmentRefusedException}).
 */
public final class QueryTopicEnvironment {

    private final TopicEnvironmentCheck check;
    private final String environment;
    /** The last incarnation found to be this environment's: not read again while it stays. */
    private final AtomicReference<String> checkedTopicId = new AtomicReference<>();

    QueryTopicEnvironment(TopicEnvironmentCheck check, String environment) {
        this.check = check;
        this.environment = environment;
    }

    /** At start-up: refuses another environment's topic; a topic that does not exist yet is checked when it appears. */
    public void requireAtStartUp() {
        remember(check.require(environment, TopicEnvironment.Use.OWN));
    }

    /** {@code ids}, checking each new topic incarnation before its id is handed to the runner. */
    TopicIdentity checking(TopicIdentity ids) {
        return () -> {
            Optional<String> id = ids.current();
            if (id.isPresent() && !id.get().equals(checkedTopicId.get())) {
                remember(check.require(environment, TopicEnvironment.Use.OWN));
            }
            return id;
        };
    }

    private void remember(TopicEnvironment.Verdict verdict) {
        if (verdict.bound()) {
            verdict.topicId().ifPresent(checkedTopicId::set);
        }
    }
}

package io.scoreboard.query.projection;

import io.scoreboard.startup.ProductionTopicSafety;
import io.scoreboard.startup.TopicEnvironment;
import io.scoreboard.startup.TopicEnvironmentCheck;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the query side checks that its topic belongs to its environment (ADR 0017): once at start-up,
 * before the runner joins its consumer group, and again for every new topic incarnation (topic id) the
 * runner is assigned, before it applies a record of it. A new, empty topic is recorded for this
 * environment; another environment's topic, or one holding events nobody recorded, is refused
 * ({@link io.scoreboard.startup.TopicEnvironmentRefusedException}). In production (scoreboard.production) each
 * is also checked to be replicated safely (ADR 0034; {@link io.scoreboard.startup.UnsafeTopicRefusedException}).
 */
public final class QueryTopicEnvironment {

    private final TopicEnvironmentCheck check;
    private final String environment;
    /** Null unless this is a production environment. */
    private final ProductionTopicSafety productionSafety;
    /** The last incarnation found to be this environment's: not read again while it stays. */
    private final AtomicReference<String> checkedTopicId = new AtomicReference<>();

    QueryTopicEnvironment(TopicEnvironmentCheck check, String environment, ProductionTopicSafety productionSafety) {
        this.check = check;
        this.environment = environment;
        this.productionSafety = productionSafety;
    }

    /** At start-up: refuses another environment's topic; a topic that does not exist yet is checked when it appears. */
    public void requireAtStartUp() {
        remember(require());
    }

    /** {@code ids}, checking each new topic incarnation before its id is handed to the runner. */
    TopicIdentity checking(TopicIdentity ids) {
        return () -> {
            Optional<String> id = ids.current();
            if (id.isPresent() && !id.get().equals(checkedTopicId.get())) {
                remember(require());
            }
            return id;
        };
    }

    private TopicEnvironment.Verdict require() {
        TopicEnvironment.Verdict verdict = check.require(environment, TopicEnvironment.Use.OWN);
        if (productionSafety != null && verdict.topicId().isPresent()) {
            productionSafety.require();
        }
        return verdict;
    }

    private void remember(TopicEnvironment.Verdict verdict) {
        if (verdict.bound()) {
            verdict.topicId().ifPresent(checkedTopicId::set);
        }
    }
}

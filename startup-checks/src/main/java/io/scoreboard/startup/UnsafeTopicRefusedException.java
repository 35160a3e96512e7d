package io.scoreboard.startup;

/** A production environment's event topic could lose acknowledged events ({@link ProductionTopicSafety}). */
public class UnsafeTopicRefusedException extends TopicRefusedException {

    public UnsafeTopicRefusedException(String problem, String setting, String fix) {
        super(problem, setting, fix);
    }
}

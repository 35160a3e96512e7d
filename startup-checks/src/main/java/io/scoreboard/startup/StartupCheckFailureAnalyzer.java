package io.scoreboard.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a failed start-up check into Spring Boot's short "Description / Action" report. */
public class StartupCheckFailureAnalyzer extends AbstractFailureAnalyzer<StartupCheckFailedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupCheckFailedException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Check the setting '" + cause.setting() + "'. " + cause.fix(), cause);
    }
}

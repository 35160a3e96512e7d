package io.scoreboard.operator.cli;

import java.time.Duration;
import picocli.CommandLine.Mixin;

/**
 * A command that waits out an unreachable PostgreSQL or Kafka ({@code --wait}, ADR 0020): by default
 * for {@link WaitBound#CHANGING_COMMANDS}, the bound of the long commands that change something.
 */
public abstract class WaitingCommand extends OperatorCommand {

    @Mixin
    WaitBound wait;

    @Override
    public Duration defaultWait() {
        return WaitBound.CHANGING_COMMANDS;
    }

    @Override
    protected Duration waitBound() {
        return wait.or(defaultWait());
    }
}

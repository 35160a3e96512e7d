package io.scoreboard.operator.status;

import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.OperatorException;

/**
 * One part of the status (event store, topic, read model): either what was read, or why it could
 * not be, so the rest is still shown when one part is down. A refusal (wrong environment) is not
 * a part that is down: it ends the whole command.
 */
sealed interface Part<T> {

    record Known<T>(T value) implements Part<T> {}

    /** @param state "unreachable" (cannot connect) or "unreadable" (connected, but the read failed) */
    record Unknown<T>(String state, String problem, String fix) implements Part<T> {}

    @FunctionalInterface
    interface Reader<T> {
        T read() throws Exception;
    }

    static <T> Part<T> read(Reader<T> reader) {
        try {
            return new Known<>(reader.read());
        } catch (OperatorException e) {
            if (e.code() == ExitCode.REFUSED) {
                throw e;
            }
            return new Unknown<>("unreachable", e.getMessage(), e.fix());
        } catch (Exception e) {
            return new Unknown<>("unreadable", e.getMessage(), "run 'verify' or check the database's migrations "
                    + "(this version reads the tables it created)");
        }
    }
}

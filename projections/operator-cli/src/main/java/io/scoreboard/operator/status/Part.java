package io.scoreboard.operator.status;

import io.scoreboard.operator.cli.ExitCode;
import io.scoreboard.operator.cli.OperatorException;
import io.scoreboard.operator.cli.TransientFaults;
import io.scoreboard.operator.cli.WaitingOut;
import java.util.Optional;

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

    /** A part whose server could not be reached (the message and fix of {@code e}). */
    static <T> Part<T> unreachable(OperatorException e) {
        return new Unknown<>("unreachable", e.getMessage(), e.fix());
    }

    /** Reads once. */
    static <T> Part<T> read(Reader<T> reader) {
        return read(null, null, reader);
    }

    /** Reads, waiting out an unreachable server for as long as {@code --wait} says (by default: not at all). */
    static <T> Part<T> read(WaitingOut waiting, String doing, Reader<T> reader) {
        try {
            return new Known<>(waiting == null ? reader.read() : waiting.retry(doing, reader::read));
        } catch (OperatorException e) {
            if (e.code() == ExitCode.REFUSED) {
                throw e;
            }
            return new Unknown<>("unreachable", e.getMessage(), e.fix());
        } catch (Exception e) {
            Optional<TransientFaults.Fault> fault = TransientFaults.classify(e);
            if (fault.isPresent()) {
                return new Unknown<>("unreachable", fault.get().server().label() + " is unreachable: "
                        + fault.get().reason(), "start " + fault.get().server().label() + " (locally: ./scoreboard "
                        + "up) or check its setting (--events-url / --read-url / --kafka)");
            }
            return new Unknown<>("unreadable", e.getMessage(), "run 'verify' or check the database's migrations "
                    + "(this version reads the tables it created)");
        }
    }
}

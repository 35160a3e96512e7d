package io.scoreboard.projections.scoreboard;

import java.time.Instant;
import java.util.Objects;

/**
 * Which standing of a board a read ranks: the board now (the live tables), the board as it stood at
 * an instant ({@code ?asOf=}, from its history), or the points scored in a window of time
 * ({@code ?from=&to=}, from its history; weekly or monthly boards without resets).
 */
public sealed interface ReadScope {

    ReadScope NOW = new Now();

    static ReadScope asOf(Instant instant) {
        return new AsOf(instant);
    }

    /** Points scored at or after {@code from} and before {@code to}. */
    static ReadScope window(Instant from, Instant to) {
        return new Window(from, to);
    }

    record Now() implements ReadScope {}

    record AsOf(Instant instant) implements ReadScope {
        public AsOf {
            Objects.requireNonNull(instant, "instant");
        }
    }

    record Window(Instant from, Instant to) implements ReadScope {
        public Window {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("the window's start " + from + " is not before its end " + to);
            }
        }
    }
}

package io.scoreboard.httpedge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightPerKeyTest {

    @Test
    void aKeyHoldsAtMostMax_othersAreNotAffected_andAPlaceGivenBackCanBeTakenAgain() {
        InFlightPerKey places = new InFlightPerKey(2);
        assertThat(places.tryEnter("a")).isTrue();
        assertThat(places.tryEnter("a")).isTrue();
        assertThat(places.tryEnter("a")).isFalse();
        assertThat(places.tryEnter("b")).isTrue();
        assertThat(places.inFlight("a")).isEqualTo(2);

        places.leave("a");
        assertThat(places.tryEnter("a")).isTrue();
        places.leave("a");
        places.leave("a");
        places.leave("b");
        assertThat(places.inFlight("a")).isZero();
        assertThat(places.inFlight("b")).isZero();
    }

    @Test
    void zeroMeansNoBound() {
        InFlightPerKey places = new InFlightPerKey(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(places.tryEnter("a")).isTrue();
        }
        assertThat(places.inFlight("a")).isZero();
    }
}

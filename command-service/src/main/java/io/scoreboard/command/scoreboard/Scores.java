package io.scoreboard.command.scoreboard;

import java.math.BigDecimal;

/**
 * Score arithmetic: exact decimals with at most 4 fractional digits and a magnitude below 10^15.
 * A result outside that range is refused, never rounded and never wrapped.
 */
public final class Scores {

    public static final int MAX_FRACTION_DIGITS = 4;
    /** Exclusive bound on the magnitude of any score or delta. */
    public static final BigDecimal LIMIT = BigDecimal.TEN.pow(15);

    private Scores() {}

    /** Validates a delta or a score given by a client; returns it in canonical form. */
    public static BigDecimal requireValid(BigDecimal value, String what) {
        if (value == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, what + " is required");
        }
        BigDecimal canonical = canonical(value);
        if (canonical.scale() > MAX_FRACTION_DIGITS) {
            throw new CommandRejectedException(ErrorCode.SCORE_OUT_OF_RANGE,
                    what + " " + value.toPlainString() + " has more than " + MAX_FRACTION_DIGITS
                            + " fractional digits");
        }
        requireInRange(canonical, what);
        return canonical;
    }

    /** {@code score + delta}, refused when the result leaves the allowed range. */
    public static BigDecimal add(BigDecimal score, BigDecimal delta) {
        BigDecimal result = canonical(score.add(delta));
        requireInRange(result, "the resulting score");
        return result;
    }

    /** Without trailing zeros and never in exponent form: 5.50 → 5.5, 1E+3 → 1000. */
    public static BigDecimal canonical(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static void requireInRange(BigDecimal value, String what) {
        if (value.abs().compareTo(LIMIT) >= 0) {
            throw new CommandRejectedException(ErrorCode.SCORE_OUT_OF_RANGE,
                    what + " " + value.toPlainString() + " is out of range: scores must stay strictly between "
                            + "-10^15 and 10^15");
        }
    }
}

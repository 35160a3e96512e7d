package io.scoreboard.command.scoreboard;

import java.math.BigDecimal;

/**
 * Score arithmetic: exact decimals with at most 4 fractional digits and a magnitude below 10^15.
 * A result outside that range is refused, never rounded and never wrapped.
 */
public final class Scores {

    public static final int MAX_FRACTION_DIGITS = 4;
    private static final int MAX_INTEGER_DIGITS = 15;
    /** Exclusive bound on the magnitude of any score or delta. */
    public static final BigDecimal LIMIT = BigDecimal.TEN.pow(15);

    private Scores() {}

    /** Validates a delta or a score given by a client; returns it in canonical form. */
    public static BigDecimal requireValid(BigDecimal value, String what) {
        if (value == null) {
            throw new CommandRejectedException(ErrorCode.INVALID_INPUT, what + " is required");
        }
        // Checked on the stripped form before anything expands the number: 1E+999999999 or
        // 1E-999999999 must be refused in microseconds, not by building a billion-digit string.
        BigDecimal stripped = value.stripTrailingZeros();
        // long arithmetic: with a scale near Integer.MIN_VALUE the int difference would overflow
        if (stripped.signum() != 0 && (long) stripped.precision() - stripped.scale() > MAX_INTEGER_DIGITS) {
            throw new CommandRejectedException(ErrorCode.SCORE_OUT_OF_RANGE, what + " " + describe(value)
                    + " is out of range: scores must stay strictly between -10^15 and 10^15");
        }
        if (stripped.scale() > MAX_FRACTION_DIGITS) {
            throw new CommandRejectedException(ErrorCode.SCORE_OUT_OF_RANGE,
                    what + " " + describe(value) + " has more than " + MAX_FRACTION_DIGITS + " fractional digits");
        }
        BigDecimal canonical = canonical(stripped);
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

    /** Plain digits for numbers a person would type; scientific notation for absurd ones. */
    private static String describe(BigDecimal value) {
        return Math.abs((long) value.scale()) <= 40 ? value.toPlainString() : value.toString();
    }

    private static void requireInRange(BigDecimal value, String what) {
        if (value.abs().compareTo(LIMIT) >= 0) {
            throw new CommandRejectedException(ErrorCode.SCORE_OUT_OF_RANGE,
                    what + " " + value.toPlainString() + " is out of range: scores must stay strictly between "
                            + "-10^15 and 10^15");
        }
    }
}

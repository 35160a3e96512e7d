package io.scoreboard.httpedge.problem;

import java.util.Locale;
import java.util.Objects;

/**
 * One error answer of either service, as every client sees it ({@code application/problem+json},
 * RFC 9457): a stable {@code type} URI and upper-case {@code code} per kind of error, the
 * {@code title}, the {@code status} and a {@code detail} that says what to fix.
 */
public record Problem(int status, String type, String title, String detail, String code) {

    /** Every problem type starts with this; the rest is the code in kebab case. */
    public static final String TYPE_PREFIX = "urn:scoreboard:problem:";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(code, "code");
    }

    /** A problem whose type is derived from its code, as every scoreboard type is. */
    public static Problem of(int status, String code, String title, String detail) {
        return new Problem(status, typeOf(code), title, detail, code);
    }

    /** {@code SCOREBOARD_NOT_FOUND} → {@code urn:scoreboard:problem:scoreboard-not-found}. */
    public static String typeOf(String code) {
        return TYPE_PREFIX + code.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Problem withDetail(String newDetail) {
        return new Problem(status, type, title, newDetail, code);
    }
}

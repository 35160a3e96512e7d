package io.scoreboard.query.scoreboard;

/**
 * A whole-number query parameter with its allowed range and default. Parsed here rather than by
 * Spring's converter so that every bad value (not a number, too large for a long, out of range)
 * gets the same 400 detail naming the parameter and its range.
 */
record QueryParameter(String name, long min, long max, long defaultValue) {

    // Constants, so the OpenAPI annotations on the controller state the same ranges.
    static final String LIMIT_MIN = "1";
    static final String LIMIT_MAX = "1000";
    static final String LIMIT_DEFAULT = "100";
    static final String OFFSET_MIN = "0";
    static final String OFFSET_DEFAULT = "0";
    static final String RADIUS_MIN = "0";
    static final String RADIUS_MAX = "100";
    static final String RADIUS_DEFAULT = "2";
    static final String BEFORE_MIN = "1";

    static final QueryParameter LIMIT = new QueryParameter("limit", Long.parseLong(LIMIT_MIN),
            Long.parseLong(LIMIT_MAX), Long.parseLong(LIMIT_DEFAULT));
    static final QueryParameter OFFSET = new QueryParameter("offset", Long.parseLong(OFFSET_MIN), Long.MAX_VALUE,
            Long.parseLong(OFFSET_DEFAULT));
    static final QueryParameter RADIUS = new QueryParameter("radius", Long.parseLong(RADIUS_MIN),
            Long.parseLong(RADIUS_MAX), Long.parseLong(RADIUS_DEFAULT));

    /** History: changes below this position; by default all of them. */
    static final QueryParameter BEFORE = new QueryParameter("before", Long.parseLong(BEFORE_MIN), Long.MAX_VALUE,
            Long.MAX_VALUE);

    /** The value sent, or the default when the parameter is absent or empty ({@code ?limit=}). */
    long parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw invalid(raw);
        }
        if (value < min || value > max) {
            throw invalid(raw);
        }
        return value;
    }

    private InvalidQueryParameterException invalid(String raw) {
        String range = max == Long.MAX_VALUE ? "a whole number >= " + min
                : "a whole number from " + min + " to " + max;
        String byDefault = defaultValue == Long.MAX_VALUE ? "" : " (default " + defaultValue + ")";
        return new InvalidQueryParameterException(name + " must be " + range + byDefault + ", got '" + raw + "'");
    }
}

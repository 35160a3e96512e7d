package io.scoreboard.query.scoreboard;

/**
 * A whole-number query parameter with its allowed range and default. Parsed here rather than by
 * Spring's converter so that every bad value (not a number, too large for a long, out of range)
 * gets the same 400 detail naming the parameter and its range.
 */
record QueryParameter(String name, long min, long max, long defaultValue) {

    static final QueryParameter LIMIT = new QueryParameter("limit", 1, 1000, 100);
    static final QueryParameter OFFSET = new QueryParameter("offset", 0, Long.MAX_VALUE, 0);
    static final QueryParameter RADIUS = new QueryParameter("radius", 0, 100, 2);

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
        return new InvalidQueryParameterException(name + " must be " + range + " (default " + defaultValue
                + "), got '" + raw + "'");
    }
}

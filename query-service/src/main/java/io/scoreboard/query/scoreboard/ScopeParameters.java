package io.scoreboard.query.scoreboard;

import io.scoreboard.projections.scoreboard.ReadScope;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * {@code ?asOf=} (the board as it stood at an instant) and {@code ?from=&to=} (points scored in a
 * window), the one parameter object of every read that takes them: a controller names one
 * {@code @ParameterObject ScopeParameters} (taken from the query string by {@link Resolver}, documented field by field
 * in the OpenAPI document) and asks it for its {@link #scope()}. Every bad value gets a 400 naming the parameter and
 * the format. Raw text until then, so a bad value is refused by the same rules wherever it arrives.
 */
record ScopeParameters(
        @Parameter(description = AS_OF, schema = @Schema(type = "string", format = "date-time")) String asOf,
        @Parameter(description = FROM, schema = @Schema(type = "string", format = "date-time")) String from,
        @Parameter(description = TO, schema = @Schema(type = "string", format = "date-time")) String to) {

    static final String AS_OF = "the board as it stood at this instant (ISO-8601, e.g. "
            + "2026-11-24T18:00:00Z), from the read side's history";
    static final String FROM = "rank by the points scored at or after this instant (a windowed board; "
            + "without it: from the first event)";
    static final String TO = "rank by the points scored before this instant (a windowed board; without it: "
            + "no end)";

    /** A window without a start begins with the first event; without an end it has none. */
    static final Instant OPEN_START = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant OPEN_END = Instant.parse("9999-12-31T00:00:00Z");

    /** The scope these parameters ask for: now, an instant, or a window; 400 for a bad value or combination. */
    ReadScope scope() {
        return of(asOf, from, to);
    }

    /** Only {@code asOf}, for endpoints without windows. */
    static ReadScope of(String asOf) {
        return of(asOf, null, null);
    }

    static ReadScope of(String asOf, String from, String to) {
        Instant at = instant("asOf", asOf);
        Instant starts = instant("from", from);
        Instant ends = instant("to", to);
        if (at != null && (starts != null || ends != null)) {
            throw new InvalidQueryParameterException("asOf cannot be combined with from/to: asOf gives the board "
                    + "as it stood at an instant, from/to the points scored in a window; send one or the other");
        }
        if (at != null) {
            return ReadScope.asOf(at);
        }
        if (starts == null && ends == null) {
            return ReadScope.NOW;
        }
        Instant windowStart = starts == null ? OPEN_START : starts;
        Instant windowEnd = ends == null ? OPEN_END : ends;
        if (!windowStart.isBefore(windowEnd)) {
            throw new InvalidQueryParameterException("from must be before to (the window is from <= time < to), got "
                    + "from=" + from + " and to=" + to);
        }
        return ReadScope.window(windowStart, windowEnd);
    }

    /** An ISO-8601 instant ({@code 2026-11-24T18:00:00Z}) or date-time with offset; null when absent. */
    static Instant instant(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Instant value;
        try {
            value = OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidQueryParameterException(name + " must be an ISO-8601 instant with a zone, like "
                    + "2026-11-24T18:00:00Z or 2026-11-24T19:00:00+01:00, got '" + raw + "'");
        }
        if (value.isBefore(OPEN_START) || value.isAfter(OPEN_END)) {
            throw new InvalidQueryParameterException(name + " must lie between " + OPEN_START + " and " + OPEN_END
                    + ", got '" + raw + "'");
        }
        return value;
    }

    /** Hands a controller's {@code ScopeParameters} parameter its request's {@code asOf}, {@code from} and {@code to}. */
    static final class Resolver implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == ScopeParameters.class;
        }

        @Override
        public ScopeParameters resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                               NativeWebRequest request, WebDataBinderFactory binderFactory) {
            return new ScopeParameters(request.getParameter("asOf"), request.getParameter("from"),
                    request.getParameter("to"));
        }
    }
}

package io.scoreboard.httpedge.problem;

import org.springframework.http.HttpStatus;

/**
 * The errors of the HTTP layer itself, the same in both services: raised by Tomcat, Spring MVC or a
 * filter before (or instead of) a controller. A service's own errors have their own codes (e.g.
 * SCOREBOARD_NOT_FOUND); these are the rest. Codes and types are a stable contract.
 */
public enum HttpProblem {
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST,
            "The request could not be read (request line, URL encoding, headers or parameters); send a "
                    + "well-formed HTTP request as described at /v3/api-docs."),
    UNKNOWN_PATH(HttpStatus.NOT_FOUND,
            "There is no endpoint at this path; the API is described at /v3/api-docs."),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED,
            "This path does not accept this method; the Allow header lists the methods it does accept."),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE,
            "None of the media types in Accept can be produced here; accept application/json."),
    PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE,
            "The request body is larger than this service accepts; send a smaller body."),
    URI_TOO_LONG(HttpStatus.URI_TOO_LONG,
            "The request target is longer than this service accepts; send a shorter URL."),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "The request body's Content-Type is not accepted here; send Content-Type: application/json."),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS,
            "Too many requests of this kind; nothing was done. Retry after the Retry-After delay."),
    HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
            "The request headers are larger than this service accepts; send fewer or shorter headers."),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR,
            "An internal error occurred; nothing was changed unless a later read shows it. It has been logged."),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE,
            "The service cannot answer right now; retry shortly."),
    HTTP_VERSION_NOT_SUPPORTED(HttpStatus.HTTP_VERSION_NOT_SUPPORTED,
            "This HTTP version is not supported; send HTTP/1.1.");

    private final HttpStatus status;
    private final String detail;

    HttpProblem(HttpStatus status, String detail) {
        this.status = status;
        this.detail = detail;
    }

    public HttpStatus status() {
        return status;
    }

    public String typeUri() {
        return Problem.typeOf(name());
    }

    /** This problem with its standard detail. */
    public Problem problem() {
        return problem(detail);
    }

    public Problem problem(String specificDetail) {
        return new Problem(status.value(), typeUri(), status.getReasonPhrase(), specificDetail, name());
    }

    /**
     * The problem for an error known only by its status (Tomcat's own errors, a {@code sendError}):
     * one of the above, else a code and type derived from the status name (e.g. 408 →
     * REQUEST_TIMEOUT), so that every answer has all five members.
     */
    public static Problem forStatus(int status) {
        for (HttpProblem known : values()) {
            if (known.status.value() == status) {
                return known.problem();
            }
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        if (resolved == null) {
            return status >= 500
                    ? new Problem(status, INTERNAL_ERROR.typeUri(), "Error " + status, INTERNAL_ERROR.detail,
                    INTERNAL_ERROR.name())
                    : new Problem(status, MALFORMED_REQUEST.typeUri(), "Error " + status, MALFORMED_REQUEST.detail,
                    MALFORMED_REQUEST.name());
        }
        String code = resolved.name();
        String detail = status >= 500 ? "The service could not answer this request; retry later."
                : "The request was refused (" + resolved.getReasonPhrase() + "); see /v3/api-docs for what "
                + "this endpoint accepts.";
        return Problem.of(status, code, resolved.getReasonPhrase(), detail);
    }
}

package io.scoreboard.httpedge.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Base of each service's exception handler: Spring MVC's own errors (unknown path, wrong method,
 * unsupported media type, missing parameter …) get the type and code of their status
 * ({@link HttpProblem}) instead of {@code about:blank}, so they look like every other error.
 */
public abstract class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            ProblemResponses.complete(problem);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        ex.getBody().setDetail("There is no endpoint at " + ex.getHttpMethod() + " /" + ex.getResourcePath()
                + "; the API is described at /v3/api-docs.");
        ex.getBody().setType(java.net.URI.create(HttpProblem.UNKNOWN_PATH.typeUri()));
        ex.getBody().setProperty("code", HttpProblem.UNKNOWN_PATH.name());
        return super.handleNoResourceFoundException(ex, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
                                                                         HttpHeaders headers, HttpStatusCode status,
                                                                         WebRequest request) {
        String allowed = ex.getSupportedHttpMethods() == null ? "" : "; it accepts "
                + String.join(", ", ex.getSupportedHttpMethods().stream().map(Object::toString).toList());
        ex.getBody().setDetail(ex.getMethod() + " is not supported at this path" + allowed
                + " (the Allow header lists them).");
        return super.handleHttpRequestMethodNotSupported(ex, headers, status, request);
    }
}

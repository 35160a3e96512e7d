package io.scoreboard.httpedge.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes a {@link Problem} where Spring MVC's message converters are not at hand: in servlet
 * filters, on Spring Boot's error path and in Tomcat's error report valve. The same members, in the
 * same order, as Spring writes a {@link ProblemDetail}.
 */
public final class ProblemResponses {

    /**
     * Plain on purpose: a problem is strings and one number, and this runs even where Spring has not
     * started. Non-ASCII is escaped, so the body reads the same whatever charset a writer assumes.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

    private ProblemResponses() {
    }

    /** The JSON body: type, title, status, detail, instance (when known), code. */
    public static byte[] body(Problem problem, String instance) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.type());
        members.put("title", problem.title());
        members.put("status", problem.status());
        members.put("detail", problem.detail());
        if (instance != null) {
            members.put("instance", instance);
        }
        members.put("code", problem.code());
        try {
            return JSON.writeValueAsBytes(members);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /**
     * Replaces whatever the response holds (headers already set, such as Retry-After, stay) with the
     * problem. Does nothing to a response already sent.
     */
    public static void write(HttpServletResponse response, Problem problem, String instance) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        byte[] bytes = body(problem, instance);
        response.resetBuffer();
        response.setStatus(problem.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    /** The problem as Spring MVC's body type, for exception handlers. */
    public static ProblemDetail toProblemDetail(Problem problem) {
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(
                org.springframework.http.HttpStatusCode.valueOf(problem.status()), problem.detail());
        detail.setType(URI.create(problem.type()));
        detail.setTitle(problem.title());
        detail.setProperty("code", problem.code());
        return detail;
    }

    /**
     * Completes a problem made by Spring MVC itself (type {@code about:blank}, no code): the type and
     * code of its status; the detail Spring wrote is kept when it has one.
     */
    public static ProblemDetail complete(ProblemDetail detail) {
        if (detail.getProperties() != null && detail.getProperties().containsKey("code")) {
            return detail;
        }
        Problem standard = HttpProblem.forStatus(detail.getStatus());
        if (detail.getType() == null || "about:blank".equals(detail.getType().toString())) {
            detail.setType(URI.create(standard.type()));
        }
        if (detail.getTitle() == null) {
            detail.setTitle(standard.title());
        }
        if (detail.getDetail() == null || detail.getDetail().isBlank()) {
            detail.setDetail(standard.detail());
        }
        detail.setProperty("code", standard.code());
        return detail;
    }
}

package io.scoreboard.httpedge.problem;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;
import org.springframework.http.MediaType;

/**
 * Tomcat's last word on an error no application code answered: a request Tomcat refused before
 * any servlet ran (a bad character in the request target, oversized headers, a malformed request
 * line). Tomcat's own valve writes an HTML page there; this one writes the problem+json every other
 * error has. Installed as the host's error report valve ({@code HttpEdgeConfiguration}), so Tomcat
 * makes it with its no-argument constructor.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As Tomcat's valve: nothing for a success, nothing once a body was written or reported.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        if (status == 400 && isRequestHeaderTooLarge(throwable)) {
            // Tomcat 10.1 answers oversized request headers with a bare 400; the status that says so is 431.
            response.setStatus(431);
            status = 431;
        }
        Problem problem = HttpProblem.forStatus(status);
        String reason = throwable != null ? throwable.getMessage() : response.getMessage();
        if (status < 500 && reason != null && !reason.isBlank()) {
            problem = problem.withDetail(reason.strip() + (reason.strip().endsWith(".") ? " " : ". ")
                    + problem.detail());
        }
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            Writer writer = response.getReporter();
            if (writer != null) {
                // The body is ASCII (ProblemResponses escapes the rest), so the writer's charset cannot change it.
                writer.write(new String(ProblemResponses.body(problem, null), StandardCharsets.US_ASCII));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was taken over: nothing more to say.
        }
    }

    /** Tomcat's own message for it, in the locale Tomcat uses, so that no translation can hide it. */
    private static final String REQUEST_HEADER_TOO_LARGE =
            StringManager.getManager("org.apache.coyote.http11").getString("iib.requestheadertoolarge.error");

    private static boolean isRequestHeaderTooLarge(Throwable throwable) {
        return throwable instanceof IllegalArgumentException && REQUEST_HEADER_TOO_LARGE != null
                && REQUEST_HEADER_TOO_LARGE.equals(throwable.getMessage());
    }
}

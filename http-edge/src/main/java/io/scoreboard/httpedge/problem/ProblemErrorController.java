package io.scoreboard.httpedge.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Boot's error path ({@code /error}), replacing its {@code BasicErrorController}: what the
 * servlet container forwards here — an exception thrown by a filter, a {@code sendError} outside
 * Spring MVC, a URL the container refused — is answered as problem+json whatever the client
 * accepts, never as a whitelabel page or Boot's own JSON.
 */
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (statusAttribute == null) {
            // Asked for directly, not forwarded by the container: there is no such endpoint.
            ProblemResponses.write(response, HttpProblem.UNKNOWN_PATH.problem(), request.getRequestURI());
            return;
        }
        int status = (Integer) statusAttribute;
        Throwable error = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Problem problem = HttpProblem.forStatus(status);
        if (status >= 500) {
            log.error("{} answered {} outside the controllers", uri, status, error);
        } else {
            String message = (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            if (message != null && !message.isBlank() && !message.equals(problem.title())) {
                problem = problem.withDetail(message + ". " + problem.detail());
            }
        }
        ProblemResponses.write(response, problem, uri);
    }
}

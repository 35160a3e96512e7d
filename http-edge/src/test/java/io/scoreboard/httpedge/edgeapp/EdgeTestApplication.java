package io.scoreboard.httpedge.edgeapp;

import io.scoreboard.httpedge.HttpEdgeConfiguration;
import io.scoreboard.httpedge.problem.HttpProblem;
import io.scoreboard.httpedge.problem.ProblemExceptionHandler;
import io.scoreboard.httpedge.problem.ProblemResponses;
import io.scoreboard.httpedge.ratelimit.Limit;
import io.scoreboard.httpedge.ratelimit.RateLimitedAnswer;
import io.scoreboard.httpedge.ratelimit.Verdict;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The smallest service with the HTTP edge: one resource, a failing filter, a failing handler, and a
 * path that is always over its rate limit ({@code /limited}).
 */
@SpringBootApplication
@Import(HttpEdgeConfiguration.class)
class EdgeTestApplication {

    @RestController
    static class Things {

        @GetMapping("/things/{id}")
        Map<String, Object> thing(@PathVariable long id) {
            return Map.of("id", id);
        }

        @PostMapping(path = "/things", consumes = "application/json")
        Map<String, Object> create(@RequestBody Map<String, Object> thing) {
            return thing;
        }

        @GetMapping("/broken")
        Map<String, Object> broken() {
            throw new IllegalStateException("a bug, not to be shown to the client");
        }
    }

    @RestControllerAdvice
    static class Problems extends ProblemExceptionHandler {

        @ExceptionHandler(Exception.class)
        ProblemDetail unexpected(Exception e) throws Exception {
            if (e instanceof org.springframework.web.ErrorResponse) {
                throw e;
            }
            return ProblemResponses.toProblemDetail(HttpProblem.INTERNAL_ERROR.problem());
        }
    }

    /** A filter that fails on one path, outside Spring MVC. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> failingFilter() {
        return new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws java.io.IOException, jakarta.servlet.ServletException {
                if (request.getRequestURI().equals("/filter-fails")) {
                    throw new IllegalStateException("a filter bug");
                }
                if (request.getRequestURI().equals("/filter-sends-error")) {
                    response.sendError(HttpStatus.CONFLICT.value(), "the filter refused");
                    return;
                }
                chain.doFilter(request, response);
            }
        });
    }

    /** Refuses every request to {@code /limited} as a rate limit would, with a Retry-After of 5 s. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> alwaysLimited(RateLimitedAnswer refusal) {
        Limit limit = new Limit(1, java.time.Duration.ofHours(1), 1L);
        return new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws java.io.IOException, jakarta.servlet.ServletException {
                if (request.getRequestURI().equals("/limited")) {
                    refusal.send(request, response, new Verdict(false, 5), "requests to /limited", limit,
                            "test.limit");
                    return;
                }
                chain.doFilter(request, response);
            }
        });
    }
}

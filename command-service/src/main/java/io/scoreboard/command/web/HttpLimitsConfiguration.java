package io.scoreboard.command.web;

import io.scoreboard.httpedge.ratelimit.ClientAddresses;
import io.scoreboard.httpedge.ratelimit.RateLimitProperties;
import io.scoreboard.httpedge.ratelimit.RateLimitedAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the rate limits and then the body size limit, the first filters to look at a request. */
@Configuration(proxyBeanMethods = false)
class HttpLimitsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(HttpLimitsConfiguration.class);

    /**
     * Just after the character-encoding filter and request observation (so refusals are still
     * counted in http.server.requests), before anything that may read the body.
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /** Before the size limit: a refused request costs not even the reading of its body. */
    static final int RATE_LIMIT_ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(HttpProperties properties) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties));
        registration.setName("requestSizeLimitFilter");
        registration.setOrder(ORDER);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    FilterRegistrationBean<CommandRateLimitFilter> commandRateLimitFilter(RateLimitProperties settings,
                                                                          CommandRateLimits limits,
                                                                          ClientAddresses clients,
                                                                          RateLimitedAnswer refusal) {
        FilterRegistrationBean<CommandRateLimitFilter> registration = new FilterRegistrationBean<>(
                new CommandRateLimitFilter(limits, settings.maxTrackedKeys(), clients, refusal));
        registration.setName("commandRateLimitFilter");
        registration.setOrder(RATE_LIMIT_ORDER);
        registration.addUrlPatterns("/*");
        registration.setEnabled(settings.enabled());
        if (settings.enabled()) {
            log.info("rate limits: writes per board {}, board creations per address {}, failed authentications "
                            + "per address {}", limits.boardWrites(), limits.boardCreations(),
                    limits.failedAuthentications());
        } else {
            log.warn("rate limits are OFF (scoreboard.rate-limits.enabled=false or SCOREBOARD_RATE_LIMITS=off)");
        }
        return registration;
    }
}

package io.scoreboard.query.web;

import io.scoreboard.httpedge.ratelimit.ClientAddresses;
import io.scoreboard.httpedge.ratelimit.RateLimitProperties;
import io.scoreboard.httpedge.ratelimit.RateLimitedAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the expensive-read limits as the first filter after request observation. */
@Configuration(proxyBeanMethods = false)
class QueryRateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(QueryRateLimitConfiguration.class);

    /** After the character-encoding filter and request observation (refusals are still counted), before the rest. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

    @Bean
    FilterRegistrationBean<QueryRateLimitFilter> queryRateLimitFilter(RateLimitProperties settings,
                                                                      QueryRateLimits limits,
                                                                      ClientAddresses clients,
                                                                      RateLimitedAnswer refusal) {
        FilterRegistrationBean<QueryRateLimitFilter> registration = new FilterRegistrationBean<>(
                new QueryRateLimitFilter(limits, settings.maxTrackedKeys(), clients, refusal));
        registration.setName("queryRateLimitFilter");
        registration.setOrder(ORDER);
        registration.addUrlPatterns("/*");
        registration.setEnabled(settings.enabled());
        if (settings.enabled()) {
            log.info("rate limits: expensive reads per address {}, in total {}", limits.expensiveReadsPerClient(),
                    limits.expensiveReadsTotal());
        } else {
            log.warn("rate limits are OFF (scoreboard.rate-limits.enabled=false or SCOREBOARD_RATE_LIMITS=off)");
        }
        return registration;
    }
}

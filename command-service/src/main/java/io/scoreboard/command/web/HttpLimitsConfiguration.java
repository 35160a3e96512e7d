package io.scoreboard.command.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the body size limit as the first filter to look at a request's body. */
@Configuration(proxyBeanMethods = false)
class HttpLimitsConfiguration {

    /**
     * Just after the character-encoding filter and request observation (so refusals are still
     * counted in http.server.requests), before anything that may read the body.
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(HttpProperties properties, ObjectMapper json) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(properties, json));
        registration.setName("requestSizeLimitFilter");
        registration.setOrder(ORDER);
        registration.addUrlPatterns("/*");
        return registration;
    }
}

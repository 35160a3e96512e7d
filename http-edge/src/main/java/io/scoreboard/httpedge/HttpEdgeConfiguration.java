package io.scoreboard.httpedge;

import io.scoreboard.httpedge.problem.ProblemErrorController;
import io.scoreboard.httpedge.problem.ProblemErrorReportValve;
import io.scoreboard.httpedge.ratelimit.ClientAddresses;
import io.scoreboard.httpedge.ratelimit.DelayedRefusals;
import io.scoreboard.httpedge.ratelimit.RateLimitProperties;
import io.scoreboard.httpedge.ratelimit.RateLimitedAnswer;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a service imports to answer at its HTTP edge like the other: the problem+json error path
 * (replacing Spring Boot's), Tomcat's error report valve, and the rate-limit settings every
 * service shares ({@code scoreboard.rate-limits.enabled}, {@code .trusted-proxies},
 * {@code .max-tracked-keys}, {@code .refusal-delay}, {@code .max-delayed-refusals}) with the 429 answer
 * they share.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
public class HttpEdgeConfiguration {

    @Bean
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    /** Tomcat makes the host's valve itself when it starts; it only needs the class name before that. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    @Bean(destroyMethod = "close")
    DelayedRefusals delayedRefusals(RateLimitProperties properties) {
        return new DelayedRefusals(properties.refusalDelay(), properties.maxDelayedRefusals());
    }

    @Bean
    RateLimitedAnswer rateLimitedAnswer(DelayedRefusals delayedRefusals) {
        return new RateLimitedAnswer(delayedRefusals);
    }

    @Bean
    ClientAddresses clientAddresses(RateLimitProperties properties) {
        return new ClientAddresses(properties.trustedProxies());
    }
}

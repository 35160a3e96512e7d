package io.scoreboard.query.scoreboard;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets controllers take {@code asOf}/{@code from}/{@code to} as one {@link ScopeParameters} parameter. */
@Configuration(proxyBeanMethods = false)
class ScopeParametersConfiguration implements WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ScopeParameters.Resolver());
    }
}

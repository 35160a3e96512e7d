package io.scoreboard.command.scoreboard.api;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets controllers take the write headers as one {@link WriteHeaders} parameter. */
@Configuration(proxyBeanMethods = false)
class WriteHeadersConfiguration implements WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new WriteHeaders.Resolver());
    }
}

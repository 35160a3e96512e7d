package io.scoreboard.query.access;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every API request that names a board passes the private-board check first (ADR 0041). The live page
 * ({@code /boards/{id}}) is the same static bytes for every id and says nothing about the board: it learns from the
 * API, with the {@code ?token=} it was opened with, whether the board exists, so a private board's page without a
 * token shows "This board does not exist" exactly as a board that does not exist.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration implements WebMvcConfigurer {

    private final PrivateBoards privateBoards;

    AccessConfiguration(PrivateBoards privateBoards) {
        this.privateBoards = privateBoards;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new PrivateBoardInterceptor(privateBoards)).addPathPatterns("/api/**");
    }
}

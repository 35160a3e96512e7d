package io.scoreboard.command.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Optional;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The command API's OpenAPI description, served at {@code /v3/api-docs} and browsable at
 * {@code /swagger-ui.html}. The operations come from the controllers as they are; this adds what
 * the controllers cannot say: what the service is, and that writes to an existing board need the
 * board's bearer token.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /** Name of the security scheme in {@code components.securitySchemes}. */
    public static final String BEARER_SCHEME = "boardToken";

    private static final String BOARD_PATHS = "/api/v1/scoreboards/{";

    @Bean
    OpenAPI scoreboardCommandOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Scoreboard command API")
                        .version(version())
                        .description("""
                                Write side of the event-sourced scoreboard (REST contract v1). Every accepted \
                                write is an immutable event, committed in PostgreSQL and (durability mode \
                                `replicated`, the default) acknowledged by Kafka before the answer is sent; \
                                `position` in a response is the global event-store position of the last event \
                                the command appended (pass it as `minPosition` to the query API to read your \
                                write).

                                Writes to an existing board need `Authorization: Bearer <token>` with a token \
                                from the board's creation: the admin token (`sba_…`) may do everything, the \
                                scorekeeper token (`sbs_…`) only score changes, set score, rounds and undo. \
                                Missing → 401, wrong or not allowed → 403, unknown board → 404. Optional \
                                `If-Match: "<version>"` → 412 when the board has moved on. Request bodies are \
                                limited (`scoreboard.http.max-body-size`, default 64 KiB) → 413.

                                Errors are `application/problem+json` (RFC 9457) with a stable `type`, a \
                                `code` and a `detail` that says what to fix."""))
                .components(new Components().addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("The board's admin token (sba_…) or scorekeeper token (sbs_…), "
                                + "returned once by POST /api/v1/scoreboards; only its hash is stored.")));
    }

    /**
     * Marks every operation on an existing board (path below {@code /api/v1/scoreboards/{id}}) as
     * needing the bearer token; creating a board needs none.
     */
    @Bean
    OpenApiCustomizer boardWritesNeedTheBearerToken() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (path.startsWith(BOARD_PATHS)) {
                    item.readOperations().forEach(operation ->
                            operation.addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME)));
                }
            });
        };
    }

    private static String version() {
        return Optional.ofNullable(OpenApiConfiguration.class.getPackage().getImplementationVersion()).orElse("v1");
    }
}

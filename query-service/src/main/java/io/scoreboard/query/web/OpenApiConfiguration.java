package io.scoreboard.query.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Optional;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The query API's OpenAPI description, served at {@code /v3/api-docs} and browsable at
 * {@code /swagger-ui.html}. The operations come from the controllers as they are; this adds what
 * the service is and that errors are problem+json.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    private static final String PROBLEM_SCHEMA = "Problem";

    @Bean
    OpenAPI scoreboardQueryOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Scoreboard query API")
                        .version(version())
                        .description("""
                                Read side of the event-sourced scoreboard (REST contract v1): boards, \
                                leaderboards and history, projected from the Kafka event topic into the read \
                                database. A public board needs no authentication; a private board's reads need \
                                one of its tokens (`Authorization: Bearer <token>`, or `?token=`), else they \
                                answer `404` exactly as for a board that does not exist.

                                Read-your-writes: pass the `position` of a command response as \
                                `?minPosition=`; the answer waits a few seconds for the projections to reach \
                                it, else `503` with `Retry-After`. Every response carries \
                                `X-Projection-Position`, the event position it reflects. A deleted board \
                                answers `404` here (its history stays in the event store).

                                Expensive reads (CSV exports, `asOf`, `from`/`to`, `minPosition`) are rate \
                                limited per client address and per instance → `429` with `Retry-After`.

                                Every error, also an unknown path, a wrong method or a request the server \
                                cannot parse, is `application/problem+json` (RFC 9457) with a stable `type` \
                                (`urn:scoreboard:problem:<code>`), `title`, `status`, a `detail` that says \
                                what to fix and a stable upper-case `code` (e.g. SCOREBOARD_NOT_FOUND, \
                                INVALID_PARAMETER, PROJECTION_BEHIND, RATE_LIMITED)."""))
                .components(new Components().addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("Any working token of a private board (admin sba_…, scorekeeper sbs_…, reader "
                                + "sbr_…); a public board needs none")));
    }

    /** Name of the (optional) security scheme in {@code components.securitySchemes}. */
    public static final String BEARER_SCHEME = "boardToken";

    /** On every API operation: the problem+json answers for 4xx and 5xx. */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(PROBLEM_SCHEMA, new ObjectSchema()
                    .description("RFC 9457 problem details")
                    .addProperty("type", new StringSchema().format("uri"))
                    .addProperty("title", new StringSchema().example("Scoreboard not found"))
                    .addProperty("status", new IntegerSchema().example(404))
                    .addProperty("detail", new StringSchema().description("what went wrong and what to do instead"))
                    .addProperty("instance", new StringSchema().format("uri-reference"))
                    .addProperty("code", new StringSchema().description("stable error code, e.g. SCOREBOARD_NOT_FOUND"))
                    .required(java.util.List.of("type", "title", "status", "detail", "code")));
            openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
                if (isExpensive(path, operation)) {
                    operation.getResponses().addApiResponse("429", problemResponse("Too many expensive reads "
                            + "(CSV exports, asOf, from/to, minPosition): from this client address (default 10 per "
                            + "second, bursts of 20) or on this instance in total (default 100 per second). Code "
                            + "RATE_LIMITED; configurable (scoreboard.rate-limits.expensive-reads-*, 0 turns one off).")
                            .addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                                    .description("whole seconds (at least 1) until a retry can pass")
                                    .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE))));
                }
                exactSuccess(path, operation);
                if (path.startsWith("/api/v1/scoreboards/{scoreboardId}")) {
                    // Optional: none for a public board, a token of the board for a private one.
                    operation.addSecurityItem(new SecurityRequirement());
                    operation.addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
                }
                operation.getResponses()
                            .addApiResponse("4XX", problemResponse("Refused: the problem's detail says what to fix"))
                            .addApiResponse("5XX", problemResponse("Not available now (e.g. 503 with Retry-After "
                                    + "while the projections have not reached minPosition)"));
            }));
        };
    }

    /**
     * A success's real media type instead of springdoc's {@code *}{@code /*} (the controllers declare no
     * {@code produces}, so that a problem can still be negotiated): CSV for the exports, an event stream for the
     * live board, JSON with its schema for the rest; and the {@code 304} a conditional read may get.
     */
    static void exactSuccess(String path, Operation operation) {
        ApiResponse ok = operation.getResponses().get("200");
        if (ok == null) {
            return;
        }
        if (ok.getContent() == null) {
            ok.setContent(new Content()); // a handler that writes its own answer (the exports, the live stream)
        }
        io.swagger.v3.oas.models.media.MediaType any = ok.getContent().remove("*/*");
        if (path.endsWith(".ndjson")) {
            ok.getContent().addMediaType("application/x-ndjson", new io.swagger.v3.oas.models.media.MediaType()
                    .schema(new StringSchema().description("one JSON object per line (LF)")));
        } else if (path.endsWith(".csv")) {
            ok.getContent().addMediaType("text/csv", new io.swagger.v3.oas.models.media.MediaType()
                    .schema(new StringSchema().description("RFC 4180, UTF-8, CRLF; a header row first")));
        } else if (path.endsWith("/live")) {
            ok.getContent().addMediaType(MediaType.TEXT_EVENT_STREAM_VALUE, new io.swagger.v3.oas.models.media.MediaType()
                    .schema(new StringSchema().description("server-sent events: snapshot, then change (docs/api.md)")));
        } else if (any != null) {
            ok.getContent().addMediaType(MediaType.APPLICATION_JSON_VALUE, any);
            if (path.startsWith("/api/v1/scoreboards/{scoreboardId}")) {
                operation.getResponses().addApiResponse("304", new ApiResponse().description("Not modified: the board "
                        + "is still at the version If-None-Match names"));
            }
        }
    }

    /** The operations QueryRateLimitFilter can refuse: exports, and those taking asOf, from/to or minPosition. */
    static boolean isExpensive(String path, Operation operation) {
        return QueryRateLimitFilter.isExportPath(path) || (operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> "query".equals(p.getIn())
                        && QueryRateLimitFilter.EXPENSIVE_PARAMETERS.contains(p.getName())));
    }

    private static ApiResponse problemResponse(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new io.swagger.v3.oas.models.media.MediaType().schema(new Schema<>().$ref(PROBLEM_SCHEMA))));
    }

    private static String version() {
        return Optional.ofNullable(OpenApiConfiguration.class.getPackage().getImplementationVersion()).orElse("v1");
    }
}

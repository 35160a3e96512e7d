package io.scoreboard.command.web;

import io.scoreboard.command.scoreboard.api.WriteHeaders;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Optional;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

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
    private static final String CREATE_PATH = "/api/v1/scoreboards";
    private static final String PROBLEM_SCHEMA = "Problem";

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
                                limited (`scoreboard.http.max-body-size`, default 64 KiB) → 413. A write waits for other writes to the same board at most `scoreboard.commands.board-lock-timeout` (2 s) → 503 `BOARD_BUSY` with `Retry-After`, nothing stored.

                                `Idempotency-Key` (any write) returns the first response to a retry, for the credential that sent it: the same key from another token is a new request. A create's key is its own credential and must carry at least 128 random bits (a UUID v4, 32+ hex digits or 22+ base64url characters) → else 400. A create that is stored but not acknowledged by Kafka within the ack timeout answers 202 with its normal body (tokens included) plus `"replication": "pending"`; other writes answer 503 with `Retry-After` then (stored; retry with the same key).
                                Rate limits (per board, per client address; see the 429 responses) → 429 with `Retry-After`, before anything runs.

                                Every error, also an unknown path, a wrong method or a request the server \
                                cannot parse, is `application/problem+json` (RFC 9457) with a stable `type` \
                                (`urn:scoreboard:problem:<code>`), `title`, `status`, a `detail` that says \
                                what to fix and a stable upper-case `code`."""))
                .components(new Components().addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("The board's admin token (sba_…) or scorekeeper token (sbs_…), "
                                + "returned once by POST /api/v1/scoreboards; only its hash is stored.")));
    }

    /**
     * On every API operation: the bearer token where the path names an existing board (creating a
     * board needs none; the Authorization header parameter is dropped, the scheme stands for it),
     * and the problem+json answers for 4xx and 5xx.
     */
    @Bean
    OpenApiCustomizer boardTokenAndProblemResponses() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (path.startsWith(BOARD_PATHS)) {
                    operation.addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
                    if (operation.getParameters() != null) {
                        operation.getParameters().removeIf(p ->
                                "header".equals(p.getIn()) && HttpHeaders.AUTHORIZATION.equalsIgnoreCase(p.getName()));
                    }
                }
                if (path.equals(CREATE_PATH) && operation == item.getPost()) {
                    operation.getResponses().addApiResponse("202", new ApiResponse().description("Stored, but Kafka has "
                            + "not acknowledged it within the ack timeout: the create's body (keep the tokens) plus "
                            + "\"replication\": \"pending\"; the board is usable at once")
                            .content(new Content().addMediaType(MediaType.APPLICATION_JSON_VALUE,
                                    new io.swagger.v3.oas.models.media.MediaType().schema(new ComposedSchema()
                                            .addAllOfItem(new Schema<>().$ref("CreateScoreboardResponse"))
                                            .addAllOfItem(new ObjectSchema().addProperty("replication",
                                                    new StringSchema()._enum(java.util.List.of("pending")))
                                                    .required(java.util.List.of("replication")))))));
                }
                String rateLimits = rateLimitsOf(path, method);
                if (rateLimits != null) {
                    operation.getResponses().addApiResponse("429", problemResponse(rateLimits)
                            .addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                                    .description("whole seconds (at least 1) until a retry can pass")
                                    .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE))));
                }
                operation.getResponses()
                        .addApiResponse("4XX", problemResponse("Refused: the problem's detail says what to fix"))
                        .addApiResponse("5XX", problemResponse("Not done now (503 with Retry-After: Kafka has not "
                                + "acknowledged, the board is busy, the store is unreachable) or an internal error"));
            }));
        };
    }

    static {
        // A controller's WriteHeaders parameter is the request's headers, not a query object: the operation
        // customizer below lists the headers themselves.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(WriteHeaders.class);
    }

    /**
     * The headers a {@link WriteHeaders} parameter stands for, on every operation that takes one: If-Match and
     * Idempotency-Key on writes (Authorization is the security scheme, added above).
     */
    @Bean
    OperationCustomizer writeHeaders() {
        return (operation, handler) -> {
            boolean takesWriteHeaders = java.util.Arrays.stream(handler.getMethodParameters())
                    .anyMatch(p -> p.getParameterType() == WriteHeaders.class);
            boolean read = handler.hasMethodAnnotation(org.springframework.web.bind.annotation.GetMapping.class);
            if (takesWriteHeaders && !read) {
                operation.addParametersItem(new HeaderParameter().name(HttpHeaders.IF_MATCH).required(false)
                        .description("The board version this write expects, as the ETag of a response shows it "
                                + "(\"7\"); 412 VERSION_MISMATCH when the board has moved on")
                        .schema(new StringSchema().example("\"7\"")));
                operation.addParametersItem(new HeaderParameter().name(WriteHeaders.IDEMPOTENCY_KEY).required(false)
                        .description("1–255 visible ASCII characters: a retry with the same key from the same "
                                + "token answers the first response and appends nothing (kept 25 h)")
                        .schema(new StringSchema().maxLength(255)));
            }
            return operation;
        };
    }

    /** Which limits apply to an operation (CommandRateLimitFilter), in words; null for none. */
    static String rateLimitsOf(String path, PathItem.HttpMethod method) {
        String common = " Code RATE_LIMITED; nothing was done. Limits are per instance and configurable "
                + "(scoreboard.rate-limits.*, 0 turns one off).";
        if (method == PathItem.HttpMethod.GET || method == PathItem.HttpMethod.HEAD
                || method == PathItem.HttpMethod.OPTIONS) {
            return null;
        }
        if (path.equals("/api/v1/scoreboards") && method == PathItem.HttpMethod.POST) {
            return "Too many board creations from this client address (default 60 per minute), or too many "
                    + "failed authentications from it (default 10 per second)." + common;
        }
        if (path.startsWith(BOARD_PATHS)) {
            return "Too many writes to this board (default 20 per second, bursts of 100, all clients together), "
                    + "or too many failed authentications (401/403) from this client address (default 10 per "
                    + "second; while used up, every write from it is refused)." + common;
        }
        return null;
    }

    private static ApiResponse problemResponse(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new io.swagger.v3.oas.models.media.MediaType().schema(new Schema<>().$ref(PROBLEM_SCHEMA))));
    }

    /** RFC 9457 problem details as ProblemDetailsHandler writes them, with the stable {@code code}. */
    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri").example("urn:scoreboard:problem:forbidden"))
                .addProperty("title", new StringSchema().example("Forbidden"))
                .addProperty("status", new IntegerSchema().example(403))
                .addProperty("detail", new StringSchema().description("what went wrong and what to do instead"))
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .addProperty("code", new StringSchema().description("stable error code, e.g. VERSION_MISMATCH"))
                .required(java.util.List.of("type", "title", "status", "detail", "code"));
    }

    private static String version() {
        return Optional.ofNullable(OpenApiConfiguration.class.getPackage().getImplementationVersion()).orElse("v1");
    }
}

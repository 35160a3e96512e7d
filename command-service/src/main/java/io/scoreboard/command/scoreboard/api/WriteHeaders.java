package io.scoreboard.command.scoreboard.api;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * The headers every write to an existing board shares, taken from the request in one place ({@link Resolver}): a
 * controller names one {@code WriteHeaders} parameter instead of three {@code @RequestHeader}s. They are parsed when
 * asked, so a write checks them in the order it always did (the token first). The OpenAPI document still lists
 * them on every such operation (OpenApiConfiguration adds them).
 *
 * @param authorization  {@code Authorization}, raw
 * @param ifMatch        {@code If-Match}, raw (absent: any version)
 * @param idempotencyKey {@code Idempotency-Key}, raw (checked by the write's execution)
 */
public record WriteHeaders(String authorization, String ifMatch, String idempotencyKey) {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** The hash of the presented bearer token: 401 when there is none. */
    String tokenHash() {
        return CommandRequests.tokenHash(authorization);
    }

    /** The version {@code If-Match} names, or null: 400 when it names none. */
    Long expectedVersion() {
        return CommandRequests.expectedVersion(ifMatch);
    }

    /** Hands a controller's {@code WriteHeaders} parameter its request's headers. */
    static final class Resolver implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == WriteHeaders.class;
        }

        @Override
        public WriteHeaders resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                            NativeWebRequest request, WebDataBinderFactory binderFactory) {
            return new WriteHeaders(request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader(HttpHeaders.IF_MATCH),
                    request.getHeader(IDEMPOTENCY_KEY));
        }
    }
}

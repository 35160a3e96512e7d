package io.scoreboard.query.web;

import java.util.Collections;
import org.springframework.http.ETag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * How every query answer about a board is sent: the board's version as a strong {@code ETag}
 * ({@code "7"}), {@code 304 Not Modified} without a body when {@code If-None-Match} names it (one
 * tag, a list, or {@code *}), and the projection position the answer reflects.
 *
 * <p>Checked here rather than left to Spring MVC's own If-None-Match handling because Spring
 * deliberately ignores {@code *} on GET, while RFC 9110 §13.1.2 makes it match any current
 * representation.
 */
public final class BoardVersionTag {

    private BoardVersionTag() {
    }

    public static <T> ResponseEntity<T> answer(ServletWebRequest request, long projectionPosition, long version,
                                               T body) {
        // The filter stamped the position before any minPosition wait; state the one this answer reflects.
        ProjectionPositionFilter.stamp(request.getResponse(), projectionPosition);
        ETag current = new ETag(Long.toString(version), false);
        if (matches(request, current)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(current.formattedTag()).build();
        }
        return ResponseEntity.ok().eTag(current.formattedTag()).body(body);
    }

    /** The same for an answer already written as JSON (a kept page): sent as it is, labelled JSON. */
    public static ResponseEntity<byte[]> answerJson(ServletWebRequest request, long projectionPosition, long version,
                                                    byte[] json) {
        ResponseEntity<byte[]> answer = answer(request, projectionPosition, version, json);
        return answer.hasBody()
                ? ResponseEntity.ok().eTag(answer.getHeaders().getETag()).contentType(MediaType.APPLICATION_JSON).body(json)
                : answer;
    }

    private static boolean matches(ServletWebRequest request, ETag current) {
        for (String header : Collections.list(request.getRequest().getHeaders(HttpHeaders.IF_NONE_MATCH))) {
            for (ETag requested : ETag.parse(header)) {
                // If-None-Match uses the weak comparison (RFC 9110 §13.1.2).
                if (requested.isWildcard() || requested.compare(current, false)) {
                    return true;
                }
            }
        }
        return false;
    }
}

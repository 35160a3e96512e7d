package io.scoreboard.httpedge.edgeapp;

import static io.scoreboard.httpedge.RawHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.httpedge.RawHttp;
import io.scoreboard.httpedge.RawHttp.Response;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every error a service can give before, around or instead of its controllers is problem+json with
 * all five members, sent over a raw socket so that nothing is cleaned up on the way.
 */
@SpringBootTest(classes = EdgeTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemContractTest {

    @LocalServerPort
    private int port;

    @Test
    void aResourceStillAnswers() {
        Response ok = RawHttp.get(port, "/things/7");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("id").asLong()).isEqualTo(7);
    }

    @Test
    void unknownPath_404() {
        assertThat(assertProblem(RawHttp.get(port, "/nowhere"), 404, "UNKNOWN_PATH").path("detail").asText())
                .contains("/nowhere");
    }

    @Test
    void unknownPath_whenTheClientAcceptsOnlyHtml_isStillProblemJson() {
        assertProblem(RawHttp.get(port, "/nowhere", "Accept: text/html"), 404, "UNKNOWN_PATH");
    }

    @Test
    void wrongMethod_405_withAllow() {
        Response response = RawHttp.send(port, "DELETE /things/7 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertProblem(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(response.header("Allow")).contains("GET");
    }

    @Test
    void badPercentEncodingInThePath_400() {
        assertProblem(RawHttp.get(port, "/things/%zz"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void wrongTypeOfPathVariable_400() {
        assertProblem(RawHttp.get(port, "/things/seven"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void aBareBraceInTheRequestLine_400() {
        assertProblem(RawHttp.get(port, "/{"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void aMethodWithAnInvalidCharacter_400() {
        assertProblem(RawHttp.send(port, "G{T /things/7 HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void a20KbHeader_isRefusedAsProblemJson() {
        Response response = RawHttp.get(port, "/things/7", RawHttp.largeHeader(20 * 1024));
        assertProblem(response, 431, "HEADERS_TOO_LARGE");
    }

    @Test
    void unsupportedMediaType_415() {
        String body = "{}";
        assertProblem(RawHttp.send(port, "POST /things HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body), 415,
                "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void unreadableBody_400() {
        String body = "{not json";
        assertProblem(RawHttp.send(port, "POST /things HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body), 400, "MALFORMED_REQUEST");
    }

    @Test
    void aFailingHandler_500_withoutInternals() {
        Response response = RawHttp.get(port, "/broken");
        assertProblem(response, 500, "INTERNAL_ERROR");
        assertThat(response.body()).doesNotContain("a bug");
    }

    @Test
    void aFailingFilter_500_withoutInternals() {
        Response response = RawHttp.get(port, "/filter-fails");
        assertProblem(response, 500, "INTERNAL_ERROR");
        assertThat(response.body()).doesNotContain("filter bug").doesNotContain("Exception");
    }

    @Test
    void aFilterThatSendsAnError_getsTheCodeOfItsStatus() {
        assertThat(assertProblem(RawHttp.get(port, "/filter-sends-error"), 409, "CONFLICT").path("detail").asText())
                .contains("the filter refused");
    }

    @Test
    void theErrorPathAskedForDirectly_404() {
        assertProblem(RawHttp.get(port, "/error"), 404, "UNKNOWN_PATH");
    }

    @Test
    void anUnsupportedHttpVersion_isProblemJson() {
        Response response = RawHttp.send(port, "GET /things/7 HTTP/3.7\r\nHost: localhost\r\n\r\n");
        assertProblem(response, 505, "HTTP_VERSION_NOT_SUPPORTED");
    }
}

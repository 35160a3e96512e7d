package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The live benchmark's command connection: answers read whole, one after another on one connection. */
class PlainHttpConnectionTest {

    @Test
    void answersInARow_withLengthAndChunks_areReadWhole() throws Exception {
        InputStream in = stream("HTTP/1.1 200 \r\nContent-Type: application/json\r\nContent-Length: 39\r\n\r\n"
                + "{\"score\":5,\"version\":12,\"position\":345}"
                + "HTTP/1.1 503 \r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\n\r\n"
                + "HTTP/1.1 304 \r\nETag: \"7\"\r\n\r\n"
                + "HTTP/1.1 200 \r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");

        assertThat(PlainHttpConnection.read(in)).isEqualTo(new PlainHttpConnection.Reply(
                new PlainHttpConnection.Answer(200, "{\"score\":5,\"version\":12,\"position\":345}"), false));
        assertThat(PlainHttpConnection.read(in)).isEqualTo(new PlainHttpConnection.Reply(
                new PlainHttpConnection.Answer(503, "{\"a\":1}"), false));
        assertThat(PlainHttpConnection.read(in)).isEqualTo(new PlainHttpConnection.Reply(
                new PlainHttpConnection.Answer(304, ""), false));
        assertThat(PlainHttpConnection.read(in)).isEqualTo(new PlainHttpConnection.Reply(
                new PlainHttpConnection.Answer(200, "{}"), true));
    }

    @Test
    void aRequest_carriesItsHostHeadersAndBodyLength() {
        byte[] request = PlainHttpConnection.request("POST", "/api/v1/x", "127.0.0.1:8081",
                new String[] {"Authorization: Bearer sbs_1"}, "{\"delta\":5}");

        assertThat(new String(request, StandardCharsets.UTF_8)).isEqualTo("POST /api/v1/x HTTP/1.1\r\n"
                + "Host: 127.0.0.1:8081\r\nAuthorization: Bearer sbs_1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 11\r\n\r\n{\"delta\":5}");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}

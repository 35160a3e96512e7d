package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedBodyTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ChunkedBody body = new ChunkedBody(out::write);

    @Test
    void chunks_inAnySplit_giveTheirDataOnly() {
        byte[] bytes = "d\r\nretry: 2000\n\n\r\n1A;ext=1\r\nevent: change\nid: 5\ndata: \r\n4\r\n{}\n\n\r\n0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split < bytes.length; split++) {
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            ChunkedBody b = new ChunkedBody(decoded::write);
            b.feed(bytes, 0, split);
            b.feed(bytes, split, bytes.length - split);

            assertThat(decoded.toString(StandardCharsets.US_ASCII)).as("split at %d", split)
                    .isEqualTo("retry: 2000\n\nevent: change\nid: 5\ndata: {}\n\n");
            assertThat(b.done()).isTrue();
        }
    }

    @Test
    void anOpenStream_isNotDone() {
        feed("5\r\nhello\r\n");

        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(body.done()).isFalse();
    }

    @Test
    void dataLongerThanItsChunk_isRefused() {
        assertThatThrownBy(() -> feed("2\r\nabc\r\n")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSizeThatIsNotHex_isRefused() {
        assertThatThrownBy(() -> feed("event: x\r\n")).isInstanceOf(IllegalStateException.class);
    }

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        body.feed(bytes, 0, bytes.length);
    }
}

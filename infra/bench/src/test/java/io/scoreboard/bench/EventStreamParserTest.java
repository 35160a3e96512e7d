package io.scoreboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamParserTest {

    private final List<String> events = new ArrayList<>();
    private final EventStreamParser parser = new EventStreamParser((type, id, data) -> events.add(type + "|" + id + "|" + data));

    private static final String STREAM = "retry: 2000\n\n"
            + "event: snapshot\nid: 1042\ndata: {\"version\":7,\"position\":1042}\n\n"
            + ": heartbeat\n\n"
            + "event: change\nid: 1051\ndata: {\"position\":1051,\"version\":8,\"name\":\"Zoë\"}\n\n";

    @Test
    void theLiveStream_asTheServiceSendsIt() {
        feed(STREAM);

        assertThat(events).containsExactly("snapshot|1042|{\"version\":7,\"position\":1042}",
                "change|1051|{\"position\":1051,\"version\":8,\"name\":\"Zoë\"}");
        assertThat(parser.retryMillis()).isEqualTo(2000);
        assertThat(parser.comments()).isEqualTo(1);
    }

    @Test
    void anySplitOfTheBytes_givesTheSameEvents() {
        byte[] bytes = STREAM.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            List<String> seen = new ArrayList<>();
            EventStreamParser p = new EventStreamParser((type, id, data) -> seen.add(type + "|" + id + "|" + data));
            p.feed(bytes, 0, split);
            p.feed(bytes, split, bytes.length - split);

            assertThat(seen).as("split at %d", split).containsExactly("snapshot|1042|{\"version\":7,\"position\":1042}",
                    "change|1051|{\"position\":1051,\"version\":8,\"name\":\"Zoë\"}");
        }
    }

    @Test
    void byteByByte_withCarriageReturnsAlone() {
        byte[] bytes = "event: change\rid: 5\rdata: a\rdata: b\r\r".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            parser.feed(bytes, i, 1);
        }

        assertThat(events).containsExactly("change|5|a\nb");
    }

    @Test
    void anEventWithoutData_isNotDispatched_andItsTypeDoesNotCarryOver() {
        feed("event: change\nid: 3\n\ndata: x\n\n");

        assertThat(events).containsExactly("message|3|x");
    }

    @Test
    void theIdStays_untilAnotherComes_andOneLeadingSpaceIsDropped() {
        feed("id: 9\ndata:  two spaces\n\ndata:none\n\nid\ndata: empty id\n\n");

        assertThat(events).containsExactly("message|9| two spaces", "message|9|none", "message||empty id");
    }

    @Test
    void anIncompleteEvent_waitsForItsBlankLine() {
        feed("event: change\nid: 7\ndata: {}\n");
        assertThat(events).isEmpty();

        feed("\n");
        assertThat(events).containsExactly("change|7|{}");
    }

    @Test
    void aLineLongerThanTheBuffer_isKeptWhole() {
        String big = "x".repeat(10_000);
        feed("data: " + big + "\n\n");

        assertThat(events).containsExactly("message||" + big);
    }

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
    }
}

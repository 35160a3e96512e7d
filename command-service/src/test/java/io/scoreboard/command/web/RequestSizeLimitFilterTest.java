package io.scoreboard.command.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.DelegatingServletInputStream;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

class RequestSizeLimitFilterTest {

    private static final int LIMIT = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestSizeLimitFilter filter =
            new RequestSizeLimitFilter(new HttpProperties(DataSize.ofKilobytes(64)));

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedUnread() throws Exception {
        MockHttpServletRequest request = post(new byte[LIMIT + 1], false);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("the controller is never reached").isNull();
        assertPayloadTooLarge(response);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefused_readingAtMostOneBytePastIt() throws Exception {
        CountingStream body = new CountingStream(new byte[10 * LIMIT]);
        MockHttpServletRequest streaming = new MockHttpServletRequest("POST", "/api/v1/scoreboards") {
            @Override
            public jakarta.servlet.ServletInputStream getInputStream() {
                return new DelegatingServletInputStream(body);
            }
        };
        streaming.setContentType("application/json");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(streaming, response, chain);

        assertThat(chain.getRequest()).isNull();
        assertPayloadTooLarge(response);
        assertThat(body.read).isEqualTo(LIMIT + 1);
    }

    @Test
    void aChunkedBodyOfExactlyTheLimitIsPassedOnByteForByte() throws Exception {
        byte[] content = new byte[LIMIT];
        Arrays.fill(content, (byte) ' ');
        byte[] json = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(json, 0, content, LIMIT - json.length, json.length);
        MockHttpServletRequest request = post(content, true);
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        HttpServletRequest passed = (HttpServletRequest) chain.getRequest();
        assertThat(passed).isNotNull();
        assertThat(passed.getContentLengthLong()).isEqualTo(LIMIT);
        assertThat(passed.getInputStream().readAllBytes()).isEqualTo(content);
    }

    @Test
    void aDeclaredLengthWithinTheLimitIsPassedOnUntouched() throws Exception {
        MockHttpServletRequest request = post(new byte[LIMIT], false);
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isSameAs(request);
    }

    @Test
    void theLimitIsConfigurable_andValidatedAtStartUp() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(Properties.class);

        runner.run(context -> assertThat(context.getBean(HttpProperties.class).maxBodySize())
                .isEqualTo(DataSize.ofKilobytes(64)));
        runner.withPropertyValues("scoreboard.http.max-body-size=1MB")
                .run(context -> assertThat(context.getBean(HttpProperties.class).maxBodySize())
                        .isEqualTo(DataSize.ofMegabytes(1)));
        for (String wrong : new String[] {"0", "-1KB", "17MB"}) {
            runner.withPropertyValues("scoreboard.http.max-body-size=" + wrong).run(context -> {
                assertThat(context).hasFailed();
                assertThat(rootMessage(context.getStartupFailure()))
                        .as(wrong).contains("scoreboard.http.max-body-size");
            });
        }
        runner.withPropertyValues("scoreboard.http.max-body-size=lots")
                .run(context -> assertThat(context).hasFailed());
    }

    private static void assertPayloadTooLarge(MockHttpServletResponse response) throws IOException {
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContentAsByteArray());
        assertThat(problem.get("type").asText()).isEqualTo("urn:scoreboard:problem:payload-too-large");
        assertThat(problem.get("title").asText()).isEqualTo("Payload Too Large");
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("detail").asText()).contains("65536 bytes (64 KiB)", "scoreboard.http.max-body-size");
        assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/scoreboards");
        assertThat(problem.get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    private static MockHttpServletRequest post(byte[] content, boolean chunked) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/scoreboards") {
            @Override
            public long getContentLengthLong() {
                return chunked ? -1 : super.getContentLengthLong();
            }

            @Override
            public int getContentLength() {
                return chunked ? -1 : super.getContentLength();
            }
        };
        request.setContentType("application/json");
        request.setContent(content);
        return request;
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(HttpProperties.class)
    static class Properties {}

    private static final class CountingStream extends InputStream {
        private final ByteArrayInputStream in;
        int read;

        CountingStream(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            int b = in.read();
            if (b >= 0) {
                read++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = in.read(b, off, len);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }
}

package io.scoreboard.command.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoreboard.httpedge.ratelimit.ClientAddresses;
import io.scoreboard.httpedge.ratelimit.Limit;
import io.scoreboard.httpedge.ratelimit.RateLimitedAnswer;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** What the filter decides, with a chain that answers as told; refill is one token an hour. */
class CommandRateLimitFilterTest {

    private static final String BOARD = "3f2c1d9e-8b7a-4c6d-9e5f-1a2b3c4d5e6f";
    private static final Duration HOUR = Duration.ofHours(1);
    /** What the chain answers for SCOREBOARD_NOT_FOUND (a 404 the error handler marks). */
    private static final int NO_SUCH_BOARD = -404;

    private final CommandRateLimitFilter filter = new CommandRateLimitFilter(new CommandRateLimits(
            new Limit(1, HOUR, 2L), new Limit(1, HOUR, 1L), new Limit(1, HOUR, 100L)), 1000,
            new ClientAddresses(List.of()), RateLimitedAnswer.immediate());
    private final AtomicInteger reached = new AtomicInteger();

    private int send(String method, String path, String client, int answer) throws Exception {
        return send(filter, method, path, client, answer);
    }

    private int send(CommandRateLimitFilter filter, String method, String path, String client, int answer)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setRemoteAddr(client);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> {
            reached.incrementAndGet();
            if (answer == NO_SUCH_BOARD) {
                CommandRateLimitFilter.markNoSuchBoard((jakarta.servlet.http.HttpServletRequest) req);
            }
            ((HttpServletResponse) res).setStatus(answer == NO_SUCH_BOARD ? 404 : answer);
        });
        return response.getStatus();
    }

    @Test
    void writesAnswered401Or403_doNotUseTheBoardsBudget() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(send("POST", "/api/v1/scoreboards/" + BOARD + "/undo", "192.0.2." + i, 403)).isEqualTo(403);
        }
        assertThat(send("POST", "/api/v1/scoreboards/" + BOARD + "/undo", "192.0.2.9", 200)).isEqualTo(200);
        assertThat(send("POST", "/api/v1/scoreboards/" + BOARD + "/undo", "192.0.2.9", 200)).isEqualTo(200);
        assertThat(send("POST", "/api/v1/scoreboards/" + BOARD + "/undo", "192.0.2.9", 200)).isEqualTo(429);
    }

    @Test
    void writesToBoardsThatDoNotExist_countAsFailedAuthentications_readsAndUnknownParticipantsDoNot() throws Exception {
        CommandRateLimitFilter strict = new CommandRateLimitFilter(new CommandRateLimits(new Limit(1, HOUR, 100L),
                new Limit(1, HOUR, 1L), new Limit(1, HOUR, 2L)), 1000, new ClientAddresses(List.of()),
                RateLimitedAnswer.immediate());
        for (int i = 0; i < 3; i++) {
            assertThat(send(strict, "GET", "/api/v1/scoreboards/" + java.util.UUID.randomUUID() + "/tokens",
                    "192.0.2.1", NO_SUCH_BOARD)).isEqualTo(404);
            // a participant the board does not have: the board exists, the token was right
            assertThat(send(strict, "POST", "/api/v1/scoreboards/" + BOARD + "/participants/x/score-changes",
                    "192.0.2.1", 404)).isEqualTo(404);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(send(strict, "POST", "/api/v1/scoreboards/" + java.util.UUID.randomUUID() + "/undo",
                    "192.0.2.1", NO_SUCH_BOARD)).isEqualTo(404);
        }
        assertThat(send(strict, "POST", "/api/v1/scoreboards/" + BOARD + "/undo", "192.0.2.1", 200)).isEqualTo(429);
        assertThat(send(strict, "POST", "/api/v1/scoreboards/" + BOARD + "/undo", "192.0.2.2", 200)).isEqualTo(200);
        assertThat(reached).hasValue(9);
    }

    @Test
    void oneBoard_whateverTheSpellingOfItsId() throws Exception {
        assertThat(send("POST", "/api/v1/scoreboards/" + BOARD + "/undo", "192.0.2.1", 200)).isEqualTo(200);
        assertThat(send("PUT", "/api/v1/scoreboards/" + BOARD.toUpperCase() + "/participants/x/score", "192.0.2.1",
                200)).isEqualTo(200);
        assertThat(send("DELETE", "/api/v1/scoreboards/" + BOARD, "192.0.2.1", 200)).isEqualTo(429);
        assertThat(reached).hasValue(2);
    }

    @Test
    void readsAndOtherPaths_areNotLimited() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(send("GET", "/api/v1/scoreboards/" + BOARD, "192.0.2.1", 200)).isEqualTo(200);
            assertThat(send("POST", "/actuator/something", "192.0.2.1", 200)).isEqualTo(200);
        }
        assertThat(reached).hasValue(10);
    }

    @Test
    void creations_perAddress() throws Exception {
        assertThat(send("POST", "/api/v1/scoreboards", "192.0.2.1", 201)).isEqualTo(201);
        assertThat(send("POST", "/api/v1/scoreboards", "192.0.2.1", 201)).isEqualTo(429);
        assertThat(send("POST", "/api/v1/scoreboards", "192.0.2.2", 201)).isEqualTo(201);
        assertThat(reached).hasValue(2);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(CommandRateLimits.class)
    static class Properties {
    }

    @Test
    void settings_areCheckedAtStartUp_naming_theSetting() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(Properties.class)
                .withPropertyValues("scoreboard.rate-limits.board-writes.rate=20",
                        "scoreboard.rate-limits.board-writes.period=1s", "scoreboard.rate-limits.board-writes.burst=100",
                        "scoreboard.rate-limits.board-creations.rate=0",
                        "scoreboard.rate-limits.failed-authentications.rate=10",
                        "scoreboard.rate-limits.failed-authentications.period=1s");
        runner.run(context -> {
            CommandRateLimits limits = context.getBean(CommandRateLimits.class);
            assertThat(limits.boardWrites().capacity()).isEqualTo(100);
            assertThat(limits.boardCreations().isOff()).isTrue();
            assertThat(limits.failedAuthentications().capacity()).as("burst defaults to the rate").isEqualTo(10);
        });
        for (String wrong : new String[] {"period=0s", "burst=0", "rate=-1"}) {
            runner.withPropertyValues("scoreboard.rate-limits.board-writes." + wrong).run(context -> {
                assertThat(context).hasFailed();
                Throwable failure = context.getStartupFailure();
                StringBuilder messages = new StringBuilder();
                for (Throwable t = failure; t != null; t = t.getCause()) {
                    messages.append(t.getMessage()).append('\n');
                }
                assertThat(messages.toString()).as(wrong).contains("scoreboard.rate-limits.board-writes")
                        .contains("scoreboard.rate-limits.board-writes: rate must be 0 (off) or more");
            });
        }
        runner.withPropertyValues("scoreboard.rate-limits.failed-authentications.rate=")
                .run(context -> assertThat(context).as("a limit that is not set").hasFailed());
    }
}

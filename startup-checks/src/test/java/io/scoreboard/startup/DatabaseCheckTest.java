package io.scoreboard.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.diagnostics.FailureAnalysis;

class DatabaseCheckTest {

    @Test
    void anUnreachableDatabaseIsRefusedNamingTheSettingAndTheFix() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free once closed: nothing listens there
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/scoreboard_read");
        dataSource.setConnectTimeout(2);

        StartupCheckFailedException failure = catchThrowableOfType(StartupCheckFailedException.class,
                () -> DatabaseCheck.require(dataSource, dataSource.getUrl(), "scoreboard_read", List.of("scoreboards")));

        assertThat(failure.getMessage()).startsWith("Cannot connect to the scoreboard_read database at "
                + dataSource.getUrl());
        assertThat(failure.setting()).isEqualTo("spring.datasource.url");

        FailureAnalysis analysis = new StartupCheckFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).isEqualTo(failure.getMessage());
        assertThat(analysis.getAction()).startsWith("Check the setting 'spring.datasource.url'. Start PostgreSQL");
    }
}

package io.scoreboard.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** What the runner waits out and what stops it (docs/adr/0018), by the errors' own codes. */
class FaultPolicyTest {

    @Test
    void timeoutsConflictsAndLostDatabases_areTransient() {
        for (String state : new String[] {"57014", "55P03", "40001", "40P01", "08006", "57P01", "53300", "3D000",
                "3F000", "42P01", "25006"}) {
            assertThat(SqlFaults.isTransient(new SQLException("x", state))).as(state).isTrue();
            assertThat(SqlFaults.breaksADataRule(new SQLException("x", state))).as(state).isFalse();
        }
        assertThat(SqlFaults.isTransient(new SQLTransientConnectionException("pool timed out"))).isTrue();
    }

    @Test
    void anEventsBadData_breaksADataRule_whilePermissionsAreTheDatabases() {
        for (String state : new String[] {"22003", "22P02", "23505", "23503", "54000"}) {
            assertThat(SqlFaults.breaksADataRule(new SQLException("x", state))).as(state).isTrue();
        }
        assertThat(SqlFaults.breaksADataRule(new SQLException("permission denied", "42501"))).isFalse();
    }

    @Test
    void faults_areKeptApartByWhatFailed() {
        assertThat(Fault.of(new TimeoutException("no broker")).state()).isEqualTo(RunnerStatus.State.WAITING_FOR_KAFKA);
        assertThat(Fault.of(new ProjectionRunner.DatabaseUnavailable("gone", null)).state())
                .isEqualTo(RunnerStatus.State.WAITING_FOR_DATABASE);
        assertThat(Fault.of(new IllegalStateException("bug")).state())
                .isEqualTo(RunnerStatus.State.WAITING_AFTER_ERROR);
    }
}

package io.scoreboard.bench.crud;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The same-run reference for {@code bench commands} (issue 14): the history-less service this product
 * replaces, as plainly as Spring Boot writes it — one {@code UPDATE … SET score = score + ?} per score
 * change on the same PostgreSQL, Spring Boot's defaults otherwise (Tomcat, Jackson, Hikari). It answers the
 * command API's score-change path, so the same load script drives both. Run as its own process by the
 * bench, like the command service; its table {@code crud_scores} is made and filled by the bench.
 */
@SpringBootApplication(exclude = FlywayAutoConfiguration.class) // Flyway is on the bench's class path, not for this
public class CrudReference {

    public static void main(String[] args) {
        SpringApplication.run(CrudReference.class, args);
    }

    /** The table, as the bench creates it before starting this process. */
    public static final String TABLE = """
            CREATE TABLE crud_scores (
                board_id       UUID           NOT NULL,
                participant_id UUID           NOT NULL,
                score          NUMERIC(19, 4) NOT NULL DEFAULT 0,
                PRIMARY KEY (board_id, participant_id)
            )""";

    record ScoreChange(BigDecimal delta) {}

    @RestController
    static class ScoreChanges {

        private final JdbcTemplate jdbc;

        ScoreChanges(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        /** For the bench to see it has started. */
        @GetMapping("/health")
        String health() {
            return "UP";
        }

        @PostMapping("/api/v1/scoreboards/{board}/participants/{participant}/score-changes")
        ResponseEntity<Map<String, BigDecimal>> change(@PathVariable UUID board, @PathVariable UUID participant,
                                                       @RequestBody ScoreChange change) {
            BigDecimal score = jdbc.query(
                    "UPDATE crud_scores SET score = score + ? WHERE board_id = ? AND participant_id = ? RETURNING score",
                    rs -> rs.next() ? rs.getBigDecimal(1) : null, change.delta(), board, participant);
            return score == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(Map.of("score", score));
        }
    }
}

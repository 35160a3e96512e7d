package io.scoreboard.query.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** What every error of the query API must look like: problem+json with all five members, the position header. */
final class ProblemAssertions {

    private static final ObjectMapper json = new ObjectMapper();

    private ProblemAssertions() {
    }

    static void assertProblem(ResponseEntity<String> response, HttpStatus status, String... detailContains)
            throws Exception {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getHeaders().getFirst("X-Projection-Position")).matches("\\d+");
        JsonNode problem = json.readTree(response.getBody());
        assertThat(problem.get("status").asInt()).isEqualTo(status.value());
        assertThat(problem.get("detail").asText()).contains(detailContains);
        assertThat(problem.path("type").asText()).startsWith("urn:scoreboard:problem:");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("code").asText()).matches("[A-Z][A-Z_]+");
    }
}

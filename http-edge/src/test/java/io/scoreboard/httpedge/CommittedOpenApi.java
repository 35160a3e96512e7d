package io.scoreboard.httpedge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A service's OpenAPI document is committed (docs/openapi/), so that clients are generated from a file that
 * changes only in review (the build generates a Java client from it, infra/api-client). This compares what the
 * running service serves with the committed file; {@code -Dscoreboard.openapi.write=true} writes the file instead,
 * after a deliberate change of the API.
 */
public final class CommittedOpenApi {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CommittedOpenApi() {}

    /** @param served the document as {@code /v3/api-docs} answers it; @param committed the file, from the module */
    public static void assertCommitted(String served, Path committed) throws IOException {
        JsonNode document = JSON.readTree(served);
        ((ObjectNode) document).remove("servers"); // the test's random port
        String text = JSON.writeValueAsString(document) + "\n";
        if (Boolean.getBoolean("scoreboard.openapi.write")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, text, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(committed)).as("%s: write it with -Dscoreboard.openapi.write=true", committed).isTrue();
        assertThat(text).as("the served OpenAPI document differs from %s: if the API change is meant, run this test "
                + "with -Dscoreboard.openapi.write=true and commit the file", committed)
                .isEqualTo(Files.readString(committed, StandardCharsets.UTF_8));
    }
}

package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No code path in the services or the projections drops or truncates anything: destructive steps
 * belong only to the operator CLI, behind --confirm. A string literal with DROP or TRUNCATE in
 * their main sources fails this test.
 */
class NoDestructiveStatementsTest {

    private static final Pattern DESTRUCTIVE_LITERAL =
            Pattern.compile("\"[^\"]*\\b(?i:drop|truncate)\\b[^\"]*\"");
    private static final List<String> GUARDED = List.of("command-service", "query-service", "projections");

    @Test
    void theServicesContainNoDropOrTruncate() {
        Path root = Path.of(System.getProperty("scoreboard.repo.root", "../.."));
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        for (String module : GUARDED) {
            Path main = root.resolve(module).resolve("src/main");
            assertThat(main).as("sources of " + module).isDirectory();
            try (Stream<Path> files = Files.walk(main)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    scanned++;
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (DESTRUCTIVE_LITERAL.matcher(lines.get(i)).find()) {
                            offenders.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(scanned).as("files scanned").isGreaterThan(20);
        assertThat(offenders).as("DROP/TRUNCATE in service code").isEmpty();
    }

    @Test
    void theRuleCatchesADestructiveStatement() {
        assertThat(DESTRUCTIVE_LITERAL.matcher("jdbc.execute(\"DROP TABLE scoreboards\");").find()).isTrue();
        assertThat(DESTRUCTIVE_LITERAL.matcher("jdbc.execute(\"truncate participants\");").find()).isTrue();
        assertThat(DESTRUCTIVE_LITERAL.matcher("// we never drop anything").find()).isFalse();
    }
}

package io.scoreboard.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.scoreboard.projections.scoreboard.ScoreboardProjection;
import io.scoreboard.query.archfixture.QueryClassThatReachesIntoTheCommandSide;
import io.scoreboard.query.projection.ProjectionRunner;
import org.junit.jupiter.api.Test;

/**
 * The read side learns everything from events: it never depends on the command side or on Axon
 * (ARCHITECTURE.md, "Who owns what"). Checked on the real production classes of query-service and
 * projections, and shown to fail on a deliberate violation so it cannot pass vacuously.
 */
class ArchitectureTest {

    private static final ArchRule READ_SIDE_IS_INDEPENDENT_OF_THE_COMMAND_SIDE = noClasses()
            .that().resideInAnyPackage("io.scoreboard.query..", "io.scoreboard.projections..")
            .should().dependOnClassesThat().resideInAnyPackage("io.scoreboard.command..", "org.axonframework..")
            .because("the read side learns everything from the event topic (ARCHITECTURE.md)");

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.scoreboard.query", "io.scoreboard.projections");

    @Test
    void readSide_doesNotDependOnTheCommandSideOrAxon() {
        READ_SIDE_IS_INDEPENDENT_OF_THE_COMMAND_SIDE.check(PRODUCTION);
    }

    @Test
    void theRuleLooksAtRealClasses() {
        assertThat(PRODUCTION.contain(QueryServiceApplication.class)).isTrue();
        assertThat(PRODUCTION.contain(ProjectionRunner.class)).isTrue();
        assertThat(PRODUCTION.contain(ScoreboardProjection.class)).isTrue();
        assertThat(PRODUCTION.contain(QueryClassThatReachesIntoTheCommandSide.class))
                .as("test fixtures are not production code").isFalse();
    }

    @Test
    void theRuleFails_onAReadSideClassThatUsesTheCommandSide() {
        JavaClasses violating = new ClassFileImporter().importClasses(QueryClassThatReachesIntoTheCommandSide.class);

        assertThat(READ_SIDE_IS_INDEPENDENT_OF_THE_COMMAND_SIDE.evaluate(violating).hasViolation()).isTrue();
    }
}

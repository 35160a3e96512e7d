package io.scoreboard.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.scoreboard.command.scoreboard.Scoreboard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Architecture rules of the write side, each checked against real classes so it can fail. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.scoreboard.command");
    }

    /** The aggregate and its rules (not its api subpackage): Axon annotations yes, no web, JDBC or Kafka. */
    private static final ArchRule DOMAIN_IS_FREE_OF_INFRASTRUCTURE = noClasses()
            .that().resideInAPackage("io.scoreboard.command.scoreboard")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "java.sql..", "javax.sql..", "org.apache.kafka..",
                    "io.scoreboard.command.replication..");

    private static final ArchRule NOTHING_DEPENDS_ON_THE_READ_SIDE = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.scoreboard.query..", "io.scoreboard.projections..");

    @Test
    void domainIsFreeOfInfrastructure() {
        assertThat(classes.contain(Scoreboard.class)).as("the rule sees the aggregate").isTrue();
        DOMAIN_IS_FREE_OF_INFRASTRUCTURE.check(classes);
    }

    @Test
    void theWriteSideDoesNotDependOnTheReadSide() {
        NOTHING_DEPENDS_ON_THE_READ_SIDE.check(classes);
    }

    @Test
    void theDomainRuleCanFail() {
        // The controllers in the api subpackage do depend on Spring: the rule widened to them must catch it.
        ArchRule withoutExclusion = noClasses().that().resideInAPackage("io.scoreboard.command.scoreboard..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..");
        assertThat(withoutExclusion.evaluate(classes).hasViolation()).isTrue();
    }
}

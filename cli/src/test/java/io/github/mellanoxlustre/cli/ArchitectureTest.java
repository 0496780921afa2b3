package io.github.mellanoxlustre.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.mellanoxlustre.engine.phase.Phase;
import org.junit.jupiter.api.Test;

/**
 * The command line is a front end: it makes a request with core's {@code request.BuildSpec} and runs
 * it through {@code engine.BuildEngine}; it never reaches into the engine's phases
 * (docs/architecture.md, "A request's path").
 */
class ArchitectureTest {
    private static final String CLI = "io.github.mellanoxlustre.cli";

    static final ArchRule ENGINE_ONLY_THROUGH_ITS_API = noClasses()
            .that().resideInAPackage(CLI + "..")
            .should().dependOnClassesThat().resideInAPackage("io.github.mellanoxlustre.engine.phase..")
            .because("the front ends use the engine's API (engine, request), not its phases");

    @Test
    void theCliUsesTheEngineOnlyThroughItsApi() {
        JavaClasses cli = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(CLI);
        assertThat(cli.contain(BuildCommand.class)).isTrue();
        ENGINE_ONLY_THROUGH_ITS_API.check(cli);
    }

    /** The rule really catches a violation: {@link Violation} uses a phase type. */
    @Test
    void theRuleCatchesAFrontEndThatUsesAPhase() {
        JavaClasses classes = new ClassFileImporter().importClasses(Violation.class);
        assertThatThrownBy(() -> ENGINE_ONLY_THROUGH_ITS_API.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Violation")
                .hasMessageContaining("engine.phase.Phase");
    }

    /** Never used: it exists to break the rule. */
    static final class Violation {
        int phases() {
            return Phase.count();
        }
    }
}

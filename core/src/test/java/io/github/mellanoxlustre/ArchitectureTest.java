package io.github.mellanoxlustre;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** core is the plain-Java engine: it must not touch Jenkins, Hudson or Stapler types. */
class ArchitectureTest {

    static final ArchRule NO_JENKINS_TYPES = noClasses()
            .that().resideInAPackage("io.github.mellanoxlustre..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke.stapler..")
            .because("core runs on build agents and in the CLI without Jenkins; Jenkins glue lives in plugin/");

    @Test
    void coreUsesNoJenkinsTypes() throws Exception {
        // core's main classes only (target/classes, or core's jar), found from one of them.
        Path mainClasses = Path.of(RpmPackage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(mainClasses);
        assertThat(core.containPackage("io.github.mellanoxlustre.policy")).isTrue();
        NO_JENKINS_TYPES.check(core);  // also fails when nothing was imported (failOnEmptyShould)
    }

    /** The rule really catches a violation: a class compiled on the fly that uses a "jenkins" type. */
    @Test
    void theRuleCatchesAClassThatUsesAJenkinsType(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path out = Files.createDirectories(tmp.resolve("classes"));
        Path jenkins = Files.writeString(src.resolve("Jenkins.java"),
                "package jenkins.model; public class Jenkins { public static Jenkins get() { return null; } }");
        Path user = Files.writeString(src.resolve("UsesJenkins.java"),
                "package io.github.mellanoxlustre.fixture; class UsesJenkins { Object j = jenkins.model.Jenkins.get(); }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", out.toString(), jenkins.toString(), user.toString());
        if (rc != 0) {
            throw new AssertionError("javac failed: " + rc);
        }
        JavaClasses classes = new ClassFileImporter().importPath(out);
        assertThatThrownBy(() -> NO_JENKINS_TYPES.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("io.github.mellanoxlustre.fixture.UsesJenkins")
                .hasMessageContaining("jenkins.model.Jenkins");
    }
}

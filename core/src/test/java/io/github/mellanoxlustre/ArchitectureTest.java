package io.github.mellanoxlustre;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * core is the plain-Java engine: it must not touch Jenkins, Hudson or Stapler types; its packages
 * depend on each other only as {@link #ALLOWED} says, and never in a cycle.
 */
class ArchitectureTest {
    private static final String ROOT = "io.github.mellanoxlustre";

    /**
     * Each package of core and the packages it may use, as they are (docs/architecture.md draws it).
     * A new dependency between packages, or a new package, is a design decision: add it here.
     */
    static final Map<String, List<String>> ALLOWED = allowed();

    private static Map<String, List<String>> allowed() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("rpm", List.of());
        m.put("files", List.of());
        m.put("process", List.of());
        m.put("standin", List.of("files"));
        m.put("kernel", List.of("rpm"));
        m.put("policy", List.of("rpm"));
        m.put("report", List.of("policy", "rpm"));
        m.put("ssh", List.of());
        m.put("ofed", List.of("files", "process", "rpm", "ssh"));
        m.put("lustre", List.of("files", "ofed", "process", "ssh"));
        m.put("publish", List.of("files", "process", "rpm"));
        m.put("request", List.of("files", "kernel", "lustre", "ofed", "policy", "process", "rpm", "ssh"));
        m.put("engine.preflight", List.of("files", "kernel", "lustre", "ofed", "policy", "process", "request", "rpm",
                "ssh"));
        m.put("engine.phase", List.of("engine.preflight", "files", "kernel", "lustre", "ofed", "policy", "process",
                "publish", "report", "request", "rpm", "ssh"));
        m.put("engine", List.of("engine.phase", "engine.preflight", "files", "kernel", "lustre", "ofed", "policy",
                "process", "publish", "request", "rpm"));
        m.put("detach", List.of("engine", "process", "request"));
        return m;
    }

    /** The layering of {@link #ALLOWED}: every class of core in one of its packages. */
    static ArchRule layers() {
        var rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture();
        for (String p : ALLOWED.keySet()) {
            rule = rule.layer(p).definedBy(ROOT + "." + p);
        }
        for (Map.Entry<String, List<String>> e : ALLOWED.entrySet()) {
            rule = e.getValue().isEmpty() ? rule.whereLayer(e.getKey()).mayNotAccessAnyLayer()
                    : rule.whereLayer(e.getKey()).mayOnlyAccessLayers(e.getValue().toArray(String[]::new));
        }
        return rule.because("the engine's packages build on each other in one direction (docs/architecture.md)");
    }

    static final ArchRule NO_CYCLES = slices().matching(ROOT + ".(**)").should().beFreeOfCycles()
            .because("a cycle between packages makes them one package");

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

    private static JavaClasses coreMainClasses() throws Exception {
        Path mainClasses = Path.of(RpmPackage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(mainClasses);
    }

    @Test
    void corePackagesDependOnEachOtherOnlyAsAllowed() throws Exception {
        layers().check(coreMainClasses());
    }

    @Test
    void corePackagesHaveNoCycles() throws Exception {
        JavaClasses core = coreMainClasses();
        assertThat(core.containPackage(ROOT + ".engine.phase")).isTrue();
        NO_CYCLES.check(core);
    }

    /** Compiles {@code sources} (file name to text) into a fresh directory and imports the classes. */
    private static JavaClasses compile(Path tmp, Map<String, String> sources) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path out = Files.createDirectories(tmp.resolve("classes"));
        List<String> args = new java.util.ArrayList<>(List.of("-d", out.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            args.add(Files.writeString(src.resolve(e.getKey()), e.getValue()).toString());
        }
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) {
            throw new AssertionError("javac failed: " + rc);
        }
        return new ClassFileImporter().importPath(out);
    }

    /** The rules really catch a violation: rpm (a leaf) using engine, which uses rpm: a cycle, against the layers. */
    @Test
    void theLayerAndCycleRulesCatchALeafThatUsesTheEngine(@TempDir Path tmp) throws Exception {
        JavaClasses classes = compile(tmp, Map.of(
                "Leaf.java", "package io.github.mellanoxlustre.rpm; public class Leaf { Object e = new io.github.mellanoxlustre.engine.Engine(); }",
                "Engine.java", "package io.github.mellanoxlustre.engine; public class Engine { Object l; void use() { l = new io.github.mellanoxlustre.rpm.Leaf(); } }"));
        assertThatThrownBy(() -> layers().check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("io.github.mellanoxlustre.rpm.Leaf")
                .hasMessageContaining("io.github.mellanoxlustre.engine.Engine");
        assertThatThrownBy(() -> NO_CYCLES.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("io.github.mellanoxlustre.rpm.Leaf");
    }

    /** A package that is not in the table fails the layering: it needs a place in the design. */
    @Test
    void theLayerRuleCatchesANewPackage(@TempDir Path tmp) throws Exception {
        JavaClasses classes = compile(tmp, Map.of(
                "Stray.java", "package io.github.mellanoxlustre.misc; public class Stray { }"));
        assertThatThrownBy(() -> layers().check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("io.github.mellanoxlustre.misc.Stray");
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

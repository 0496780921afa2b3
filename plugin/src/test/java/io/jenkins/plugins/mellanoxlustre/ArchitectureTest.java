package io.jenkins.plugins.mellanoxlustre;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import hudson.util.FormValidation;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.verb.POST;

/**
 * The plugin's rules, after warnings-ng's and uhafner/codingstyle's ArchUnit rules: every form
 * method ({@code doCheck*}, {@code doFill*}) is {@code @POST} (so it needs a CSRF crumb and is never
 * reached by a plain link), and only {@link JenkinsFacade} calls {@link Jenkins#get()} (the rest of
 * the plugin asks the facade). Plain ArchUnit over the compiled classes: no Jenkins instance.
 */
class ArchitectureTest {
    private static final String PLUGIN = "io.jenkins.plugins.mellanoxlustre";

    static final ArchRule FORM_METHODS_ARE_POST = methods()
            .that().haveNameMatching("do(Check|Fill)[A-Z].*")
            .and().areDeclaredInClassesThat().resideInAPackage(PLUGIN + "..")
            .should().beAnnotatedWith(POST.class)
            .because("form validation and list methods answer only POST requests with a crumb (SECURITY-Jenkins "
                    + "guidance on form validation; warnings-ng's ArchitectureRules)");

    static final ArchRule JENKINS_ONLY_THROUGH_THE_FACADE = noClasses()
            .that().resideInAPackage(PLUGIN + "..")
            .and().doNotHaveFullyQualifiedName(JenkinsFacade.class.getName())
            .should().callMethod(Jenkins.class, "get")
            .orShould().callMethod(Jenkins.class, "getInstance")
            .orShould().callMethod(Jenkins.class, "getInstanceOrNull")
            .because("Jenkins.get() is called in one place, JenkinsFacade (as warnings-ng's JenkinsFacade)");

    static final ArchRule ENGINE_ONLY_THROUGH_ITS_API = noClasses()
            .that().resideInAPackage(PLUGIN + "..")
            .should().dependOnClassesThat().resideInAPackage("io.github.mellanoxlustre.engine.phase..")
            .because("the plugin is a front end of core's engine API (request, engine), not of its phases "
                    + "(docs/architecture.md)");

    private static JavaClasses pluginMainClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PLUGIN);
    }

    @Test
    void formMethodsArePost() {
        JavaClasses plugin = pluginMainClasses();
        assertThat(plugin.contain(BuildOptions.DescriptorImpl.class)).isTrue();
        FORM_METHODS_ARE_POST.check(plugin);
    }

    @Test
    void onlyTheFacadeCallsJenkinsGet() {
        JavaClasses plugin = pluginMainClasses();
        assertThat(plugin.contain(JenkinsFacade.class)).isTrue();
        JENKINS_ONLY_THROUGH_THE_FACADE.check(plugin);
    }

    @Test
    void thePluginUsesTheEngineOnlyThroughItsApi() {
        JavaClasses plugin = pluginMainClasses();
        assertThat(plugin.contain(BuildOptions.class)).isTrue();
        ENGINE_ONLY_THROUGH_ITS_API.check(plugin);
    }

    /** The rules really catch a violation: {@link Violations} breaks both. */
    @Test
    void theRulesCatchAGetFormMethodAndADirectJenkinsCall() {
        JavaClasses classes = new ClassFileImporter().importClasses(Violations.class);
        assertThatThrownBy(() -> FORM_METHODS_ARE_POST.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Violations.doCheckName");
        assertThatThrownBy(() -> JENKINS_ONLY_THROUGH_THE_FACADE.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Violations.doFillNameItems")
                .hasMessageContaining("Jenkins.get()");
    }

    /** A descriptor-like class that breaks both rules (never registered, never called). */
    static final class Violations {
        public FormValidation doCheckName(String value) {
            return FormValidation.ok();
        }

        @POST
        public boolean doFillNameItems() {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
    }
}

package io.jenkins.plugins.mellanoxlustre;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.util.FormValidation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The form's field checks are core's {@code BuildSpec} rules with core's messages, and only the
 * problems of the checked field (no Jenkins instance needed: the permission checks are tested over
 * HTTP in {@link ConfigurationTest}).
 */
class OptionsValidationTest {

    private static String coreProblem(BuildOptions options, String field) {
        return options.toSpec().problems().stream().filter(p -> p.startsWith(field + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError("core reports nothing for " + field));
    }

    @Test
    void aFieldIsCheckedWithCoresRuleAndMessage() {
        BuildOptions typed = new BuildOptions();
        typed.setMakeJobs(5000);
        String core = coreProblem(typed, "makeJobs");

        FormValidation v = OptionsValidation.validate("makeJobs", o -> o.setMakeJobs(5000));

        assertThat(v.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(core).startsWith("makeJobs: 5000 is not a job count");
        assertThat(v.getMessage()).contains("5000 is not a job count").doesNotStartWith("makeJobs:");
    }

    @Test
    void onlyTheCheckedFieldsProblemsAreShown() {
        // The bundle is missing and makeJobs is out of range: neither is the kernel release's problem.
        assertThat(OptionsValidation.validate("kernelRelease", o -> o.setMakeJobs(5000)).kind)
                .isEqualTo(FormValidation.Kind.OK);
        assertThat(OptionsValidation.validate("kernelRelease", o -> o.setKernelRelease("../../etc")).kind)
                .isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void aPolicyFileIsAcceptedAsTheBuildAcceptsIt() {
        // The form used to refuse a policy file not ending in .yaml, .yml or .json; core reads any.
        assertThat(OptionsValidation.validate("policy", o -> o.setPolicy("policies/site")).kind)
                .isEqualTo(FormValidation.Kind.OK);
    }

    @Test
    void theOutputDirectoryKeepsThePluginsWorkspaceRule() {
        FormValidation v = OptionsValidation.validate("outputDir", o -> o.setOutputDir("../outside"));
        assertThat(v.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(v.getMessage()).contains("relative to the workspace");
    }

    @Test
    void theFirstProblemNamingTheFieldWinsWithoutItsName() {
        FormValidation v = OptionsValidation.of(List.of("bundle: x", "lustreRef: bad ref", "lustreRef: later"),
                "lustreRef");
        assertThat(v.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(v.getMessage()).isEqualTo("bad ref");
        assertThat(OptionsValidation.of(List.of("bundle: x"), "lustreRef").kind).isEqualTo(FormValidation.Kind.OK);
    }
}

package io.jenkins.plugins.mellanoxlustre;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.domains.DomainSpecification;
import com.cloudbees.plugins.credentials.domains.HostnameSpecification;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.tasks.Builder;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.structs.SymbolLookup;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.CoreStep;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Data binding round trips, the Snippet Generator, and form validation with its permission checks. */
@WithJenkins
class ConfigurationTest {
    private static final String BUNDLE = "/srv/ofed/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";
    private static final String BUILDER = "io.jenkins.plugins.mellanoxlustre.MellanoxLustreBuilder";
    /** The descriptor that answers the step's and the builder's flat fields' form requests. */
    private static final String OPTIONS = "io.jenkins.plugins.mellanoxlustre.BuildOptions";
    /** The descriptors of the nested parameters' fields. */
    private static final String OFED_BUNDLE = "io.jenkins.plugins.mellanoxlustre.OfedBundle";
    private static final String LUSTRE_GIT = "io.jenkins.plugins.mellanoxlustre.LustreGit";
    private static final String KERNEL = "io.jenkins.plugins.mellanoxlustre.TargetKernel";
    private static final String OUTPUT = "io.jenkins.plugins.mellanoxlustre.RpmOutput";

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule rule) {
        j = rule;
    }

    private static MellanoxLustreBuilder everyOptionBuilder() {
        MellanoxLustreBuilder b = new MellanoxLustreBuilder();
        OfedBundle ofed = new OfedBundle("sftp://ofed@mirror.example.com/pub/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz");
        ofed.setSha256("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        ofed.setCredentialsId("ofed-key");
        b.setOfed(ofed);
        b.setKnownHosts("mirror.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
        b.setKnownHostsFile("config/known_hosts");
        TargetKernel kernel = new TargetKernel();
        kernel.setRelease("4.18.0-477.10.1.el8_lustre.x86_64");
        kernel.setSourceDir("/usr/src/kernels/4.18.0-477.10.1.el8_lustre.x86_64");
        b.setKernel(kernel);
        b.setOfedRebuild("add-kernel-support");
        b.setSudo("always");
        LustreGit lustre = new LustreGit();
        lustre.setRepository("ssh://review@git.example.com/lustre-release");
        lustre.setRef("b2_15");
        lustre.setCredentialsId("lustre-key");
        b.setLustre(lustre);
        b.setBackends("ldiskfs,zfs");
        b.setZfsSource("/usr/src/zfs-2.1.15");
        b.setZfsObj("/usr/src/zfs-2.1.15/4.18.0-477.10.1.el8_lustre.x86_64");
        b.setPackaging("kmod,dkms");
        b.setMakeJobs(8);
        RpmOutput output = new RpmOutput();
        output.setPolicy("internal");
        output.setDirectory("out/el8-zfs");
        output.setArchive(false);
        b.setOutput(output);
        b.setWorkDir("/scratch/lustre");
        b.setCacheDir("/var/cache/mellanox-lustre");
        b.setToolEnvironment("CC CCACHE_PREFIX");
        b.setCheckDistro(false);
        return b;
    }

    private static MellanoxLustreBuilder bundleBuilder() {
        MellanoxLustreBuilder b = new MellanoxLustreBuilder();
        b.setOfed(new OfedBundle(BUNDLE));
        return b;
    }

    private static MellanoxLustreBuildStep bundleStep() {
        MellanoxLustreBuildStep s = new MellanoxLustreBuildStep();
        s.setOfed(new OfedBundle(BUNDLE));
        return s;
    }

    @Test
    void freestyleConfigRoundTripKeepsEveryOption() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject();
        MellanoxLustreBuilder before = everyOptionBuilder();
        p.getBuildersList().add(before);
        j.configRoundtrip(p);
        MellanoxLustreBuilder after = p.getBuildersList().get(MellanoxLustreBuilder.class);
        j.assertEqualDataBoundBeans(before, after);
        assertThat(after.getKnownHosts()).startsWith("mirror.example.com ssh-ed25519");
    }

    @Test
    void freestyleDefaultsSurviveARoundTrip() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject();
        MellanoxLustreBuilder before = bundleBuilder();
        p.getBuildersList().add(before);
        j.configRoundtrip(p);
        MellanoxLustreBuilder after = p.getBuildersList().get(MellanoxLustreBuilder.class);
        j.assertEqualDataBoundBeans(before, after);
        assertThat(after.getOfed()).isEqualTo(new OfedBundle(BUNDLE));
        assertThat(after.getOutput()).isEqualTo(new RpmOutput());
        assertThat(after.getOutput().getDirectory()).isEqualTo("lustre-rpms");
        assertThat(after.getOutput().getPolicy()).isEqualTo("distribute");
        assertThat(after.getOutput().isArchive()).isTrue();
        assertThat(after.getLustre()).isEqualTo(new LustreGit());
        assertThat(after.getKernel()).isEqualTo(new TargetKernel());
        assertThat(after.getOfedRebuild()).isEqualTo("srpm-rebuild");
        assertThat(after.isCheckDistro()).isTrue();
        // saved from the form: the options know they are nested, and messages name the nested fields
        assertThat(after.options().isNested()).isTrue();
    }

    @Test
    void anOlderConfigWithoutTheNewerOptionsGetsTheirDefaults() {
        MellanoxLustreBuilder b = (MellanoxLustreBuilder) hudson.model.Items.XSTREAM2.fromXML(
                "<" + BUILDER + "><options><bundle>" + BUNDLE + "</bundle></options></" + BUILDER + ">");
        assertThat(b.getOfed()).isEqualTo(new OfedBundle(BUNDLE));
        assertThat(b.getOutput()).isEqualTo(new RpmOutput());
        assertThat(b.isCheckDistro()).isTrue();
        assertThat(b.getKnownHosts()).isEmpty();
        assertThat(b.options().isNested()).isFalse();
        MellanoxLustreBuilder none = (MellanoxLustreBuilder) hudson.model.Items.XSTREAM2.fromXML(
                "<" + BUILDER + "/>");
        assertThat(none.getOutput().getPolicy()).isEqualTo("distribute");
        assertThat(none.getOutput().isArchive()).isTrue();
        assertThat(none.getOfed()).isNull();
    }

    @Test
    void backendAndPackagingListsTakeTheDropDownSpelling() {
        MellanoxLustreBuilder b = bundleBuilder();
        b.setBackends("ZFS, ldiskfs");
        b.setPackaging("dkms kmod");
        assertThat(b.getBackends()).isEqualTo("ldiskfs,zfs");
        assertThat(b.getPackaging()).isEqualTo("kmod,dkms");
        b.setBackends("btrfs");
        assertThat(b.getBackends()).isEqualTo("btrfs");
        assertThat(b.options().problems()).anyMatch(p -> p.contains("btrfs"));
    }

    @Test
    void toolEnvironmentNamesAreCheckedAndNoPassphraseVariableIsPassed() {
        MellanoxLustreBuilder b = bundleBuilder();
        b.setToolEnvironment("CC, CCACHE_PREFIX");
        assertThat(b.options().toolEnvironmentNames()).containsExactly("CC", "CCACHE_PREFIX");
        assertThat(b.options().problems()).isEmpty();
        b.setToolEnvironment("CC MLNX_LUSTRE_GIT_KEY_PASSPHRASE");
        assertThat(b.options().problems()).anyMatch(p -> p.startsWith("toolEnvironment: MLNX_LUSTRE_GIT_KEY_PASSPHRASE"));
        b.setToolEnvironment("not-a-name");
        assertThat(b.options().problems()).anyMatch(p -> p.startsWith("toolEnvironment: 'not-a-name'"));
    }

    @Test
    void stepConfigRoundTrip() throws Exception {
        MellanoxLustreBuildStep step = bundleStep();
        LustreGit git = new LustreGit();
        git.setRef("2.15.5");
        step.setLustre(git);
        step.setBackends("zfs");
        step.setZfsSource("/usr/src/zfs-2.1.15");
        RpmOutput output = new RpmOutput();
        output.setPolicy("internal");
        step.setOutput(output);
        step.setClientOnly(false);
        step.setMakeJobs(4);
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
        // every other kind of source through the form's drop-downs
        MellanoxLustreBuildStep installed = new MellanoxLustreBuildStep();
        InstalledOfed ofed = new InstalledOfed();
        ofed.setDirectory("/opt/ofed-root");
        installed.setOfed(ofed);
        installed.setLustre(new LustreDirectory("lustre-release"));
        j.assertEqualDataBoundBeans(installed, new StepConfigTester(j).configRoundTrip(installed));
        for (OfedSource source : List.of(new OfedSourceRpm("ofed/mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.src.rpm"),
                new DocaRepository("/mirror/doca/3.2.1"))) {
            MellanoxLustreBuildStep other = new MellanoxLustreBuildStep();
            other.setOfed(source);
            MellanoxLustreBuildStep after = new StepConfigTester(j).configRoundTrip(other);
            j.assertEqualDataBoundBeans(other, after);
            assertThat(after.getOfed()).isEqualTo(source);
        }

        RpmCheckStep check = new RpmCheckStep("rpmbuild/RPMS");
        check.setPolicy("policies/site.yaml");
        check.setReportDir("reports");
        check.setArchive(false);
        j.assertEqualDataBoundBeans(check, new StepConfigTester(j).configRoundTrip(check));
    }

    @Test
    void snippetGeneratorRoundTrip() throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        st.assertRoundTrip(bundleStep(), "mellanoxLustreBuild ofed: ofedBundle('" + BUNDLE + "')");
        MellanoxLustreBuildStep step = bundleStep();
        LustreGit git = new LustreGit();
        git.setRef("b2_15");
        step.setLustre(git);
        RpmOutput output = new RpmOutput();
        output.setPolicy("internal");
        step.setOutput(output);
        st.assertRoundTrip(step, "mellanoxLustreBuild lustre: lustreGit(ref: 'b2_15'), ofed: ofedBundle('" + BUNDLE
                + "'), output: rpmOutput(policy: 'internal')");
        st.assertRoundTrip(new RpmCheckStep("RPMS"), "lustreRpmCheck 'RPMS'");
        MellanoxLustreBuildStep srpm = new MellanoxLustreBuildStep();
        srpm.setOfed(new OfedSourceRpm("ofed/mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.src.rpm"));
        st.assertRoundTrip(srpm, "mellanoxLustreBuild ofed: ofedSourceRpm('ofed/mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.src.rpm')");
        MellanoxLustreBuildStep installed = new MellanoxLustreBuildStep();
        InstalledOfed ofed = new InstalledOfed();
        ofed.setDirectory("/opt/ofed-root");
        installed.setOfed(ofed);
        st.assertRoundTrip(installed, "mellanoxLustreBuild ofed: installedOfed(directory: '/opt/ofed-root')");
        assertThat(installed.options().problems()).isEmpty();
        MellanoxLustreBuildStep kernel = bundleStep();
        TargetKernel k = new TargetKernel();
        k.setRelease("4.18.0-553.27.1.el8_lustre.x86_64");
        kernel.setKernel(k);
        kernel.setLustre(new LustreDirectory("lustre-release"));
        st.assertRoundTrip(kernel, "mellanoxLustreBuild kernel: targetKernel(release: '4.18.0-553.27.1.el8_lustre.x86_64'), "
                + "lustre: lustreDirectory('lustre-release'), ofed: ofedBundle('" + BUNDLE + "')");
        // the builder has no Pipeline name of its own: the Snippet Generator writes the general step
        st.assertRoundTrip(new CoreStep(bundleBuilder()),
                "step([$class: 'MellanoxLustreBuilder', ofed: ofedBundle('" + BUNDLE + "')])");
        SnippetizerTester.assertDocGeneration(MellanoxLustreBuildStep.class);
        SnippetizerTester.assertDocGeneration(RpmCheckStep.class);
    }

    /** A step set with the flat names of an older script: the same options, and the snippet says them nested. */
    @Test
    void theFlatNamesOfOlderScriptsBindAndAreWrittenNested() throws Exception {
        MellanoxLustreBuildStep flat = new MellanoxLustreBuildStep();
        flat.setBundle(BUNDLE);
        flat.setBundleSha256("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        flat.setLustreRef("b2_15");
        flat.setKernelRelease("4.18.0-553.27.1.el8_lustre.x86_64");
        flat.setPolicy("internal");
        flat.setArchive(false);
        MellanoxLustreBuildStep nested = bundleStep();
        OfedBundle ofed = new OfedBundle(BUNDLE);
        ofed.setSha256("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        nested.setOfed(ofed);
        LustreGit git = new LustreGit();
        git.setRef("b2_15");
        nested.setLustre(git);
        TargetKernel k = new TargetKernel();
        k.setRelease("4.18.0-553.27.1.el8_lustre.x86_64");
        nested.setKernel(k);
        RpmOutput output = new RpmOutput();
        output.setPolicy("internal");
        output.setArchive(false);
        nested.setOutput(output);
        assertThat(flat.getOfed()).isEqualTo(ofed);
        assertThat(flat.getLustre()).isEqualTo(git);
        assertThat(flat.getKernel()).isEqualTo(k);
        assertThat(flat.getOutput()).isEqualTo(output);
        j.assertEqualDataBoundBeans(nested, flat);
        String snippet = "mellanoxLustreBuild kernel: targetKernel(release: '4.18.0-553.27.1.el8_lustre.x86_64'), "
                + "lustre: lustreGit(ref: 'b2_15'), ofed: ofedBundle(location: '" + BUNDLE + "', sha256: "
                + "'0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'), "
                + "output: rpmOutput(archive: false, policy: 'internal')";
        // both are written with the nested names only (structs leaves out the deprecated setters)
        assertThat(org.jenkinsci.plugins.workflow.cps.Snippetizer.object2Groovy(flat)).isEqualTo(snippet);
        new SnippetizerTester(j).assertRoundTrip(nested, snippet);
        // messages name what was typed
        flat.setLustreRef("../x");
        assertThat(flat.options().problems()).anyMatch(p -> p.startsWith("lustreRef: "));
        git.setRef("../x");
        nested.setLustre(git);
        assertThat(nested.options().problems()).anyMatch(p -> p.startsWith("lustre.ref: "));
    }

    /**
     * Every parameter is optional in the model, so that Declarative, which checks required parameters,
     * accepts any one OFED source; the flat names are marked deprecated.
     */
    @Test
    void noParameterIsRequiredAndTheFlatNamesAreDeprecated() {
        for (Class<?> type : List.of(MellanoxLustreBuildStep.class, MellanoxLustreBuilder.class)) {
            DescribableModel<?> model = DescribableModel.of(type);
            assertThat(model.getParameters()).noneMatch(DescribableParameter::isRequired);
            assertThat(model.getParameters().stream().filter(DescribableParameter::isDeprecated)
                    .map(DescribableParameter::getName)).containsExactlyInAnyOrderElementsOf(BuildOptions.DEPRECATED);
        }
    }

    private Page post(JenkinsRule.WebClient wc, String relative, String... params) throws Exception {
        WebRequest req = new WebRequest(new URL(j.getURL(), relative), HttpMethod.POST);
        List<NameValuePair> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < params.length; i += 2) {
            pairs.add(new NameValuePair(params[i], params[i + 1]));
        }
        pairs.add(new NameValuePair(j.jenkins.getCrumbIssuer().getDescriptor().getCrumbRequestField(),
                j.jenkins.getCrumbIssuer().getCrumb()));
        req.setRequestParameters(pairs);
        return wc.getPage(req);
    }

    private FreeStyleProject securedProject() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("secured");
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE, Item.EXTENDED_READ).everywhere().to("configurer"));
        SystemCredentialsProvider.getInstance().getCredentials().add(new BasicSSHUserPrivateKey(
                CredentialsScope.GLOBAL, "ofed-key", "ofed",
                new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n"
                        + "-----END OPENSSH PRIVATE KEY-----"), null, "OFED mirror key"));
        SystemCredentialsProvider.getInstance().save();
        return p;
    }

    @Test
    void validationNeedsConfigurePermissionAndPost() throws Exception {
        FreeStyleProject p = securedProject();
        String base = p.getUrl() + "descriptorByName/" + OPTIONS + "/";
        String bundle = p.getUrl() + "descriptorByName/" + OFED_BUNDLE + "/";
        String git = p.getUrl() + "descriptorByName/" + LUSTRE_GIT + "/";
        String kernel = p.getUrl() + "descriptorByName/" + KERNEL + "/";
        String output = p.getUrl() + "descriptorByName/" + OUTPUT + "/";

        JenkinsRule.WebClient reader = j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("reader");
        assertThat(post(reader, bundle + "checkLocation", "value", BUNDLE).getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(post(reader, git + "checkRef", "value", "b2_15").getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(post(reader, kernel + "checkRelease", "value", "x").getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(post(reader, bundle + "checkSha256", "value", "x").getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(post(reader, base + "checkMakeJobs", "value", "8").getWebResponse().getStatusCode()).isEqualTo(403);

        JenkinsRule.WebClient configurer = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)
                .login("configurer");
        // GET is refused: validation is @POST only (stapler's verb interceptor: no GET handler, 404)
        assertThat(configurer.goTo(bundle + "checkLocation?value=x", null).getWebResponse().getStatusCode())
                .isIn(404, 405);
        String ok = post(configurer, bundle + "checkLocation", "value", BUNDLE).getWebResponse().getContentAsString();
        assertThat(ok).contains("MLNX_OFED 5.8-3.0.7.0 for rhel8.7 x86_64");
        String badName = post(configurer, bundle + "checkLocation", "value", "/srv/ofed.tgz").getWebResponse()
                .getContentAsString();
        assertThat(badName).contains("error").contains("MLNX_OFED_LINUX-&lt;version&gt;-&lt;distro&gt;-&lt;arch&gt;.tgz");
        assertThat(post(configurer, bundle + "checkLocation", "value", "").getWebResponse().getContentAsString())
                .contains("error").contains("Required");
        String httpNoSum = post(configurer, bundle + "checkLocation", "value",
                "https://mirror.example.com/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz").getWebResponse()
                .getContentAsString();
        assertThat(httpNoSum).contains("SHA-256");
        assertThat(post(configurer, bundle + "checkSha256", "value", "abc").getWebResponse().getContentAsString())
                .contains("64 hexadecimal digits");
        assertThat(post(configurer, git + "checkRef", "value", "--upload-pack=x").getWebResponse()
                .getContentAsString()).contains("is not a git ref");
        assertThat(post(configurer, kernel + "checkRelease", "value", "../../etc").getWebResponse()
                .getContentAsString()).contains("kernel release");
        assertThat(post(configurer, output + "checkDirectory", "value", "../outside").getWebResponse()
                .getContentAsString()).contains("error");
        // The form says what core's BuildSpec says, with its message, and accepts what the build accepts.
        assertThat(post(configurer, base + "checkMakeJobs", "value", "5000").getWebResponse().getContentAsString())
                .contains("5000 is not a job count");
        assertThat(post(configurer, base + "checkMakeJobs", "value", "8").getWebResponse().getContentAsString())
                .doesNotContain("error");
        assertThat(post(configurer, output + "checkPolicy", "value", "policies/site").getWebResponse()
                .getContentAsString()).doesNotContain("error").contains("policy file on the agent");
        assertThat(post(reader, output + "checkPolicy", "value", "internal").getWebResponse().getStatusCode())
                .isEqualTo(403);
    }

    @Test
    void theStepAndTheBuilderHaveNoFormMethodsOfTheirOwn() throws Exception {
        FreeStyleProject p = securedProject();
        p.getBuildersList().add(everyOptionBuilder());
        JenkinsRule.WebClient configurer = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)
                .login("configurer");
        assertThat(post(configurer, p.getUrl() + "descriptorByName/" + BUILDER + "/checkMakeJobs", "value", "8")
                .getWebResponse().getStatusCode()).isEqualTo(404);
        // The form renders the flat fields' check and fill URLs of the options' descriptor, its help, and
        // the nested parameters' drop-downs with their choices.
        String config = configurer.getPage(p, "configure").getWebResponse().getContentAsString();
        assertThat(config).contains("descriptorByName/" + OPTIONS + "/checkMakeJobs")
                .contains("descriptorByName/" + OPTIONS + "/fillBackendsItems")
                .contains("descriptor/" + OPTIONS + "/help/ofed")
                .contains("MLNX_OFED bundle").contains("DOCA-Host repository")
                .contains("The OFED installed on the agent").contains("Source directory on the agent")
                .contains("descriptorByName/" + KERNEL + "/checkRelease")
                .contains("descriptorByName/" + OUTPUT + "/checkPolicy");
        assertThat(configurer.goTo("descriptor/" + OPTIONS + "/help/makeJobs", null).getWebResponse()
                .getContentAsString()).contains("make -j");
        assertThat(configurer.goTo("descriptor/" + OFED_BUNDLE + "/help/location", null).getWebResponse()
                .getContentAsString()).contains("MLNX_OFED_LINUX-&lt;version&gt;");
    }

    private FreeStyleProject savedFreestyleJob(String name) throws Exception {
        try (var xml = getClass().getResourceAsStream("ConfigurationTest/" + name + ".xml")) {
            assertThat(xml).as(name + ".xml in the test resources").isNotNull();
            return (FreeStyleProject) j.jenkins.createProjectFromXML(name, xml);
        }
    }

    @Test
    void aSavedFreestyleJobWithEveryOptionStillLoadsAndRoundTrips() throws Exception {
        FreeStyleProject p = savedFreestyleJob("freestyle-every-option");
        MellanoxLustreBuilder loaded = p.getBuildersList().get(MellanoxLustreBuilder.class);
        j.assertEqualDataBoundBeans(everyOptionBuilder(), loaded);
        assertThat(loaded.getKnownHosts()).endsWith("Jl\n");
        j.configRoundtrip(p);
        j.assertEqualDataBoundBeans(everyOptionBuilder(), p.getBuildersList().get(MellanoxLustreBuilder.class));
    }

    @Test
    void aSavedFreestyleJobWithDefaultsStillLoadsAndRoundTrips() throws Exception {
        FreeStyleProject p = savedFreestyleJob("freestyle-defaults");
        MellanoxLustreBuilder loaded = p.getBuildersList().get(MellanoxLustreBuilder.class);
        j.assertEqualDataBoundBeans(bundleBuilder(), loaded);
        j.configRoundtrip(p);
        MellanoxLustreBuilder after = p.getBuildersList().get(MellanoxLustreBuilder.class);
        j.assertEqualDataBoundBeans(bundleBuilder(), after);
        assertThat(after.options().problems()).isEmpty();
    }

    @Test
    void aJobSavedFromTheNestedFormLoadsWithItsSourceAndNames() throws Exception {
        FreeStyleProject p = savedFreestyleJob("freestyle-nested");
        MellanoxLustreBuilder loaded = p.getBuildersList().get(MellanoxLustreBuilder.class);
        MellanoxLustreBuilder expected = new MellanoxLustreBuilder();
        expected.setOfed(new DocaRepository("/mirror/doca/3.2.1"));
        j.assertEqualDataBoundBeans(expected, loaded);
        assertThat(loaded.options().isNested()).isTrue();
        assertThat(loaded.getOfed()).isEqualTo(new DocaRepository("/mirror/doca/3.2.1"));
        j.configRoundtrip(p);
        MellanoxLustreBuilder after = p.getBuildersList().get(MellanoxLustreBuilder.class);
        j.assertEqualDataBoundBeans(expected, after);
        assertThat(after.options().problems()).isEmpty();
        // the saved form is still the flat <options> every version reads
        assertThat(p.getConfigFile().asString()).contains("<docaRepo>/mirror/doca/3.2.1</docaRepo>")
                .contains("<nested>true</nested>").doesNotContain("DocaRepository");
    }

    @Test
    void aSavedPipelineScriptStillBindsEveryOptionName() throws Exception {
        WorkflowJob p;
        try (var xml = getClass().getResourceAsStream("ConfigurationTest/pipeline-every-option.xml")) {
            p = (WorkflowJob) j.jenkins.createProjectFromXML("saved-pipeline", xml);
        }
        WorkflowRun b = j.buildAndAssertSuccess(p);
        String log = JenkinsRule.getLog(b);
        // Each call got through data binding (no unknown or mistyped parameter) and stopped in validation.
        assertThat(log).doesNotContain("Unknown parameter").doesNotContain(": ran")
                .contains("call 0: mellanoxLustreBuild: invalid options:")
                // the builder's former Pipeline name is gone (one name per build: mellanoxLustreBuild)
                .contains("call 1: No such DSL method 'mellanoxLustreBuilder'")
                .contains("call 2: mellanoxLustreBuild: invalid options:");
        assertThat(log.split("makeJobs: 5000 is not a job count", -1)).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void oneNameForTheBuildInPipelineAndOneDisplayNamePerFunction() throws Exception {
        assertThat(SymbolLookup.get().findDescriptor(Builder.class, "mellanoxLustreBuilder")).isNull();
        assertThat(StepDescriptor.all().stream().map(StepDescriptor::getFunctionName)
                .filter(n -> n.startsWith("mellanoxLustre"))).containsExactly("mellanoxLustreBuild");
        String step = j.jenkins.getDescriptorByType(MellanoxLustreBuildStep.DescriptorImpl.class).getDisplayName();
        String builder = j.jenkins.getDescriptorByType(MellanoxLustreBuilder.DescriptorImpl.class).getDisplayName();
        assertThat(step).isNotEqualTo(builder);

        WorkflowJob p = j.createProject(WorkflowJob.class, "old-name");
        p.setDefinition(new org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition(
                "mellanoxLustreBuilder bundle: '" + BUNDLE + "'", true));
        WorkflowRun b = j.assertBuildStatus(hudson.model.Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("No such DSL method 'mellanoxLustreBuilder'", b);
    }

    /** A parameter of the step or the builder as Pipeline and the Snippet Generator see it. */
    private static List<String> model(Class<?> type) {
        return DescribableModel.of(type).getParameters().stream()
                .map(p -> p.getName() + ":" + p.getRawType().getTypeName() + (p.isRequired() ? ":required" : ""))
                .sorted().toList();
    }

    @Test
    void theStepAndTheBuilderExposeTheSameParameters() {
        assertThat(model(MellanoxLustreBuildStep.class)).isEqualTo(model(MellanoxLustreBuilder.class))
                .contains("ofed:" + OfedSource.class.getName(), "lustre:" + LustreSource.class.getName(),
                        "kernel:" + TargetKernel.class.getName(), "output:" + RpmOutput.class.getName(),
                        "bundle:java.lang.String", "makeJobs:int", "archive:boolean");
    }

    @Test
    void theStepAndTheBuilderOwnTheirParametersHelp() throws Exception {
        for (String field : BuildOptions.FIELDS) {
            String form = resource(BuildOptions.class, "help-" + field + ".html");
            assertThat(resource(MellanoxLustreBuildStep.class, "help-" + field + ".html")).as(field).isEqualTo(form);
            assertThat(resource(MellanoxLustreBuilder.class, "help-" + field + ".html")).as(field).isEqualTo(form);
        }
        // the Pipeline Syntax reference shows them with the step's parameters
        String reference = j.createWebClient().goTo("pipeline-syntax/html").getWebResponse().getContentAsString();
        assertThat(reference).contains("mellanoxLustreBuild")
                .contains("An unknown or changed host key stops the build.")
                .contains("Parallel jobs for <code>make -j</code>.");
    }

    private static String resource(Class<?> owner, String name) throws Exception {
        try (var in = owner.getResourceAsStream(name)) {
            assertThat(in).as(owner.getSimpleName() + "/" + name).isNotNull();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void theDataBoundNamesAreTodays() {
        var expected = new java.util.TreeSet<>(BuildOptions.FIELDS);
        assertThat(new java.util.TreeSet<>(parameterNames(MellanoxLustreBuildStep.class))).isEqualTo(expected);
        assertThat(new java.util.TreeSet<>(parameterNames(MellanoxLustreBuilder.class))).isEqualTo(expected);
    }

    private static List<String> parameterNames(Class<?> type) {
        return DescribableModel.of(type).getParameters().stream().map(DescribableParameter::getName).toList();
    }

    @Test
    void credentialsAreListedAndCheckedForTheHostTheyAreUsedWith() throws Exception {
        FreeStyleProject p = securedProject();
        CredentialsProvider.lookupStores(j.jenkins).iterator().next().addDomain(
                new Domain("mirror", "OFED mirror only",
                        List.<DomainSpecification>of(new HostnameSpecification("mirror.example.com", null))),
                List.<Credentials>of(new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "mirror-key", "ofed",
                        new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n"
                                + "-----END OPENSSH PRIVATE KEY-----"), null, "mirror key")));
        String bundle = p.getUrl() + "descriptorByName/" + OFED_BUNDLE + "/";
        String git = p.getUrl() + "descriptorByName/" + LUSTRE_GIT + "/";
        JenkinsRule.WebClient configurer = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)
                .login("configurer");

        String forMirror = post(configurer, bundle + "fillCredentialsIdItems", "credentialsId", "",
                "location", "sftp://ofed@mirror.example.com/pub/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz")
                .getWebResponse().getContentAsString();
        assertThat(forMirror).contains("mirror-key").contains("ofed-key");
        String forOther = post(configurer, bundle + "fillCredentialsIdItems", "credentialsId", "",
                "location", "sftp://ofed@other.example.com/pub/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz")
                .getWebResponse().getContentAsString();
        assertThat(forOther).doesNotContain("mirror-key").contains("ofed-key");
        String gitOther = post(configurer, git + "fillCredentialsIdItems", "credentialsId", "",
                "repository", "ssh://review@git.example.com/lustre-release").getWebResponse().getContentAsString();
        assertThat(gitOther).doesNotContain("mirror-key");
        assertThat(post(configurer, bundle + "checkCredentialsId", "value", "mirror-key", "location",
                "sftp://ofed@other.example.com/pub/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz")
                .getWebResponse().getContentAsString()).contains("No SSH private key credentials");
        assertThat(post(configurer, bundle + "checkCredentialsId", "value", "mirror-key", "location",
                "sftp://ofed@mirror.example.com/pub/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz")
                .getWebResponse().getContentAsString()).doesNotContain("error");
    }

    @Test
    void credentialsListNeedsPermissionAndDoesNotEnumerateIds() throws Exception {
        FreeStyleProject p = securedProject();
        String fill = p.getUrl() + "descriptorByName/" + OFED_BUNDLE + "/fillCredentialsIdItems";

        JenkinsRule.WebClient reader = j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("reader");
        String forReader = post(reader, fill, "credentialsId", "").getWebResponse().getContentAsString();
        assertThat(forReader).doesNotContain("ofed-key");

        JenkinsRule.WebClient configurer = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)
                .login("configurer");
        String forConfigurer = post(configurer, fill, "credentialsId", "").getWebResponse().getContentAsString();
        assertThat(forConfigurer).contains("ofed-key");

        String check = p.getUrl() + "descriptorByName/" + OFED_BUNDLE + "/checkCredentialsId";
        assertThat(post(reader, check, "value", "missing").getWebResponse().getContentAsString())
                .doesNotContain("error");
        assertThat(post(configurer, check, "value", "missing").getWebResponse().getContentAsString())
                .contains("No SSH private key credentials");
    }
}

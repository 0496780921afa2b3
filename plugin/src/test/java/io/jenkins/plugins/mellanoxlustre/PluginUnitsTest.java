package io.jenkins.plugins.mellanoxlustre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.HostnamePortRequirement;
import com.cloudbees.plugins.credentials.domains.HostnameRequirement;
import com.cloudbees.plugins.credentials.domains.SchemeRequirement;
import hudson.AbortException;
import hudson.EnvVars;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The plugin's own derivations that need no Jenkins instance: URL names, checked paths, credentials domains,
 * the nested parameters over the flat options.
 */
class PluginUnitsTest {

    @Test
    void everyDirectoryGetsItsOwnUrlName() {
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, "out/el8")).isEqualTo("lustre-rpms-out_2Fel8");
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, "out_el8")).isEqualTo("lustre-rpms-out_5Fel8");
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, "lustre-rpms")).isEqualTo("lustre-rpms-lustre-rpms");
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.CHECK, ".")).isEqualTo("lustre-rpm-check-.");
        // names that a character-replacing slug would fold together stay apart
        List<String> dirs = List.of("out/el8", "out_el8", "out_2Fel8", "out-el8", "out.el8", "out el8", "out%2Fel8",
                "out:el8", "out/el8/", "outél8", "out/é", "rpms/el8-zfs", "rpms/el8_zfs", "rpms_el8/zfs", ".", "_");
        Set<String> names = new HashSet<>();
        for (String d : dirs) {
            String name = LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, d);
            assertThat(name).as(d).matches("lustre-rpms-[A-Za-z0-9._-]+");
            names.add(name);
        }
        assertThat(names).hasSize(dirs.size());
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, "x"))
                .isNotEqualTo(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.CHECK, "x"));
    }

    @Test
    void theWorkspaceItselfIsCheckedAsDot() throws AbortException {
        assertThat(LustreBuildRunner.checkedPath(".")).isEqualTo(".");
        assertThat(LustreBuildRunner.checkedPath("./")).isEqualTo(".");
        assertThat(LustreBuildRunner.checkedPath("./RPMS/")).isEqualTo("RPMS");
        assertThat(LustreBuildRunner.checkedPath("out/./el8")).isEqualTo("out/el8");
        assertThatThrownBy(() -> LustreBuildRunner.checkedPath("/")).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("path: '/' is not relative");
        assertThatThrownBy(() -> LustreBuildRunner.checkedPath("../x")).isInstanceOf(AbortException.class)
                .hasMessageContaining("leaves or is the workspace itself");
    }

    @Test
    void credentialsAreLookedUpForTheHostTheyAreUsedWith() {
        assertThat(SshCredentials.domainOf("sftp://ofed@mirror.example.com:2222/pub/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz"))
                .anyMatch(r -> r instanceof SchemeRequirement s && s.getScheme().equals("sftp"))
                .anyMatch(r -> r instanceof HostnameRequirement h && h.getHostname().equals("mirror.example.com"))
                .anyMatch(r -> r instanceof HostnamePortRequirement h && h.getPort() == 2222);
        assertThat(SshCredentials.domainOf("scp://ofed@mirror.example.com/pub/x.tgz"))
                .anyMatch(r -> r instanceof HostnameRequirement h && h.getHostname().equals("mirror.example.com"));
        assertThat(SshCredentials.domainOf("ssh://review@git.example.com/lustre-release"))
                .anyMatch(r -> r instanceof HostnameRequirement h && h.getHostname().equals("git.example.com"));
        List<DomainRequirement> scpLike = SshCredentials.domainOf("git@git.example.com:lustre/lustre-release.git");
        assertThat(scpLike).anyMatch(r -> r instanceof SchemeRequirement s && s.getScheme().equals("ssh"))
                .anyMatch(r -> r instanceof HostnameRequirement h && h.getHostname().equals("git.example.com"));
        assertThat(SshCredentials.domainOf("/srv/lustre-release")).isEmpty();
        assertThat(SshCredentials.domainOf("/srv/ofed/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz")).isEmpty();
        assertThat(SshCredentials.domainOf("")).isEmpty();
        assertThat(SshCredentials.domainOf(null)).isEmpty();
    }

    @Test
    void credentialsIdsAreNotExpandedButTheOtherOptionsAre() {
        BuildOptions o = new BuildOptions();
        o.setBundle("sftp://ofed@${MIRROR}/pub/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz");
        o.setBundleCredentialsId("${KEY}");
        o.setLustreCredentialsId("${GIT_KEY}");
        o.setLustreRef("${REF}");
        BuildOptions e = o.expand(new EnvVars("MIRROR", "mirror.example.com", "KEY", "someone-elses-key",
                "GIT_KEY", "another-key", "REF", "b2_15"));
        assertThat(e.getBundle()).isEqualTo("sftp://ofed@mirror.example.com/pub/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz");
        assertThat(e.getLustreRef()).isEqualTo("b2_15");
        assertThat(e.getBundleCredentialsId()).isEqualTo("${KEY}");
        assertThat(e.getLustreCredentialsId()).isEqualTo("${GIT_KEY}");
    }

    /** The engine's log reaches the build log line by line with the form's field names. */
    @Test
    void theEnginesLogIsWrittenLineByLineWithTheFormsFieldNames() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream log = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        EngineProcess.writeLog(("==> [1/9] Preflight\n  - kernelSource: missing (kernelSource)\nlast")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), new BuildOptions().toSpec()::namedLine, log);
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
                "==> [1/9] Preflight\n  - kernelSourceDir: missing (kernelSourceDir)\nlast\n");
    }

    /** Looks back off as DurableTaskStep's do: from 250 ms by 1.2 up to 15 s. */
    @Test
    void looksBackOffFrom250MillisecondsTo15Seconds() {
        assertThat(EngineProcess.backOff(0)).isEqualTo(EngineProcess.MIN_RECURRENCE_MILLIS);
        assertThat(EngineProcess.backOff(250)).isEqualTo(300);
        assertThat(EngineProcess.backOff(14_000)).isEqualTo(EngineProcess.MAX_RECURRENCE_MILLIS);
        assertThat(EngineProcess.backOff(EngineProcess.MAX_RECURRENCE_MILLIS)).isEqualTo(15_000);
    }

    /** The nested parameters are views of the flat options: written in, read back, and one source at a time. */
    @Test
    void nestedParametersWriteAndReadTheFlatOptions() {
        BuildOptions o = new BuildOptions();
        assertThat(o.getOfed()).isNull();
        assertThat(o.getLustre()).isEqualTo(new LustreGit());
        assertThat(o.getKernel()).isEqualTo(new TargetKernel());
        assertThat(o.getOutput()).isEqualTo(new RpmOutput());
        assertThat(o.isNested()).isFalse();

        OfedBundle bundle = new OfedBundle(" /srv/ofed/MLNX_OFED_LINUX-24.10-3.2.5.0-rhel8.10-x86_64.tgz ");
        bundle.setSha256("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        bundle.setCredentialsId("ofed-key");
        o.setOfed(bundle);
        assertThat(o.getBundle()).isEqualTo("/srv/ofed/MLNX_OFED_LINUX-24.10-3.2.5.0-rhel8.10-x86_64.tgz");
        assertThat(o.getBundleSha256()).startsWith("0123");
        assertThat(o.getBundleCredentialsId()).isEqualTo("ofed-key");
        assertThat(o.getOfed()).isEqualTo(bundle);
        assertThat(o.isNested()).isTrue();

        // another source replaces the bundle and its checksum and credentials: never two at once
        InstalledOfed installed = new InstalledOfed();
        installed.setDirectory("/opt/ofed-root");
        o.setOfed(installed);
        assertThat(o.getBundle()).isEmpty();
        assertThat(o.getBundleSha256()).isEmpty();
        assertThat(o.getBundleCredentialsId()).isEmpty();
        assertThat(o.isOfedInstalled()).isTrue();
        assertThat(o.getOfed()).isEqualTo(installed);
        o.setOfed(new DocaRepository("/mirror/doca/3.2.1"));
        assertThat(o.isOfedInstalled()).isFalse();
        assertThat(o.getOfedInstalledDir()).isEmpty();
        assertThat(o.getOfed()).isEqualTo(new DocaRepository("/mirror/doca/3.2.1"));
        o.setOfed(new OfedSourceRpm("ofed/mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.src.rpm"));
        assertThat(o.getDocaRepo()).isEmpty();
        assertThat(o.getOfed()).isEqualTo(new OfedSourceRpm("ofed/mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.src.rpm"));
        assertThat(o.getOfed()).isNotEqualTo(new DocaRepository("ofed/mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.src.rpm"));
        o.setOfed(null);
        assertThat(o.getOfed()).isNull();

        o.setLustre(new LustreDirectory("lustre-release"));
        assertThat(o.getLustreSourceDir()).isEqualTo("lustre-release");
        LustreGit git = new LustreGit();
        git.setRef("2.17.0");
        git.setCredentialsId("lustre-key");
        o.setLustre(git);
        assertThat(o.getLustreSourceDir()).isEmpty();
        assertThat(o.getLustreRef()).isEqualTo("2.17.0");
        assertThat(o.getLustre()).isEqualTo(git);
        git.setRef("");
        assertThat(git.getRef()).as("blank is the default").isEqualTo("master");

        TargetKernel kernel = new TargetKernel();
        kernel.setRelease("4.18.0-553.27.1.el8_lustre.x86_64");
        o.setKernel(kernel);
        assertThat(o.getKernelRelease()).isEqualTo("4.18.0-553.27.1.el8_lustre.x86_64");
        RpmOutput output = new RpmOutput();
        output.setPolicy("internal");
        output.setDirectory("out/el8");
        output.setArchive(false);
        o.setOutput(output);
        assertThat(o.getPolicy()).isEqualTo("internal");
        assertThat(o.getOutputDir()).isEqualTo("out/el8");
        assertThat(o.isArchive()).isFalse();
        assertThat(o.getOutput()).isEqualTo(output);
        assertThat(o.copy().getOutput()).isEqualTo(output);
        assertThat(o.copy().isNested()).isTrue();
    }

    /** Messages name the fields as they were typed: flat for the older names, nested for the nested ones. */
    @Test
    void problemsNameTheFieldsAsTyped() {
        BuildOptions flat = new BuildOptions();
        flat.setBundle("/srv/MLNX_OFED.tgz");
        flat.setBundleSha256("abc");
        flat.setLustreRef("../x");
        flat.setOutputDir("../outside");
        assertThat(flat.problems()).anyMatch(p -> p.startsWith("bundle: ")).anyMatch(p -> p.startsWith("bundleSha256: "))
                .anyMatch(p -> p.startsWith("lustreRef: ")).anyMatch(p -> p.startsWith("outputDir: "));

        BuildOptions nested = new BuildOptions();
        OfedBundle bundle = new OfedBundle("/srv/MLNX_OFED.tgz");
        bundle.setSha256("abc");
        nested.setOfed(bundle);
        LustreGit git = new LustreGit();
        git.setRef("../x");
        nested.setLustre(git);
        RpmOutput output = new RpmOutput();
        output.setDirectory("../outside");
        nested.setOutput(output);
        assertThat(nested.problems()).anyMatch(p -> p.startsWith("ofed.location: "))
                .anyMatch(p -> p.startsWith("ofed.sha256: ")).anyMatch(p -> p.startsWith("lustre.ref: "))
                .anyMatch(p -> p.startsWith("output.directory: ")).noneMatch(p -> p.startsWith("bundle"));
        assertThat(nested.fieldName(io.github.mellanoxlustre.request.BuildSpec.Field.LUSTRE_KEY))
                .isEqualTo("lustre.credentialsId");
        assertThat(flat.fieldName(io.github.mellanoxlustre.request.BuildSpec.Field.LUSTRE_KEY))
                .isEqualTo("lustreCredentialsId");
    }
}

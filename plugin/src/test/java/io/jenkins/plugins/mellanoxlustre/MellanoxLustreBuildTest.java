package io.jenkins.plugins.mellanoxlustre;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import hudson.tasks.Fingerprinter;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import io.github.mellanoxlustre.testing.LoopbackSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jenkins.util.VirtualFile;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * End to end on a real agent ({@code createOnlineSlave} with label {@code el8}, a separate JVM on this
 * machine) with the engine's stand-in toolchain: the engine really runs rpmbuild, git and the stand-in
 * OFED and Lustre build scripts on the agent.
 */
@WithJenkins
class MellanoxLustreBuildTest {
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    Path tmp;

    private JenkinsRule j;
    private DumbSlave agent;

    @BeforeEach
    void jenkins(JenkinsRule rule) {
        j = rule;
    }

    /** The stand-ins, and an agent labelled el8 whose PATH starts with their autotools stubs. */
    private StandInToolchain toolchain(StandInToolchain t) throws Exception {
        agent = j.createOnlineSlave(Label.get("el8"), t.agentEnv());
        return t;
    }

    private WorkflowJob pipeline(String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    private static List<String> artifacts(hudson.model.Run<?, ?> run) throws Exception {
        return run.getArtifacts().stream().map(a -> a.relativePath).toList();
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c"})
    void pipelineBuildsOnTheAgentPublishesArchivesAndFingerprints() throws Exception {
        StandInToolchain t = toolchain(StandInToolchain.create(tmp));
        WorkflowJob p = pipeline("node('el8') {\n"
                + "  def r = mellanoxLustreBuild " + t.pipelineArgs() + "\n"
                + "  echo \"verdict=${r.verdict} result=${r.result} rpms=${r.rpms.size()} manifest=${r.manifest}\"\n"
                + "  echo \"withheld=${r.withheld.size()} repo=${r.repoUrl}\"\n"
                + "}");
        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("verdict=PASS result=SUCCESS", b);
        j.assertLogContains("manifest=lustre-rpms/manifest.json", b);
        j.assertLogContains("withheld=0", b);
        j.assertLogContains("building on", b);
        List<String> archived = artifacts(b);
        assertThat(archived).contains("lustre-rpms/manifest.json", "lustre-rpms/SHA256SUMS", "lustre-rpms/report.json",
                "lustre-rpms/report.html", "lustre-rpms/repodata/repomd.xml");
        assertThat(archived).anyMatch(a -> a.matches("lustre-rpms/kmod-lustre-2\\.15\\.5-.*\\.rpm"));
        assertThat(archived).anyMatch(a -> a.matches("lustre-rpms/kmod-mlnx-ofa_kernel-.*\\.rpm"));
        assertThat(archived).noneMatch(a -> a.contains("osd-zfs"));
        // the build ran on the agent, not the controller
        FilePath ws = agent.getWorkspaceFor(p);
        assertThat(ws.child("lustre-rpms/manifest.json").exists()).isTrue();
        // the engine process's control directory (log, key files, known_hosts) is removed once published
        assertThat(ws.sibling(ws.getName() + "@tmp").list("mellanox-lustre-control-*/**")).isEmpty();
        assertThat(ws.sibling(ws.getName() + "@tmp").list("mellanox-lustre-control-*.known_hosts")).isEmpty();
        j.assertLogContains("the engine runs as a process of its own", b);

        LustreRpmsAction action = b.getAction(LustreRpmsAction.class);
        assertThat(action).isNotNull();
        assertThat(action.getReport().getVerdict()).isEqualTo("PASS");
        assertThat(action.getReport().getForbiddenCount()).isZero();
        assertThat(action.getPackages()).isNotEmpty().allMatch(PackageRecord::isArchived);
        assertThat(action.getRepoUrl()).endsWith(b.getUrl() + "artifact/lustre-rpms/");

        Fingerprinter.FingerprintAction fp = b.getAction(Fingerprinter.FingerprintAction.class);
        assertThat(fp).isNotNull();
        assertThat(fp.getRecords().keySet()).containsAll(archived);

        // the compliance page and the build page render, with the RPMs listed
        JenkinsRule.WebClient wc = j.createWebClient();
        String page = wc.goTo(b.getUrl() + action.getUrlName() + "/").asNormalizedText();
        assertThat(page).contains("kmod-lustre", "DISTRIBUTABLE", "Yum repository");
        assertThat(wc.goTo(b.getUrl()).asNormalizedText()).contains("Lustre RPMs (lustre-rpms)");
        // the archived repo metadata is served where yum will look for it
        VirtualFile repomd = b.getArtifactManager().root().child("lustre-rpms/repodata/repomd.xml");
        assertThat(repomd.isFile()).isTrue();
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c"})
    void zfsOsdIsWithheldNeverArchivedAndFailsUnderDistribute() throws Exception {
        StandInToolchain t = toolchain(StandInToolchain.create(tmp));
        WorkflowJob p = pipeline("node('el8') {\n"
                // the flat names of scripts written before the nested parameters still build
                + "  mellanoxLustreBuild " + t.flatPipelineArgs() + ", backends: 'ldiskfs,zfs', zfsSource: '"
                + t.zfs().sourceDir() + "', zfsObj: '" + t.zfs().objectDir() + "'\n"
                + "}");
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));

        j.assertLogContains("forbidden RPM(s) under policy distribute were withheld and not archived", b);
        j.assertLogContains("kmod-lustre-osd-zfs", b);
        List<String> archived = artifacts(b);
        assertThat(archived).noneMatch(a -> a.contains("osd-zfs"));
        assertThat(archived).anyMatch(a -> a.contains("kmod-lustre-osd-ldiskfs"));
        FilePath ws = agent.getWorkspaceFor(p);
        assertThat(ws.child("lustre-rpms-withheld").list("*osd-zfs*.rpm")).isNotEmpty();

        LustreRpmsAction action = b.getAction(LustreRpmsAction.class);
        assertThat(action.getReport().getVerdict()).isEqualTo("FAIL");
        assertThat(action.getResult()).isEqualTo("FAILURE");
        assertThat(action.getPackages()).filteredOn(PackageRecord::isForbidden)
                .isNotEmpty()
                .allMatch(pkg -> !pkg.isArchived() && pkg.getName().contains("osd-zfs"))
                .allMatch(pkg -> pkg.getFindings().stream().anyMatch(f -> f.getSeverity().equals("FORBIDDEN")));
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c"})
    void internalPolicyMakesTheBuildUnstableWithWarnings() throws Exception {
        StandInToolchain t = toolchain(StandInToolchain.create(tmp));
        WorkflowJob p = pipeline("node('el8') {\n"
                + "  def r = mellanoxLustreBuild " + t.pipelineArgs() + ", backends: 'ldiskfs,zfs', zfsSource: '"
                + t.zfs().sourceDir() + "', policy: 'internal'\n"
                + "  echo \"result=${r.result} warnings=${r.warnings > 0}\"\n"
                + "}");
        WorkflowRun b = j.assertBuildStatus(Result.UNSTABLE, p.scheduleBuild2(0));
        j.assertLogContains("result=UNSTABLE warnings=true", b);
        assertThat(artifacts(b)).anyMatch(a -> a.contains("kmod-lustre-osd-zfs"));
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c"})
    void freestyleBuilderRunsOnTheLabelledAgent() throws Exception {
        StandInToolchain t = toolchain(StandInToolchain.create(tmp));
        FreeStyleProject p = j.createFreeStyleProject("fs");
        p.setAssignedLabel(Label.get("el8"));
        MellanoxLustreBuilder builder = t.builder();
        builder.setOutputDir("out/el8");
        p.getBuildersList().add(builder);
        FreeStyleBuild b = j.buildAndAssertSuccess(p);
        assertThat(b.getBuiltOn()).isSameAs(agent);
        assertThat(artifacts(b)).contains("out/el8/manifest.json")
                .anyMatch(a -> a.matches("out/el8/kmod-lustre-2\\.15\\.5-.*\\.rpm"));
        assertThat(b.getAction(LustreRpmsAction.class).getUrlName()).isEqualTo("lustre-rpms-out_2Fel8");
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c"})
    void twoCallsWithTheSameOutputDirAreRefused() throws Exception {
        StandInToolchain t = toolchain(StandInToolchain.create(tmp));
        WorkflowJob p = pipeline("node('el8') {\n"
                + "  mellanoxLustreBuild " + t.pipelineArgs() + "\n"
                + "  mellanoxLustreBuild " + t.pipelineArgs() + "\n"
                + "}");
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("outputDir: 'lustre-rpms' was already used by another call in this build", b);
    }

    @Test
    void invalidOptionsFailBeforeAnythingRunsAndNameTheField() throws Exception {
        agent = j.createOnlineSlave(Label.get("el8"));
        WorkflowJob p = pipeline("node('el8') {\n"
                + "  mellanoxLustreBuild bundle: '/srv/MLNX_OFED.tgz', lustreRef: '../x', bundleSha256: 'abc'\n"
                + "}");
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("invalid options", b);
        j.assertLogContains("MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz", b);
        j.assertLogContains("lustreRef: '../x' is not a git ref", b);
        j.assertLogNotContains("building on", b);
    }

    @Test
    void invalidNestedOptionsNameTheNestedFields() throws Exception {
        agent = j.createOnlineSlave(Label.get("el8"));
        WorkflowJob p = pipeline("node('el8') {\n"
                + "  mellanoxLustreBuild ofed: ofedBundle(location: '/srv/MLNX_OFED.tgz', sha256: 'abc'),"
                + " lustre: lustreGit(ref: '../x'), output: rpmOutput(directory: '../outside')\n"
                + "}");
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("invalid options", b);
        j.assertLogContains("ofed.location:", b);
        j.assertLogContains("ofed.sha256:", b);
        j.assertLogContains("lustre.ref: '../x' is not a git ref", b);
        j.assertLogContains("output.directory:", b);
        j.assertLogNotContains("lustreRef:", b);
        j.assertLogNotContains("building on", b);
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c"})
    void sftpBundleWithSshCredentialsKeepsKeyMaterialOutOfLogAndDisk() throws Exception {
        StandInToolchain t = toolchain(StandInToolchain.create(tmp));
        Path served = Files.createDirectories(tmp.resolve("served/pub"));
        Files.copy(t.bundle(), served.resolve(t.bundle().getFileName()));
        try (LoopbackSshServer ssh = LoopbackSshServer.start(tmp.resolve("served"))) {
            String key = Files.readString(ssh.clientKey());
            String passphrase = new String(ssh.clientKeyPassphrase());
            SystemCredentialsProvider.getInstance().getCredentials().add(new BasicSSHUserPrivateKey(
                    CredentialsScope.GLOBAL, "ofed-mirror", LoopbackSshServer.USER,
                    new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(key), passphrase, "OFED mirror"));
            SystemCredentialsProvider.getInstance().save();
            String knownHosts = Files.readString(ssh.knownHosts()).strip();
            WorkflowJob p = pipeline("node('el8') {\n"
                    + "  mellanoxLustreBuild " + t.pipelineArgs("ofedBundle(location: '"
                            + ssh.url("sftp", "pub/" + t.bundle().getFileName()) + "', credentialsId: 'ofed-mirror')")
                    + ", knownHosts: '" + knownHosts + "'\n"
                    + "}");
            WorkflowRun b = j.buildAndAssertSuccess(p);
            j.assertLogContains("ofed.credentialsId: using SSH key credentials 'ofed-mirror'", b);
            j.assertLogNotContains(passphrase, b);
            j.assertLogNotContains(key.lines().skip(1).findFirst().orElseThrow(), b);
            FilePath ws = agent.getWorkspaceFor(p);
            assertThat(ws.sibling(ws.getName() + "@tmp").list("mellanox-lustre-control-*/ssh-*-key")).isEmpty();
            assertThat(ws.sibling(ws.getName() + "@tmp").list("mellanox-lustre-control-*.known_hosts")).isEmpty();
            // the key file is gone as soon as the bundle is fetched, before the next phase starts
            String log = JenkinsRule.getLog(b);
            String deleted = "bundleCredentialsId: the SSH key file is deleted ('Get OFED' is done)";
            assertThat(log).contains(deleted).contains("==> [3/");
            assertThat(log.indexOf(deleted)).isLessThan(log.indexOf("==> [3/"));
            // the credential's use is recorded against the build (CredentialsProvider.track)
            hudson.model.Fingerprint used = CredentialsProvider.getFingerprintOf(
                    SystemCredentialsProvider.getInstance().getCredentials().get(0));
            assertThat(used).isNotNull();
            assertThat(used.getJobs()).contains(p.getFullName());
        }
    }

    @Test
    void unknownCredentialsIdFailsTheBuild() throws Exception {
        agent = j.createOnlineSlave(Label.get("el8"));
        WorkflowJob p = pipeline("node('el8') {\n"
                + "  mellanoxLustreBuild bundle: 'sftp://tester@127.0.0.1:2222/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz',"
                + " bundleCredentialsId: 'nope'\n"
                + "}");
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("bundleCredentialsId: no 'SSH Username with private key' credentials with id 'nope'", b);
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c", "setsid"})
    void abortStopsTheEngineAndKillsItsProcessesOnTheAgent() throws Exception {
        Path pids = tmp.resolve("make.pids");
        StandInToolchain t = toolchain(StandInToolchain.create(tmp,
                LustreTreeFixture.Options.defaults().withHangingMake(pids)));
        WorkflowJob p = pipeline("node('el8') {\n  mellanoxLustreBuild " + t.pipelineArgs() + "\n}");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!(Files.exists(pids) && Files.readAllLines(pids).size() >= 3)) {
            assertThat(Instant.now()).as("make rpms started its grandchildren and a daemon").isBefore(deadline);
            assertThat(b.isBuilding()).as("build still running").isTrue();
            Thread.sleep(200);
        }
        List<Long> started = Files.readAllLines(pids).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(Long::parseLong).toList();
        // a build without SSH credentials writes no key file
        FilePath tmpDir = agent.getWorkspaceFor(p).sibling(agent.getWorkspaceFor(p).getName() + "@tmp");
        assertThat(tmpDir.list("mellanox-lustre-control-*/ssh-*-key")).isEmpty();
        long engine = enginePid(tmpDir);
        b.doStop();
        j.waitForCompletion(b);
        j.assertBuildStatus(Result.ABORTED, b);
        j.assertLogContains("stopping the engine process and its whole process tree", b);
        assertAllGone(started, engine);
        FilePath ws = agent.getWorkspaceFor(p);
        assertThat(ws.child("lustre-rpms").exists()).as("nothing published").isFalse();
        assertThat(artifacts(b)).isEmpty();
        assertThat(b.getAction(LustreRpmsAction.class)).isNull();
        assertThat(tmpDir.list("mellanox-lustre-control-*/**")).as("control directory removed").isEmpty();
    }

    /** The freestyle builder runs the same engine process; its abort kills the same whole tree. */
    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c", "setsid"})
    void freestyleAbortKillsTheEngineProcessTreeAndPublishesNothing() throws Exception {
        Path pids = tmp.resolve("make.pids");
        StandInToolchain t = toolchain(StandInToolchain.create(tmp,
                LustreTreeFixture.Options.defaults().withHangingMake(pids)));
        FreeStyleProject p = j.createFreeStyleProject("fs");
        p.setAssignedLabel(Label.get("el8"));
        p.getBuildersList().add(t.builder());
        FreeStyleBuild b = p.scheduleBuild2(0).waitForStart();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!(Files.exists(pids) && Files.readAllLines(pids).size() >= 3)) {
            assertThat(Instant.now()).as("make rpms started its grandchildren and a daemon").isBefore(deadline);
            assertThat(b.isBuilding()).as("build still running").isTrue();
            Thread.sleep(200);
        }
        List<Long> started = Files.readAllLines(pids).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(Long::parseLong).toList();
        FilePath ws = agent.getWorkspaceFor(p);
        long engine = enginePid(ws.sibling(ws.getName() + "@tmp"));
        b.doStop();
        j.waitForCompletion(b);
        j.assertBuildStatus(Result.ABORTED, b);
        j.assertLogContains("aborted: stopping the engine process and its whole process tree", b);
        assertAllGone(started, engine);
        assertThat(ws.child("lustre-rpms").exists()).as("nothing published").isFalse();
        assertThat(artifacts(b)).isEmpty();
        assertThat(b.getAction(LustreRpmsAction.class)).isNull();
    }

    /** The pid of the one engine process running in a control directory under {@code tmpDir}. */
    static long enginePid(FilePath tmpDir) throws Exception {
        FilePath[] pidFiles = tmpDir.list("mellanox-lustre-control-*/pid.json");
        assertThat(pidFiles).as("one engine process's pid.json").hasSize(1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"pid\"\\s*:\\s*(\\d+)")
                .matcher(pidFiles[0].readToString());
        assertThat(m.find()).isTrue();
        long pid = Long.parseLong(m.group(1));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("engine process %s runs", pid).contains(true);
        return pid;
    }

    /** Every process of the list and the engine are gone within 60 s. */
    static void assertAllGone(List<Long> processes, long engine) throws InterruptedException {
        List<Long> all = new java.util.ArrayList<>(processes);
        all.add(engine);
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (all.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
            assertThat(Instant.now()).as("processes %s killed", all).isBefore(until);
            Thread.sleep(200);
        }
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c", "setsid"})
    void theBundleKeyIsDeletedWhenTheBundleIsFetchedNotWhenTheBuildEnds() throws Exception {
        Path pids = tmp.resolve("make.pids");
        StandInToolchain t = toolchain(StandInToolchain.create(tmp,
                LustreTreeFixture.Options.defaults().withHangingMake(pids)));
        Path served = Files.createDirectories(tmp.resolve("served/pub"));
        Files.copy(t.bundle(), served.resolve(t.bundle().getFileName()));
        try (LoopbackSshServer ssh = LoopbackSshServer.start(tmp.resolve("served"))) {
            SystemCredentialsProvider.getInstance().getCredentials().add(new BasicSSHUserPrivateKey(
                    CredentialsScope.GLOBAL, "ofed-mirror", LoopbackSshServer.USER,
                    new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(Files.readString(ssh.clientKey())),
                    new String(ssh.clientKeyPassphrase()), "OFED mirror"));
            SystemCredentialsProvider.getInstance().save();
            WorkflowJob p = pipeline("node('el8') {\n"
                    + "  mellanoxLustreBuild " + t.pipelineArgs("ofedBundle(location: '"
                            + ssh.url("sftp", "pub/" + t.bundle().getFileName()) + "', credentialsId: 'ofed-mirror')")
                    + ", knownHosts: '"
                    + Files.readString(ssh.knownHosts()).strip() + "'\n"
                    + "}");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (!(Files.exists(pids) && Files.readAllLines(pids).size() >= 3)) {
                assertThat(Instant.now()).as("the build reached make rpms").isBefore(deadline);
                assertThat(b.isBuilding()).as("build still running").isTrue();
                Thread.sleep(200);
            }
            // phase 7 runs: the bundle was fetched in phase 2, and its key file is already gone
            FilePath ws = agent.getWorkspaceFor(p);
            FilePath tmpDir = ws.sibling(ws.getName() + "@tmp");
            assertThat(tmpDir.list("mellanox-lustre-control-*/pid.json")).as("the engine process runs").hasSize(1);
            assertThat(tmpDir.list("mellanox-lustre-control-*/ssh-*-key")).isEmpty();
            assertThat(tmpDir.list("mellanox-lustre-control-*/secrets.json")).isEmpty();
            j.waitForMessage("bundleCredentialsId: the SSH key file is deleted", b);
            b.doStop();
            j.waitForCompletion(b);
            assertThat(tmpDir.list("mellanox-lustre-control-*/**")).isEmpty();
        }
    }
}

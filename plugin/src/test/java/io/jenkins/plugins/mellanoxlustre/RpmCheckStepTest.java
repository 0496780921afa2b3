package io.jenkins.plugins.mellanoxlustre;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** {@code lustreRpmCheck} on a real agent with real RPMs (rpmbuild, core's fixtures). */
@WithJenkins
@RequiresTools({"rpmbuild", "bash"})
class RpmCheckStepTest {
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    Path tmp;

    private WorkflowJob checkJob(JenkinsRule j, String args) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "check");
        p.setDefinition(new CpsFlowDefinition("node('el8') {\n"
                + "  def r = lustreRpmCheck " + args + "\n"
                + "  echo \"verdict=${r.verdict} result=${r.result} forbidden=${r.forbidden}\"\n"
                + "}", true));
        return p;
    }

    /** Builds the RPMs on this machine and copies them into the job's workspace on the agent. */
    private static void rpmsInto(FilePath ws, Path... rpms) throws Exception {
        FilePath dir = ws.child("RPMS");
        dir.mkdirs();
        for (Path rpm : rpms) {
            dir.child(rpm.getFileName().toString()).copyFrom(new FilePath(rpm.toFile()));
        }
    }

    @Test
    void forbiddenPackageFailsTheBuildAndReportsAreArchived(JenkinsRule j) throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("el8"));
        WorkflowJob p = checkJob(j, "path: 'RPMS'");
        Path built = Files.createDirectories(tmp.resolve("built"));
        rpmsInto(agent.getWorkspaceFor(p), LustreZfsRpms.kmodZfs(built), LustreZfsRpms.lustre(built));

        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("checking RPMS with policy distribute", b);
        j.assertLogContains("forbidden RPM(s) under policy distribute", b);
        j.assertLogContains("kmod-zfs", b);
        assertThat(b.getArtifacts()).extracting(a -> a.relativePath)
                .containsExactlyInAnyOrder("rpm-check/rpm-check.json", "rpm-check/rpm-check.html",
                        "rpm-check/rpm-check.txt");
        LustreRpmsAction action = b.getAction(LustreRpmsAction.class);
        assertThat(action.getKind()).isEqualTo(LustreRpmsAction.Kind.CHECK);
        assertThat(action.getPackages()).anyMatch(pkg -> pkg.isForbidden() && pkg.getName().equals("kmod-zfs"));
        assertThat(action.getPackages()).noneMatch(PackageRecord::isArchived);
    }

    @Test
    void distributablePackagesPass(JenkinsRule j) throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("el8"));
        WorkflowJob p = checkJob(j, "path: 'RPMS'");
        Path built = Files.createDirectories(tmp.resolve("built"));
        rpmsInto(agent.getWorkspaceFor(p), LustreZfsRpms.distributable(built).toArray(Path[]::new));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("verdict=PASS result=SUCCESS forbidden=[]", b);
    }

    @Test
    void internalPolicyIsUnstable(JenkinsRule j) throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("el8"));
        WorkflowJob p = checkJob(j, "path: 'RPMS', policy: 'internal'");
        Path built = Files.createDirectories(tmp.resolve("built"));
        rpmsInto(agent.getWorkspaceFor(p), LustreZfsRpms.kmodLustreOsdZfs(built));
        WorkflowRun b = j.assertBuildStatus(Result.UNSTABLE, p.scheduleBuild2(0));
        j.assertLogContains("verdict=PASS result=UNSTABLE", b);
    }

    @Test
    void unreadableFileFailsAndPathsMayNotLeaveTheWorkspace(JenkinsRule j) throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("el8"));
        WorkflowJob p = checkJob(j, "path: 'RPMS'");
        Path built = Files.createDirectories(tmp.resolve("built"));
        rpmsInto(agent.getWorkspaceFor(p), LustreZfsRpms.notAnRpm(built, "broken.rpm"));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("could not be read as RPMs", b);

        WorkflowJob outside = j.createProject(WorkflowJob.class, "outside");
        outside.setDefinition(new CpsFlowDefinition("node('el8') { lustreRpmCheck path: '../..' }", true));
        WorkflowRun o = j.assertBuildStatus(Result.FAILURE, outside.scheduleBuild2(0));
        j.assertLogContains("path: '../..' leaves or is the workspace itself", o);
    }

    private WorkflowJob job(JenkinsRule j, String name, String body) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition("node('el8') {\n" + body + "\n}", true));
        return p;
    }

    @Test
    void theWholeWorkspaceIsShownAsDotAndCannotBeCheckedTwice(JenkinsRule j) throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("el8"));
        WorkflowJob p = job(j, "workspace", "lustreRpmCheck path: '.', reportDir: 'reports-a'\n"
                + "lustreRpmCheck path: './', reportDir: 'reports-b'");
        Path built = Files.createDirectories(tmp.resolve("built"));
        rpmsInto(agent.getWorkspaceFor(p), LustreZfsRpms.distributable(built).toArray(Path[]::new));

        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("path: '.' was already used by another call in this build", b);
        assertThat(b.getActions(LustreRpmsAction.class)).hasSize(1);
        LustreRpmsAction action = b.getAction(LustreRpmsAction.class);
        assertThat(action.getReport().getOutputDir()).isEqualTo(".");
        assertThat(action.getDisplayName()).isEqualTo("Lustre RPM check (.)");
        assertThat(action.getUrlName()).isEqualTo("lustre-rpm-check-.");
        assertThat(j.createWebClient().goTo(b.getUrl() + action.getUrlName() + "/").asNormalizedText())
                .contains("Lustre RPM check (.)");
    }

    @Test
    void nestedAndFlatDirectoriesOfTheSameSpellingGetTheirOwnPages(JenkinsRule j) throws Exception {
        DumbSlave agent = j.createOnlineSlave(Label.get("el8"));
        WorkflowJob p = job(j, "two", "lustreRpmCheck path: 'out/el8', reportDir: 'reports-nested'\n"
                + "lustreRpmCheck path: 'out_el8', reportDir: 'reports-flat'");
        Path built = Files.createDirectories(tmp.resolve("built"));
        FilePath ws = agent.getWorkspaceFor(p);
        java.util.List<Path> rpms = LustreZfsRpms.distributable(built);
        for (String dir : new String[] {"out/el8", "out_el8"}) {
            FilePath d = ws.child(dir);
            d.mkdirs();
            for (Path rpm : rpms) {
                d.child(rpm.getFileName().toString()).copyFrom(new FilePath(rpm.toFile()));
            }
        }

        WorkflowRun b = j.buildAndAssertSuccess(p);
        assertThat(b.getActions(LustreRpmsAction.class)).extracting(LustreRpmsAction::getUrlName)
                .containsExactly("lustre-rpm-check-out_2Fel8", "lustre-rpm-check-out_5Fel8");
        JenkinsRule.WebClient wc = j.createWebClient();
        assertThat(wc.goTo(b.getUrl() + "lustre-rpm-check-out_2Fel8/").asNormalizedText())
                .contains("Lustre RPM check (out/el8)");
        assertThat(wc.goTo(b.getUrl() + "lustre-rpm-check-out_5Fel8/").asNormalizedText())
                .contains("Lustre RPM check (out_el8)");
    }
}

package io.jenkins.plugins.mellanoxlustre;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import hudson.model.Computer;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * {@code mellanoxLustreBuild} is durable, as {@code sh} is: the engine runs on the agent as a process of
 * its own, held by the stand-in {@code make rpms} in phase 7 until the test opens its gate
 * ({@code STANDIN_MAKE_GATE}, core's {@code LustreTreeFixture}); meanwhile Jenkins is restarted, or the
 * agent disconnected and connected again, and the build goes on to publish its RPMs. The agent is a
 * separate JVM on this machine whose root lies in the test's own temporary directory, so it outlives
 * a Jenkins session (as workflow-durable-task-step's restart tests set up theirs).
 */
class DurableBuildTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @TempDir
    Path tmp;

    /** An agent labelled el8, rooted in the test's directory, its PATH starting with the stand-ins' stubs. */
    private static DumbSlave agent(JenkinsRule j, StandInToolchain t, Path root) throws Exception {
        DumbSlave agent = new DumbSlave("el8-agent", root.toString(), j.createComputerLauncher(t.agentEnv()));
        agent.setLabelString("el8");
        j.jenkins.addNode(agent);
        j.waitOnline(agent);
        return agent;
    }

    /** A Pipeline whose build waits in phase 7 until {@code gate} exists. */
    private static WorkflowJob gatedPipeline(JenkinsRule j, StandInToolchain t, Path gate) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node('el8') {\n"
                + "  withEnv(['STANDIN_MAKE_GATE=" + gate + "']) {\n"
                + "    def r = mellanoxLustreBuild " + t.pipelineArgs() + ", toolEnvironment: 'STANDIN_MAKE_GATE'\n"
                + "    echo \"verdict=${r.verdict} result=${r.result} rpms=${r.rpms.size()}\"\n"
                + "  }\n"
                + "}", true));
        return p;
    }

    private static void waitForTheGate(WorkflowRun b, Path gate) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!Files.exists(Path.of(gate + ".waiting"))) {
            assertThat(Instant.now()).as("the build reached make rpms (phase 7)").isBefore(deadline);
            assertThat(b.isBuilding()).as("build still running").isTrue();
            Thread.sleep(200);
        }
    }

    /** The build finished after the interruption: its RPMs archived, its log whole and each line once. */
    private static void assertPublished(JenkinsRule j, WorkflowRun b) throws Exception {
        j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
        j.assertLogContains("verdict=PASS result=SUCCESS", b);
        List<String> archived = b.getArtifacts().stream().map(a -> a.relativePath).toList();
        assertThat(archived).contains("lustre-rpms/manifest.json", "lustre-rpms/repodata/repomd.xml")
                .anyMatch(a -> a.matches("lustre-rpms/kmod-lustre-2\\.15\\.5-.*\\.rpm"))
                .noneMatch(a -> a.contains("osd-zfs"));
        LustreRpmsAction action = b.getAction(LustreRpmsAction.class);
        assertThat(action).isNotNull();
        assertThat(action.getReport().getVerdict()).isEqualTo("PASS");
        String log = JenkinsRule.getLog(b);
        for (String banner : List.of("==> [1/9]", "==> [7/9]", "==> [8/9]", "==> [9/9]", "==> exit 0 (PASSED)")) {
            assertThat(log.split(java.util.regex.Pattern.quote(banner), -1)).as(banner + " once in the log")
                    .hasSize(2);
        }
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c", "setsid"})
    void aBuildSurvivesARestartOfJenkinsAndPublishesItsRpms() throws Throwable {
        StandInToolchain t = StandInToolchain.create(tmp.resolve("standins"));
        Path gate = tmp.resolve("gate");
        Path agentRoot = Files.createDirectories(tmp.resolve("agent"));
        long[] engine = new long[1];
        sessions.then(j -> {
            DumbSlave agent = agent(j, t, agentRoot);
            WorkflowJob p = gatedPipeline(j, t, gate);
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            waitForTheGate(b, gate);
            j.waitForMessage("==> [7/9] Build the Lustre RPMs", b);
            FilePath ws = agent.getWorkspaceFor(p);
            engine[0] = MellanoxLustreBuildTest.enginePid(ws.sibling(ws.getName() + "@tmp"));
        });
        assertThat(ProcessHandle.of(engine[0]).map(ProcessHandle::isAlive))
                .as("the engine process outlived Jenkins and its agent's JVM").contains(true);
        sessions.then(j -> {
            WorkflowJob p = j.jenkins.getItemByFullName("p", WorkflowJob.class);
            WorkflowRun b = p.getBuildByNumber(1);
            assertThat(b.isBuilding()).as("the build resumed").isTrue();
            Files.createFile(gate);
            assertPublished(j, b);
            MellanoxLustreBuildTest.assertAllGone(List.of(), engine[0]);
            FilePath ws = ((DumbSlave) j.jenkins.getNode("el8-agent")).getWorkspaceFor(p);
            assertThat(ws.sibling(ws.getName() + "@tmp").list("mellanox-lustre-control-*/**"))
                    .as("the control directory is removed once published").isEmpty();
        });
    }

    @Test
    @RequiresTools({"bash", "git", "rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "createrepo_c", "setsid"})
    void aBuildSurvivesItsAgentDisconnectingAndConnectingAgain() throws Throwable {
        StandInToolchain t = StandInToolchain.create(tmp.resolve("standins"));
        Path gate = tmp.resolve("gate");
        Path agentRoot = Files.createDirectories(tmp.resolve("agent"));
        sessions.then(j -> {
            DumbSlave agent = agent(j, t, agentRoot);
            WorkflowJob p = gatedPipeline(j, t, gate);
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            waitForTheGate(b, gate);
            FilePath ws = agent.getWorkspaceFor(p);
            long engine = MellanoxLustreBuildTest.enginePid(ws.sibling(ws.getName() + "@tmp"));

            Computer c = agent.toComputer();
            c.disconnect(null).get();
            j.waitForMessage("el8-agent seems to be offline", b);
            assertThat(ProcessHandle.of(engine).map(ProcessHandle::isAlive))
                    .as("the engine process outlived its agent's JVM").contains(true);
            Files.createFile(gate);
            c.connect(false).get();
            j.waitOnline(agent);
            assertPublished(j, b);
            j.assertLogContains("el8-agent is back online", b);
        });
    }
}

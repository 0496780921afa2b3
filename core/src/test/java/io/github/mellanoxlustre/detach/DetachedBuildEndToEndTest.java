package io.github.mellanoxlustre.detach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mellanoxlustre.engine.BuildResult;
import io.github.mellanoxlustre.engine.EngineFixtures;
import io.github.mellanoxlustre.policy.CheckVerdict;
import io.github.mellanoxlustre.process.ToolRunnerTest;
import io.github.mellanoxlustre.standin.LustreRepo;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real engine build (the stand-in toolchain of the engine's end-to-end tests) run as a detached
 * process: it outlives the JVM that launched and watched it, a new watcher picks up its log and
 * result, its death is noticed, and an abort through a re-attached watcher kills everything.
 */
class DetachedBuildEndToEndTest {
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    static EngineFixtures f;

    @TempDir
    Path dir;

    /** A test that failed half-way leaves no engine process waiting for ever (nor its tools). */
    @RegisterExtension
    final LeftoverEngine leftover = new LeftoverEngine(() -> dir.resolve("control"));

    @BeforeAll
    static void standins() throws Exception {
        f = EngineFixtures.shared();
    }

    @Test
    void aNewWatcherPicksUpTheLogFromItsOffsetAndTheResultAfterTheWatchingJvmWasKilled() throws Exception {
        Path control = dir.resolve("control");
        Path gate = dir.resolve("gate");
        Path specFile = dir.resolve("spec.json");
        Path seen = dir.resolve("seen.log");
        Path offsetFile = dir.resolve("offset");
        EngineJson.MAPPER.writeValue(specFile.toFile(), spec(f.lustre.url()).environment(
                List.of("STANDIN_MAKE_GATE=" + gate)));
        // the watching JVM leads a process group of its own, which is killed whole (as an agent is by
        // a terminal's Ctrl-C or a service stop): the engine must not be in it
        Path setsid = Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(setsid != null, "needs setsid (util-linux) to give the watching JVM a process group to kill");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process watching = new ProcessBuilder(setsid.toString(), java, "-cp", System.getProperty("java.class.path"),
                LaunchAndWatch.class.getName(), control.toString(), specFile.toString(), seen.toString(),
                offsetFile.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("watching.out").toFile())
                .start();
        Path log = control.resolve(ControlDir.LOG);
        try {
            waitUntil("make rpms waits at the gate", () -> Files.exists(Path.of(gate + ".waiting")));
            // the first watcher has copied everything up to the wait
            waitUntil("the first watcher caught up", () -> offset(offsetFile) == size(log) && size(log) > 0);
        } finally {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + watching.pid()).inheritIO().start();
            assertThat(kill.waitFor()).as("kill -KILL -- -<watching JVM's group>").isZero();
            watching.destroyForcibly();
            watching.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(watching.isAlive()).isFalse();
        ProcessIdentity engine = BuildWatcher.attach(control).process().orElseThrow();
        Thread.sleep(500);
        assertThat(engine.stillRunning()).as("the engine outlived the watching JVM's process group").isTrue();
        assertThat(sessionOf(engine.pid())).as("the engine leads a session of its own").isEqualTo(engine.pid());

        BuildWatcher second = BuildWatcher.attach(control);
        BuildWatcher.Status running = second.status();
        assertThat(running).as(second.logTail(50)).isInstanceOf(BuildWatcher.Running.class);
        assertThat(second.progress()).get().satisfies(p -> {
            assertThat(p.phase()).isEqualTo(7);
            assertThat(p.title()).isEqualTo("Build the Lustre RPMs");
            assertThat(p.state()).isEqualTo(Progress.RUNNING);
        });
        long offset = offset(offsetFile);
        byte[] before = Files.readAllBytes(seen);
        assertThat(before).hasSize((int) offset);

        Files.createFile(gate);
        BuildWatcher.Status end = second.await(BUILD_TIMEOUT);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        long endOffset = second.copyLog(offset, rest);

        assertThat(end).as(second.logTail(80)).isInstanceOf(BuildWatcher.Finished.class);
        BuildWatcher.Finished finished = (BuildWatcher.Finished) end;
        assertThat(finished.exit().outcome()).isEqualTo(Outcome.PASSED);
        assertThat(finished.exit().exitCode()).isZero();
        assertThat(finished.exit().writer()).isEqualTo(ExitStatus.ENGINE);
        BuildResult result = finished.result().orElseThrow();
        assertThat(result.verdict()).isEqualTo(CheckVerdict.PASS);
        assertThat(result.outputDir()).isEqualTo(dir.resolve("out").toAbsolutePath().normalize());
        assertThat(result.published()).isNotEmpty().allSatisfy(p -> assertThat(p).isRegularFile());
        assertThat(result.published().stream().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(rpmsIn(result.outputDir()));
        assertThat(result.phases()).hasSize(9);
        assertThat(result.report().packages()).hasSize(result.published().size() + result.withheld().size());
        assertThat(EngineJson.MAPPER.readValue(EngineJson.MAPPER.writeValueAsBytes(result), BuildResult.class))
                .as("result.json round-trips").isEqualTo(result);
        assertThat(Files.readString(control.resolve(ControlDir.RESULT))).contains("\"verdict\" : \"PASS\"",
                "\"published\" : [ \"" + result.published().get(0));

        // the two watchers together saw the whole log, each byte once
        byte[] whole = Files.readAllBytes(log);
        assertThat(endOffset).isEqualTo(whole.length);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(before);
        both.write(rest.toByteArray());
        assertThat(both.toByteArray()).isEqualTo(whole);
        String first = new String(before, StandardCharsets.UTF_8);
        String second2 = rest.toString(StandardCharsets.UTF_8);
        assertThat(first).contains("==> [7/9] Build the Lustre RPMs").doesNotContain("==> [8/9]");
        assertThat(second2).contains("==> [8/9]", "==> [9/9]", "==> PASS", "==> exit 0 (PASSED)");
        assertThat(control.resolve(ControlDir.SECRETS)).doesNotExist();
        assertThat(second.progress()).get().extracting(Progress::state).isEqualTo(Progress.FINISHED);
    }

    @Test
    void anEngineKilledWithSigkillIsReportedAsDiedWithTheTailOfItsLog() throws Exception {
        Path control = dir.resolve("control");
        Path gate = dir.resolve("gate");
        BuildWatcher w = launcher().launch(control, spec(f.lustre.url()).environment(
                List.of("STANDIN_MAKE_GATE=" + gate)), EngineSecrets.of(System.getenv()));
        waitUntil("make rpms waits at the gate", () -> Files.exists(Path.of(gate + ".waiting")));
        ProcessIdentity engine = w.process().orElseThrow();
        List<Long> tree = treeOf(engine);
        assertThat(tree).as("the engine and its tools").hasSizeGreaterThan(1);

        engine.handle().orElseThrow().destroyForcibly();
        waitUntil("the engine is gone", () -> !engine.stillRunning());

        BuildWatcher.Status s = BuildWatcher.attach(control).status();
        assertThat(s).isInstanceOf(BuildWatcher.Died.class);
        BuildWatcher.Died died = (BuildWatcher.Died) s;
        assertThat(died.process()).isEqualTo(engine);
        assertThat(died.progress()).get().extracting(Progress::phase).isEqualTo(7);
        assertThat(died.logTail()).contains("==> [7/9] Build the Lustre RPMs")
                .isEqualTo(w.logTail(BuildWatcher.TAIL_LINES));
        assertThat(died.logTail().lines().count()).isLessThanOrEqualTo(BuildWatcher.TAIL_LINES);
        assertThat(control.resolve(ControlDir.EXIT)).doesNotExist();
        assertThat(dir.resolve("out")).doesNotExist();
        if (!died.logTail().contains("tools run without a PID namespace")) {
            // the tools' PID namespaces end with the engine that held them
            ToolRunnerTest.assertAllDead(tree);
        }
        // the gate is never opened: make's wait loop must be gone with the rest (or this test leaks it)
        Files.createFile(gate);
    }

    @Test
    void abortThroughAReattachedWatcherKillsEveryProcessOfTheTreeAndPublishesNothing() throws Exception {
        Path pids = dir.resolve("make.pids");
        LustreRepo hanging = LustreTreeFixture.createGitRepo(dir.resolve("lustre"),
                LustreTreeFixture.Options.defaults().withHangingMake(pids));
        Path control = dir.resolve("control");
        launcher().launch(control, spec(hanging.url()), EngineSecrets.of(System.getenv()));
        waitUntil("make rpms started its grandchildren and a daemon", () -> lines(pids).size() >= 3);

        BuildWatcher reattached = BuildWatcher.attach(control);
        ProcessIdentity engine = reattached.process().orElseThrow();
        List<Long> all = new ArrayList<>(treeOf(engine));
        for (String pid : lines(pids)) {
            all.add(Long.parseLong(pid.trim()));
        }

        BuildWatcher.Status s = reattached.abort(Duration.ofSeconds(60));

        assertThat(s).as(reattached.logTail(80)).isInstanceOf(BuildWatcher.Finished.class);
        BuildWatcher.Finished finished = (BuildWatcher.Finished) s;
        assertThat(finished.exit().outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(finished.exit().exitCode()).isEqualTo(130);
        assertThat(finished.exit().writer()).as("the engine aborted itself").isEqualTo(ExitStatus.ENGINE);
        assertThat(finished.result()).isEmpty();
        ToolRunnerTest.assertAllDead(all);
        assertThat(engine.stillRunning()).isFalse();
        assertThat(reattached.logTail(80)).contains("!!! [7/9] Build the Lustre RPMs ABORTED", "==> BUILD ABORTED");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.resolve("out-withheld")).doesNotExist();
        try (Stream<Path> s2 = Files.list(dir)) {
            assertThat(s2.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }
    }

    private static EngineLauncher launcher() {
        return EngineLauncher.withClasspath(System.getProperty("java.class.path"));
    }

    /** A server ldiskfs kmod build of b2_15, as {@link EngineFixtures.Request}'s defaults. */
    private DetachedSpec spec(String lustreUrl) {
        return new DetachedSpec().bundle(f.bundle.tgz().toString())
                .kernelRelease(EngineFixtures.KERNEL).kernelSource(f.kernel.dir())
                .lustreRepository(lustreUrl).lustreRef("b2_15")
                .outputDir(dir.resolve("out")).workDir(dir.resolve("work")).cacheDir(f.cache)
                .checkDistro(false).minFreeMiB(0L).makeJobs(2)
                .environment(List.of("PATH=" + f.path()));
    }

    /** The engine and every descendant it has now. */
    static List<Long> treeOf(ProcessIdentity engine) {
        ProcessHandle h = engine.handle().orElseThrow();
        List<Long> pids = new ArrayList<>();
        pids.add(h.pid());
        h.descendants().forEach(d -> pids.add(d.pid()));
        return pids;
    }

    static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + BUILD_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Field 6 (session) of /proc/<pid>/stat. */
    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }

    private static long offset(Path file) {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
                    : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> rpmsIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rpm")).toList();
        }
    }
}

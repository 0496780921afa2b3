package io.github.mellanoxlustre.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.standin.ProcessRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tools in a PID namespace of their own, what they see there, and the fallback without one. */
class ToolContainmentTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);

    private ToolRunner runner(ToolContainment containment, Map<String, String> env) {
        return new ToolRunner("test phase", console, dir.resolve("phase.log"), Cancellation.forCurrentThread(),
                new ToolClock(), env, Duration.ofSeconds(10), containment); // a grace long enough for a loaded machine: TERM handlers end it sooner
    }

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }

    /** A containment that works here, or the test is skipped with the reason. */
    private ToolContainment working() throws Exception {
        ToolContainment c = new ToolContainment();
        runner(c, Map.of()).run(ToolCommand.of(dir, "true"));
        Assumptions.assumeTrue(c.unavailable().isEmpty(),
                () -> "PID namespaces are not available here: " + c.unavailable().orElse(""));
        return c;
    }

    /** As if this machine had no namespaces (the effective uid cannot be read). */
    private static ToolContainment none() {
        return new ToolContainment(OptionalLong.empty());
    }

    @Test
    void eachToolRunsInAPidNamespaceOfItsOwn() throws Exception {
        ToolRunner r = runner(working(), Map.of());
        List<String> tool = r.capture(ToolCommand.of(dir, "readlink", "/proc/self/ns/pid"));
        String engine = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        assertThat(tool).hasSize(1).doesNotContain(engine);
        // the tool is not the namespace's init (pid 1, which ignores SIGTERM): nsenter's child
        assertThat(r.capture(ToolCommand.of(dir, "sh", "-c", "echo $$ $PPID"))).containsExactly("3 0");
        assertThat(console()).doesNotContain("warning");
    }

    @Test
    void theNamespaceChangesNothingTheToolSees() throws Exception {
        Map<String, String> env = Map.of("MLNX_TEST_VAR", "a b'c", "weird.name-x", "1");
        Path sub = Files.createDirectories(dir.resolve("sub dir"));
        ToolCommand show = ToolCommand.of(sub, "sh", "-c", "pwd; umask; ulimit -n; id -u; id -g; "
                + "[ -t 0 ] && echo tty || echo stdin: $(cat | wc -c)");
        ToolCommand environ = ToolCommand.of(sub, "env");
        ToolRunner contained = runner(working(), env);
        ToolRunner plain = runner(none(), env);
        assertThat(contained.capture(show)).isEqualTo(plain.capture(show)).contains(sub.toString(), "stdin: 0");
        assertThat(contained.capture(environ).stream().sorted().toList())
                .isEqualTo(plain.capture(environ).stream().sorted().toList())
                .contains("MLNX_TEST_VAR=a b'c", "weird.name-x=1");

        for (ToolContainment c : List.of(working(), none())) {
            ToolRunner r = runner(c, env);
            assertThat(r.run(ToolCommand.of(dir, "sh", "-c", "exit 42").accepting(42)).exitCode()).isEqualTo(42);
            assertThat(r.run(ToolCommand.of(dir, "sh", "-c", "kill -TERM $$").accepting(143)).exitCode())
                    .isEqualTo(143);
            assertThatThrownBy(() -> r.run(ToolCommand.of(dir, "sh", "-c", "exit 3")))
                    .isInstanceOfSatisfying(ToolFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(3));
            ToolResult piped = r.pipe(ToolCommand.of(dir, "printf", "a\\nb\\n"),
                    ToolCommand.of(dir, "sh", "-c", "wc -l; exit 5").accepting(5));
            assertThat(piped.exitCode()).isEqualTo(5);
            assertThat(piped.tail()).anyMatch(l -> l.strip().equals("2"));
        }
    }

    @Test
    void aDaemonOfAPipelineIsKilledToo() throws Exception {
        Path pids = dir.resolve("pids");
        ToolRunner r = runner(working(), Map.of());
        r.pipe(ToolCommand.of(dir, "sh", "-c", "sh " + Daemons.daemoniser(pids) + " start; "
                + "while [ ! -s " + pids + " ]; do sleep 0.05; done; echo x"), ToolCommand.of(dir, "cat"));
        ToolRunnerTest.assertAllDead(readPids(pids));
    }

    @Test
    void onAbortAToolAndItsDaemonGetSigtermFirstAndCanCleanUp() throws Exception {
        ToolContainment c = working();
        Path pids = dir.resolve("pids");
        Path tool = writeCleaningTool(pids);
        Thread engine = Thread.currentThread();
        Thread aborter = new Thread(() -> {
            waitForLines(pids, 2);
            engine.interrupt();
        });
        aborter.start();
        try {
            assertThatThrownBy(() -> runner(c, Map.of()).run(ToolCommand.of(dir, "sh", tool.toString(), "loop")))
                    .isInstanceOf(AbortedException.class);
        } finally {
            aborter.join(20_000);
            Thread.interrupted();
        }
        assertThat(dir.resolve("cleaned-tool")).hasContent("tool cleaned up");
        assertThat(dir.resolve("cleaned-daemon")).hasContent("daemon cleaned up");
        ToolRunnerTest.assertAllDead(readPids(pids));
    }

    @Test
    void whenAToolEndsItsDaemonGetsSigtermFirstAndCanCleanUp() throws Exception {
        Path pids = dir.resolve("pids");
        Path tool = writeCleaningTool(pids);
        runner(working(), Map.of()).run(ToolCommand.of(dir, "sh", tool.toString(), "end"));
        assertThat(dir.resolve("cleaned-daemon")).hasContent("daemon cleaned up");
        ToolRunnerTest.assertAllDead(readPids(pids));
        // the daemon's shell, and its sleep unless caught between two
        assertThat(console()).containsPattern("killed [12] process(es)? the tool left running after it exited");
    }

    /**
     * {@code sh tool.sh loop|end}: starts a daemon (setsid and a double fork) that writes
     * {@code cleaned-daemon} on SIGTERM, records its own and the daemon's pid, then loops until
     * SIGTERM (writing {@code cleaned-tool}) or ends.
     */
    private Path writeCleaningTool(Path pids) throws IOException {
        String rec = Daemons.recorder(pids);
        Path daemon = dir.resolve("daemon.sh");
        Files.writeString(daemon, "case $1 in\n"
                + "start) setsid sh \"$0\" fork </dev/null >/dev/null 2>&1 ;;\n"
                + "fork) sh \"$0\" run & ;;\n"
                + "run) trap 'echo daemon cleaned up > " + dir.resolve("cleaned-daemon") + "; exit 0' TERM\n"
                + "  . " + rec + "\n"
                + "  while :; do sleep 0.1; done ;;\n"
                + "esac\n");
        Path tool = dir.resolve("tool.sh");
        Files.writeString(tool, "sh " + daemon + " start\n"
                + "while [ ! -s " + pids + " ]; do sleep 0.05; done\n"
                + "[ \"$1\" = end ] && exit 0\n"
                + "trap 'echo tool cleaned up > " + dir.resolve("cleaned-tool") + "; exit 1' TERM\n"
                + ". " + rec + "\n"
                + "while :; do sleep 0.1; done\n");
        return tool;
    }

    private static void waitForLines(Path file, int lines) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (Files.exists(file) && readPids(file).size() >= lines) {
                    return;
                }
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException | NumberFormatException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no " + lines + " pids in " + file);
    }

    @Test
    void withoutUnshareOnThePathTheBuildWarnsOnceAndRunsToolsAsBefore() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("sh", "sleep", "setsid", "cat")) {
            Files.createSymbolicLink(bin.resolve(tool), ProgramPath.find(tool, System.getenv("PATH")).orElseThrow());
        }
        Map<String, String> env = Map.of("PATH", bin.toString());
        ToolContainment build = new ToolContainment();
        Path pids = dir.resolve("pids");
        runner(build, env).run(ToolCommand.of(dir, "sh", "-c", "echo first"));
        runner(build, env).run(ToolCommand.of(dir, "sh", "-c", "sleep 1000 >/dev/null 2>&1 & "
                + ". " + Daemons.recorder(pids) + "; exit 0"));
        String warning = "warning: tools run without a PID namespace in this build: unshare (util-linux) is not on"
                + " the PATH. A process a tool detaches from its session (setsid and a double fork) can outlive an"
                + " abort or the end of the tool";
        assertThat(console()).containsOnlyOnce(warning).contains("first");
        assertThat(console().indexOf(warning)).isLessThan(console().indexOf("$ sh -c 'echo first'"));
        assertThat(Files.readString(dir.resolve("phase.log"))).contains(warning);
        assertThat(build.unavailable()).contains("unshare (util-linux) is not on the PATH");
        ToolRunnerTest.assertAllDead(readPids(pids));
    }

    @Test
    void aFailingUnshareIsNamedInTheWarning() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("unshare");
        Files.writeString(fake, "#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(bin.resolve("nsenter"), ProgramPath.find("true", System.getenv("PATH")).orElseThrow());
        ToolContainment build = new ToolContainment();
        ToolRunner r = runner(build, Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertThat(r.capture(ToolCommand.of(dir, "echo", "still runs"))).containsExactly("still runs");
        assertThat(console()).containsOnlyOnce("warning: tools run without a PID namespace in this build: unshare ")
                .contains("--pid --fork --kill-child failed: unshare: unshare failed: Operation not permitted");
    }

    @Test
    void aFailingNsenterIsNamedInTheWarning() throws Exception {
        working();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("nsenter");
        Files.writeString(fake, "#!/bin/sh\necho 'nsenter: reassociate to namespace: Operation not permitted' >&2\n"
                + "exit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        ToolContainment build = new ToolContainment();
        ToolRunner r = runner(build, Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertThat(r.capture(ToolCommand.of(dir, "echo", "still runs"))).containsExactly("still runs");
        assertThat(r.capture(ToolCommand.of(dir, "echo", "again"))).containsExactly("again");
        assertThat(console()).containsOnlyOnce("warning: tools run without a PID namespace in this build: nsenter --pid")
                .contains("failed (exit code 1): nsenter: reassociate to namespace: Operation not permitted");
    }

    @Test
    void aNonRootBuildMapsItsUserToItselfAndKillsTheDaemon() throws Exception {
        Assumptions.assumeTrue(ToolContainment.effectiveUid().equals(OptionalLong.of(0)),
                "needs root to start the second JVM as the user nobody");
        Assumptions.assumeTrue(ProgramPath.find("setpriv", System.getenv("PATH")).isPresent(),
                "setpriv (util-linux) is not on the PATH");
        Path shared = Files.createTempDirectory(Path.of("/tmp"), "containment-");
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path setuid = shared.resolve("setuid-true");
            Files.copy(ProgramPath.find("true", System.getenv("PATH")).orElseThrow(), setuid);
            ProcessRun.exec(shared, Map.of(), Duration.ofSeconds(10), "chmod", "4755", setuid.toString())
                    .requireSuccess();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessRun run = ProcessRun.exec(shared, Map.of(), Duration.ofSeconds(60), "setpriv", "--reuid=65534",
                    "--regid=65534", "--clear-groups", java, "-cp", classDir(ToolRunner.class) + ":"
                            + classDir(ContainmentProbe.class),
                    ContainmentProbe.class.getName(), shared.toString(), setuid.toString());
            assertThat(run.exitCode()).as(run.output()).isZero();
            Assumptions.assumeFalse(run.output().contains("unavailable: "),
                    () -> "user namespaces are not available to the user nobody here: " + run.output());
            assertThat(run.output()).contains("contained", "tool uid 65534 gid 65534",
                    "note: setuid-true is set-user-ID or set-group-ID, which has no effect in a user namespace: it"
                            + " runs without a PID namespace").doesNotContain("warning");
            List<Long> daemon = readPids(shared.resolve("pids"));
            assertThat(daemon).hasSize(1);
            ToolRunnerTest.assertAllDead(daemon);
        } finally {
            try (Stream<Path> s = Files.walk(shared)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The directory (target/classes, target/test-classes) a class was loaded from. */
    private static String classDir(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static List<Long> readPids(Path file) throws IOException {
        List<Long> pids = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            if (!l.isBlank()) {
                pids.add(Long.parseLong(l.trim()));
            }
        }
        return pids;
    }
}

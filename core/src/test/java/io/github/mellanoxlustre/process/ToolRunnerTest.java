package io.github.mellanoxlustre.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ToolRunnerTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);
    private final ToolClock clock = new ToolClock();

    private ToolRunner runner(Cancellation c) {
        return new ToolRunner("test phase", console, dir.resolve("phase.log"), c, clock, Map.of(),
                Duration.ofSeconds(2));
    }

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aQuietRunnerKeepsCommandsOutputAndPlainNotesInTheLogOnly() throws Exception {
        ToolRunner r = runner(Cancellation.forCurrentThread()).showing(true, null);
        r.run(ToolCommand.of(dir, "sh", "-c", "echo tool-out; echo tool-err >&2"));
        r.note("kernel 4.18 resolved");
        r.note("warning: published x requires y");
        assertThat(console()).isEqualTo("warning: published x requires y\n");
        assertThat(Files.readString(dir.resolve("phase.log"))).contains("$ sh -c", "tool-out", "tool-err",
                "kernel 4.18 resolved", "warning: published x requires y");
        assertThatThrownBy(() -> r.run(ToolCommand.of(dir, "sh", "-c", "echo boom; exit 3")))
                .isInstanceOf(ToolFailedException.class)
                .satisfies(e -> assertThat(((ToolFailedException) e).tail()).contains("boom"));
    }

    @Test
    void aHeartbeatLineShowsASilentToolIsAlive() throws Exception {
        ToolRunner r = runner(Cancellation.forCurrentThread()).showing(false, Duration.ofMillis(300));
        r.run(ToolCommand.of(dir, "sh", "-c", "echo first; sleep 1.6"));
        assertThat(console()).containsPattern("\\.\\.\\. sh still running: 0 min [01] s, 6 bytes of log written\n");
        assertThat(Files.readString(dir.resolve("phase.log"))).doesNotContain("still running");

        consoleBytes.reset();
        runner(Cancellation.forCurrentThread()).showing(false, null).run(ToolCommand.of(dir, "sh", "-c", "sleep 1"));
        assertThat(console()).doesNotContain("still running");
    }

    @Test
    void everyPhaseLogLineStartsWithItsTime() throws Exception {
        ToolRunner r = runner(Cancellation.forCurrentThread());
        r.note("engine note");
        r.run(ToolCommand.of(dir, "sh", "-c", "echo one; echo two"));
        List<String> lines = Files.readAllLines(dir.resolve("phase.log"));
        assertThat(lines).hasSize(4).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ .+"));
        assertThat(lines.get(0)).endsWith(" engine note");
        assertThat(lines.get(3)).endsWith(" two");
        assertThat(console()).doesNotContainPattern("\\d\\d:\\d\\d:\\d\\dZ");   // the console is as before
    }

    @Test
    void streamsOutputToConsoleAndLog() throws Exception {
        ToolResult r = runner(Cancellation.forCurrentThread())
                .run(ToolCommand.of(dir, "sh", "-c", "echo out; echo err >&2"));
        assertThat(r.exitCode()).isZero();
        assertThat(console()).contains("$ sh -c 'echo out; echo err >&2'", "out", "err");
        assertThat(Files.readString(dir.resolve("phase.log"))).contains("out", "err", "$ sh -c");
        assertThat(clock.runs()).isEqualTo(1);
        assertThat(clock.toolTime()).isPositive();
    }

    @Test
    void failureCarriesPhaseCommandExitCodeAndLastFiftyLines() {
        ToolCommand c = ToolCommand.of(dir, "sh", "-c", "for i in $(seq 1 80); do echo line$i; done; exit 7");
        assertThatThrownBy(() -> runner(Cancellation.forCurrentThread()).run(c))
                .isInstanceOfSatisfying(ToolFailedException.class, e -> {
                    assertThat(e.phase()).isEqualTo("test phase");
                    assertThat(e.exitCode()).isEqualTo(7);
                    assertThat(e.command()).startsWith("sh -c 'for i in");
                    assertThat(e.tail()).hasSize(50);
                    assertThat(e.tail().get(0)).isEqualTo("line31");
                    assertThat(e.tail().get(49)).isEqualTo("line80");
                    assertThat(e.log()).isEqualTo(dir.resolve("phase.log"));
                    assertThat(e.describe()).contains("exit code: 7", "| line80", "phase:     test phase");
                });
    }

    @Test
    void acceptedExitCodeIsNoFailure() throws Exception {
        ToolResult r = runner(Cancellation.forCurrentThread())
                .run(ToolCommand.of(dir, "sh", "-c", "exit 30").accepting(30));
        assertThat(r.exitCode()).isEqualTo(30);
    }

    @Test
    void secretsAreMaskedInDisplayLogAndFailure() {
        ToolCommand c = ToolCommand.of(dir, "sh", "-c", "echo token=s3cr3t; exit 1", "s3cr3t").masking("s3cr3t");
        assertThatThrownBy(() -> runner(Cancellation.forCurrentThread()).run(c))
                .isInstanceOfSatisfying(ToolFailedException.class, e -> {
                    assertThat(e.command()).doesNotContain("s3cr3t").contains("****");
                    assertThat(e.tail()).containsExactly("token=****");
                });
        assertThat(console()).doesNotContain("s3cr3t");
    }

    /** A tool that prints a secret the build knows (from a file, its argv, its environment). */
    @Test
    void theBuildsSecretsAreMaskedInConsoleLogTailAndFailure() throws Exception {
        String secret = "c0rrect-h0rse-9";
        Files.writeString(dir.resolve("leak.txt"), "passphrase=" + secret + "\n");
        ToolRunner r = new ToolRunner("p", console, dir.resolve("p.log"), Cancellation.forCurrentThread(), clock,
                Map.of("PATH", "/usr/bin:/bin", "SOME_VAR", "x" + secret + "x"), Duration.ofSeconds(2),
                SecretMasker.of(List.of(secret)));
        r.note("engine message naming " + secret);
        ToolCommand c = ToolCommand.of(dir, "sh", "-c", "cat leak.txt; echo \"arg=$0\"; env; exit 3", secret);
        assertThatThrownBy(() -> r.run(c)).isInstanceOfSatisfying(ToolFailedException.class, e -> {
            assertThat(e.command()).doesNotContain(secret).contains("****");
            assertThat(e.tail()).contains("passphrase=****", "arg=****", "SOME_VAR=x****x");
            assertThat(String.join("\n", e.tail()) + e.getMessage() + e.describe()).doesNotContain(secret);
        });
        assertThat(console()).contains("passphrase=****", "engine message naming ****").doesNotContain(secret);
        assertThat(Files.readString(dir.resolve("p.log"))).contains("passphrase=****").doesNotContain(secret);
        assertThat(r.capture(ToolCommand.of(dir, "cat", "leak.txt"))).containsExactly("passphrase=****");
    }

    /** The runner's environment is the whole environment: nothing of the JVM's own is inherited. */
    @Test
    void toolsDoNotInheritTheJvmsEnvironment() throws Exception {
        Optional<String> jvmOnly = System.getenv().keySet().stream()
                .filter(n -> !n.equals("PATH") && ToolEnvironment.NAME.matcher(n).matches()).sorted().findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(jvmOnly.isPresent(), "the JVM has no environment variable");
        ToolRunner r = new ToolRunner("p", console, dir.resolve("p.log"), Cancellation.forCurrentThread(), clock,
                Map.of("PATH", "/usr/bin:/bin", "GIVEN", "yes"));
        List<String> env = r.capture(ToolCommand.of(dir, "env"));
        assertThat(env).contains("GIVEN=yes", "PATH=/usr/bin:/bin")
                .noneMatch(l -> l.startsWith(jvmOnly.get() + "="));
    }

    @Test
    void missingProgramIsAClearFailure() {
        assertThatThrownBy(() -> runner(Cancellation.forCurrentThread())
                .run(ToolCommand.of(dir, "no-such-tool-xyz", "--version")))
                .isInstanceOfSatisfying(ToolFailedException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(-1);
                    assertThat(e.getMessage()).contains("no-such-tool-xyz was not found on PATH");
                });
    }

    @Test
    void programIsFoundOnTheBuildEnvironmentsPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = bin.resolve("mytool");
        Files.writeString(tool, "#!/bin/sh\necho from-mytool \"$MY_VAR\"\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        ToolRunner r = new ToolRunner("p", console, dir.resolve("p.log"), Cancellation.forCurrentThread(), clock,
                Map.of("PATH", bin + ":/usr/bin:/bin", "MY_VAR", "v1"));
        r.run(ToolCommand.of(dir, "mytool"));
        assertThat(console()).contains("from-mytool v1");
    }

    @Test
    void captureReturnsOutputWithoutConsole() throws Exception {
        List<String> out = runner(Cancellation.forCurrentThread()).capture(ToolCommand.of(dir, "echo", "abc"));
        assertThat(out).containsExactly("abc");
        assertThat(console()).doesNotContain("abc");
        assertThat(Files.readString(dir.resolve("phase.log"))).contains("abc");
    }

    @Test
    void pipeConnectsTwoProcesses() throws Exception {
        ToolResult r = runner(Cancellation.forCurrentThread())
                .pipe(ToolCommand.of(dir, "printf", "a\\nb\\nc\\n"), ToolCommand.of(dir, "wc", "-l"));
        assertThat(r.exitCode()).isZero();
        assertThat(console()).contains("$ printf 'a\\nb\\nc\\n' | wc -l").containsPattern("(?m)^\\s*3$");
    }

    @Test
    void pipeFailsWhenTheProducerFails() {
        assertThatThrownBy(() -> runner(Cancellation.forCurrentThread())
                .pipe(ToolCommand.of(dir, "sh", "-c", "echo oops >&2; exit 3"), ToolCommand.of(dir, "cat")))
                .isInstanceOfSatisfying(ToolFailedException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("sh failed with exit code 3");
                    assertThat(e.tail()).contains("oops");
                });
    }

    @Test
    void interruptKillsTheWholeTreeIncludingGrandchildren() throws Exception {
        Path pids = dir.resolve("pids");
        String rec = recorder(pids);
        // a child shell that starts a grandchild and waits, plus a grandchild orphaned by its parent
        String script = "sh -c 'sh -c \". " + rec + "; exec sleep 1000\" & . " + rec + "; wait' &\n"
                + "(sh -c '. " + rec + "; exec sleep 1000' >/dev/null 2>&1 &)\n"
                + ". " + rec + "\n"
                + "echo started\n"
                + "wait\n";
        List<Long> all = abortWhileRunning(script, pids, 4);
        assertAllDead(all);
        assertThat(console()).contains("aborted: killed sh and its process tree");
    }

    @Test
    void aDaemonThatLeftTheToolsSessionIsKilledOnAbort() throws Exception {
        Path pids = dir.resolve("pids");
        String script = "sh " + daemoniser(pids) + " start\n"
                + ". " + recorder(pids) + "\n"
                + "echo started\n"
                + "sleep 1000\n";
        List<Long> all = abortWhileRunning(script, pids, 2);
        assertAllDead(all);
    }

    @Test
    void aDaemonThatLeftTheToolsSessionIsKilledWhenTheToolEnds() throws Exception {
        Path pids = dir.resolve("pids");
        ToolResult r = runner(Cancellation.forCurrentThread()).run(ToolCommand.of(dir, "sh", "-c",
                "sh " + daemoniser(pids) + " start; while [ ! -s " + pids + " ]; do sleep 0.05; done; exit 0"));
        assertThat(r.exitCode()).isZero();
        List<Long> daemon = readPids(pids);
        assertThat(daemon).hasSize(1);
        assertAllDead(daemon);
        assertThat(console()).contains("killed 1 process the tool left running after it exited");
    }

    @Test
    void cancellationFromAnotherThreadAborts() throws Exception {
        Path pids = dir.resolve("pids");
        Cancellation c = Cancellation.forCurrentThread();
        Path script = dir.resolve("tool.sh");
        String rec = recorder(pids);
        Files.writeString(script, "sh -c '. " + rec + "; exec sleep 1000' &\n. " + rec + "\nwait\n");
        CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
            waitForLines(pids, 2);
            c.cancel();
        });
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> runner(c).run(ToolCommand.of(dir, "sh", script.toString())))
                .isInstanceOf(AbortedException.class);
        canceller.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertAllDead(readPids(pids));
        assertThat(c.isCancelled()).isTrue();
    }

    @Test
    void processesLeftRunningAfterTheToolExitsAreKilled() throws Exception {
        Path pids = dir.resolve("pids");
        runner(Cancellation.forCurrentThread()).run(ToolCommand.of(dir, "sh", "-c",
                "sh -c '. " + recorder(pids) + "; exec sleep 1000' >/dev/null 2>&1 & "
                        + "while [ ! -s " + pids + " ]; do sleep 0.05; done; exit 0"));
        assertAllDead(readPids(pids));
        assertThat(console()).contains("killed 1 process the tool left running after it exited");
    }

    @Test
    void anInterruptedThreadStartsNothing() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> runner(Cancellation.forCurrentThread())
                    .run(ToolCommand.of(dir, "touch", dir.resolve("made").toString())))
                    .isInstanceOf(AbortedException.class);
            assertThat(dir.resolve("made")).doesNotExist();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void displayQuotesLikeAShell() {
        assertThat(ToolCommand.of(dir, "rpmbuild", "--define", "KVERSION 4.18.0", "it's").display())
                .isEqualTo("rpmbuild --define 'KVERSION 4.18.0' 'it'\\''s'");
        assertThatThrownBy(() -> ToolCommand.of(dir, "-rf")).isInstanceOf(IllegalArgumentException.class);
    }

    @AfterEach
    void killWhatATestLeft() throws IOException {
        // before the fix a daemon outlived its tool; do not leave it running on the machine
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("pids")).toList()) {
                readPids(f).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static String recorder(Path pids) throws IOException {
        return Daemons.recorder(pids);
    }

    private static String daemoniser(Path pids) throws IOException {
        return Daemons.daemoniser(pids);
    }

    private List<Long> abortWhileRunning(String script, Path pids, int expected) throws Exception {
        Path file = dir.resolve("tool.sh");
        Files.writeString(file, script);
        Thread engine = Thread.currentThread();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread interrupter = new Thread(() -> {
            try {
                waitForLines(pids, expected);
            } catch (Throwable t) {
                failure.set(t);
            }
            engine.interrupt();
        });
        interrupter.start();
        try {
            assertThatThrownBy(() -> runner(Cancellation.forCurrentThread()).run(ToolCommand.of(dir, "sh", file.toString())))
                    .isInstanceOf(AbortedException.class);
        } finally {
            interrupter.join(10_000);
            Thread.interrupted();
        }
        assertThat(failure.get()).isNull();
        List<Long> all = readPids(pids);
        assertThat(all).hasSize(expected);
        return all;
    }

    private static void waitForLines(Path file, int lines) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(file) && Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count() >= lines) {
                    return;
                }
                Thread.sleep(20);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the tool did not write " + lines + " pids to " + file);
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

    /** Every pid is gone or a zombie (exited, only not yet reaped by init). */
    public static void assertAllDead(List<Long> pids) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Long> alive = pids;
        while (System.nanoTime() < deadline) {
            alive = pids.stream().filter(ToolRunnerTest::running).toList();
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(alive).as("processes still running").isEmpty();
    }

    private static boolean running(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            return !"Z".equals(state) && !"X".equals(state);
        } catch (IOException e) {
            return false;
        }
    }
}

package io.github.mellanoxlustre.detach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.process.ToolRunnerTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The watcher against stand-in engine processes (shell scripts given as the launcher's java). */
class BuildWatcherTest {
    @TempDir
    Path dir;

    /** A test that failed half-way leaves no engine process waiting for ever (nor its tools). */
    @RegisterExtension
    final LeftoverEngine leftover = new LeftoverEngine(() -> dir.resolve("control"));

    private BuildWatcher launch(String script) throws Exception {
        Path fakeJava = dir.resolve("java");
        Files.writeString(fakeJava, "#!/bin/bash\n" + script);
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
        return EngineLauncher.withClasspath("unused.jar").java(fakeJava)
                .launch(dir.resolve("control"), new DetachedSpec(), EngineSecrets.of(Map.of()));
    }

    /**
     * An engine that ignores SIGTERM, with a child that does too: after the grace the watcher kills
     * both with SIGKILL and writes the exit status itself.
     */
    @Test
    void anEngineThatIgnoresSigtermIsKilledWithItsTreeAfterTheGrace() throws Exception {
        Path pids = dir.resolve("pids");
        BuildWatcher w = launch("trap '' TERM\n"
                + "sleep 1000 &\n"
                + "echo $! > " + pids + ".tmp; echo $$ >> " + pids + ".tmp; mv " + pids + ".tmp " + pids + "\n"
                + "echo 'stand-in engine: ignoring SIGTERM'\n"
                + "while :; do wait; done\n");
        DetachedBuildEndToEndTest.waitUntil("the stand-in engine started", () -> Files.exists(pids));
        List<Long> tree = Files.readAllLines(pids).stream().map(Long::parseLong).toList();

        BuildWatcher.Status s = BuildWatcher.attach(w.controlDir()).abort(Duration.ofMillis(500));

        assertThat(s).isInstanceOf(BuildWatcher.Finished.class);
        ExitStatus exit = ((BuildWatcher.Finished) s).exit();
        assertThat(exit.outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(exit.writer()).isEqualTo(ExitStatus.WATCHER);
        assertThat(exit.message()).contains("did not end within 0 s of SIGTERM", "killed with 2 process(es)");
        ToolRunnerTest.assertAllDead(tree);
        assertThat(w.controlDir().resolve(ControlDir.SECRETS)).doesNotExist();
    }

    @Test
    void aFinishedBuildIsNotAbortedAndTheLogIsReadFromAnyOffset() throws Exception {
        BuildWatcher w = launch("printf 'one\\ntwo\\n'\n"
                + "last=${@: -1}\n"
                + "printf '{\"exitCode\":3,\"outcome\":\"FAILED\",\"message\":\"stand-in\",\"writer\":\"engine\"}' "
                + "> \"$last/exit.json\"\n");
        BuildWatcher.Status s = w.await(Duration.ofMinutes(1));
        assertThat(s).isInstanceOf(BuildWatcher.Finished.class);
        assertThat(w.abort(Duration.ofSeconds(1))).isEqualTo(s);
        assertThat(((BuildWatcher.Finished) s).exit().outcome()).isEqualTo(Outcome.FAILED);

        String whole = Files.readString(w.controlDir().resolve(ControlDir.LOG));
        assertThat(whole).endsWith("one\ntwo\n");
        int at = whole.indexOf("two");
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        assertThat(w.copyLog(at, rest)).isEqualTo(whole.length());
        assertThat(rest.toString(StandardCharsets.UTF_8)).isEqualTo("two\n");
        assertThat(w.copyLog(whole.length(), new ByteArrayOutputStream())).isEqualTo(whole.length());
        assertThat(w.logTail(1)).isEqualTo("two\n");
        assertThatThrownBy(() -> w.copyLog(-1, rest)).hasMessageStartingWith("offset: -1 is negative");
    }

    @Test
    void attachingToNoDirectoryIsAClearError() {
        assertThatThrownBy(() -> BuildWatcher.attach(dir.resolve("none"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("controlDir: no such directory");
    }

    /**
     * readLog hands out whole lines only while the build runs (a consumer that maps lines never holds
     * half of one across a restart), the last partial line once the build is over, and a line longer
     * than the limit in pieces.
     */
    @Test
    void readLogGivesWholeLinesWhileRunningAndEverythingAtTheEnd() throws Exception {
        Path control = ControlDir.create(dir.resolve("control")).dir();
        Path log = control.resolve(ControlDir.LOG);
        Files.writeString(log, "one\ntwo\nthr");
        BuildWatcher w = BuildWatcher.attach(control);

        BuildWatcher.LogChunk c = w.readLog(0, 1024, false);
        assertThat(new String(c.bytes(), StandardCharsets.UTF_8)).isEqualTo("one\ntwo\n");
        assertThat(c.next()).isEqualTo(8);
        assertThat(w.readLog(c.next(), 1024, false).isEmpty()).as("half a line is held back").isTrue();
        assertThat(w.readLog(c.next(), 1024, false).next()).isEqualTo(8);

        BuildWatcher.LogChunk small = w.readLog(0, 6, false);
        assertThat(new String(small.bytes(), StandardCharsets.UTF_8)).as("up to the limit, whole lines").isEqualTo("one\n");
        BuildWatcher.LogChunk end = w.readLog(c.next(), 1024, true);
        assertThat(new String(end.bytes(), StandardCharsets.UTF_8)).isEqualTo("thr");
        assertThat(end.next()).isEqualTo(Files.size(log));

        Files.writeString(log, "x".repeat(10) + "\n");
        BuildWatcher.LogChunk piece = w.readLog(0, 4, false);
        assertThat(piece.bytes()).hasSize(4);
        assertThat(piece.next()).isEqualTo(4);
        assertThatThrownBy(() -> w.readLog(-1, 4, false)).hasMessageContaining("offset: -1");
        assertThat(BuildWatcher.attach(dir.resolve("control")).readLog(99, 4, true).next()).isEqualTo(99);
    }
}

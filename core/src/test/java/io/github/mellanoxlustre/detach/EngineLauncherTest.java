package io.github.mellanoxlustre.detach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.request.BuildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher writes and starts, and what the engine process does with its secrets. */
class EngineLauncherTest {
    private static final String PASSPHRASE = "p4ss-Phrase-7d1e";
    private static final String ENV_SECRET = "env-s3cret-91ac";

    @TempDir
    Path dir;

    private DetachedSpec invalidSpec() {
        return new DetachedSpec().names(Map.of(BuildSpec.Field.MAKE_JOBS, "--jobs"))
                .bundle(dir.resolve("MLNX_OFED_LINUX-5.8-2.0.3.0-rhel8.8-x86_64.tgz").toString())
                .lustreRepository("ssh://git@example.invalid/lustre-release.git").lustreKey(dir.resolve("id_ed25519"))
                .outputDir(dir.resolve("out")).workDir(dir.resolve("work")).cacheDir(dir.resolve("cache"))
                .makeJobs(-1);
    }

    private EngineSecrets secrets() {
        return EngineSecrets.of(Map.of("HOME", dir.toString(), BuildSpec.LUSTRE_PASSPHRASE_ENV, ENV_SECRET))
                .withLustreKeyPassphrase(PASSPHRASE.toCharArray());
    }

    /**
     * A real engine process with an invalid request: it reads and deletes the secrets, says which
     * field is wrong as the user named it, and no file of the control directory holds a secret.
     */
    @Test
    void anInvalidRequestEndsWithItsFieldAndNoSecretIsLeftInAnyFile() throws Exception {
        Path control = dir.resolve("control");
        BuildWatcher w = EngineLauncher.withClasspath(System.getProperty("java.class.path"))
                .launch(control, invalidSpec(), secrets());
        assertThat(Files.readString(control.resolve(ControlDir.REQUEST))).contains("--jobs", "lustreKey")
                .doesNotContain(PASSPHRASE, ENV_SECRET);

        BuildWatcher.Status s = w.await(Duration.ofMinutes(2));

        assertThat(s).as(w.logTail(40)).isInstanceOf(BuildWatcher.Finished.class);
        ExitStatus exit = ((BuildWatcher.Finished) s).exit();
        assertThat(exit.outcome()).isEqualTo(Outcome.INVALID_REQUEST);
        assertThat(exit.exitCode()).isEqualTo(2);
        assertThat(exit.message()).startsWith("--jobs: -1 is not a job count");
        assertThat(control.resolve(ControlDir.SECRETS)).doesNotExist();
        try (Stream<Path> files = Files.list(control)) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(PASSPHRASE, ENV_SECRET);
            }
        }
        assertThat(w.logTail(40)).contains("==> exit 2 (INVALID_REQUEST): --jobs: -1 is not a job count");
    }

    /**
     * With a stand-in {@code java} that records what it was given and exits at once: the secrets file
     * is the owner's only, the process gets the allowlisted environment only and a session of its
     * own, and a process that dies without reading its secrets leaves none behind once watched.
     */
    @Test
    void theSecretsFileIsOwnerOnlyTheProcessGetsNoOtherVariableAndIsInASessionOfItsOwn() throws Exception {
        Path seen = Files.createDirectories(dir.resolve("seen"));
        Path fakeJava = dir.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\n"
                + "for last; do :; done\n"
                + "stat -c %a \"$last/secrets.json\" > " + seen.resolve("mode") + "\n"
                + "env > " + seen.resolve("env") + "\n"
                + "read -r _ _ _ _ _ session _ < /proc/$$/stat; echo \"$$ $session\" > " + seen.resolve("session")
                + "\n"
                + "echo 'stand-in java: exiting without reading anything'\n"
                + "exit 7\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
        Path control = dir.resolve("control");

        BuildWatcher w = EngineLauncher.withClasspath("unused.jar").java(fakeJava)
                .launch(control, invalidSpec(), secrets());
        BuildWatcher.Status s = w.await(Duration.ofMinutes(1));

        assertThat(Files.readString(seen.resolve("mode")).trim()).isEqualTo("600");
        assertThat(s).isInstanceOf(BuildWatcher.Died.class);
        assertThat(((BuildWatcher.Died) s).logTail()).contains("stand-in java: exiting without reading anything");
        assertThat(control.resolve(ControlDir.SECRETS)).as("removed by the watcher").doesNotExist();
        Set<String> names = new HashSet<>();
        for (String line : Files.readAllLines(seen.resolve("env"))) {
            names.add(line.substring(0, Math.max(0, line.indexOf('='))));
        }
        names.removeAll(List.of("PWD", "SHLVL", "_", "OLDPWD"));
        assertThat(names).isSubsetOf(EngineLauncher.PROCESS_ENVIRONMENT);
        if (EngineLauncher.detacher().description().contains("setsid")) {
            String[] pidAndSession = Files.readString(seen.resolve("session")).trim().split(" ");
            assertThat(pidAndSession[1]).as("session id").isEqualTo(pidAndSession[0]);
            assertThat(Long.parseLong(pidAndSession[0])).isEqualTo(w.process().orElseThrow().pid());
        }
    }

    /**
     * The engine process is not among the launching JVM's descendants (its parent is init or a
     * subreaper once the spawning shell exited): Jenkins kills an agent JVM with its whole process tree
     * when the agent disconnects, and the build must go on.
     */
    @Test
    void theEngineProcessIsNotADescendantOfTheLaunchingJvm() throws Exception {
        Path fakeJava = dir.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nsleep 5\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
        BuildWatcher w = EngineLauncher.withClasspath("unused.jar").java(fakeJava)
                .launch(dir.resolve("control"), invalidSpec(), secrets());
        ProcessIdentity engine = w.process().orElseThrow();
        ProcessHandle h = engine.handle().orElseThrow();
        try {
            assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).doesNotContain(engine.pid());
            assertThat(h.parent().map(ProcessHandle::pid)).isNotEqualTo(java.util.Optional.of(ProcessHandle.current().pid()));
        } finally {
            h.destroyForcibly();
        }
    }

    @Test
    void aControlDirectoryInUseIsRefusedAndNothingIsStarted() throws Exception {
        Path control = Files.createDirectories(dir.resolve("control"));
        Files.writeString(control.resolve(ControlDir.EXIT), "{}");
        assertThatThrownBy(() -> EngineLauncher.withClasspath("x.jar").launch(control, invalidSpec(), secrets()))
                .hasMessageContaining("controlDir: not empty");
        try (Stream<Path> files = Files.list(control)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(ControlDir.EXIT);
        }
    }
}

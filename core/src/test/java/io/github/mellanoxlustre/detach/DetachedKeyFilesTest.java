package io.github.mellanoxlustre.detach;

import static io.github.mellanoxlustre.detach.DetachedBuildEndToEndTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.engine.EngineFixtures;
import io.github.mellanoxlustre.request.BuildSpec;
import io.github.mellanoxlustre.testing.LoopbackSshServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SSH private key handed to a detached engine process in its secrets (as a Jenkins credential
 * is): it exists as a 0600 file of the control directory only until the phase that reads it is done.
 */
class DetachedKeyFilesTest {
    @TempDir
    Path dir;

    /** A test that failed half-way leaves no engine process waiting for ever (nor its tools). */
    @RegisterExtension
    final LeftoverEngine leftover = new LeftoverEngine(() -> dir.resolve("control"));

    @Test
    void theBundleKeyFromTheSecretsIsDeletedWhenTheBundleIsFetchedAndNoFileHoldsIt() throws Exception {
        EngineFixtures f = EngineFixtures.shared();
        Path served = Files.createDirectories(dir.resolve("served/pub"));
        Files.copy(f.bundle.tgz(), served.resolve(f.bundle.tgz().getFileName()));
        Path gate = dir.resolve("gate");
        Path control = dir.resolve("control");
        try (LoopbackSshServer ssh = LoopbackSshServer.start(dir.resolve("served"))) {
            String key = Files.readString(ssh.clientKey(), StandardCharsets.UTF_8);
            String passphrase = new String(ssh.clientKeyPassphrase());
            DetachedSpec spec = new DetachedSpec().names(Map.of(BuildSpec.Field.BUNDLE_KEY, "bundleCredentialsId"))
                    .bundle(ssh.url("sftp", "pub/" + f.bundle.tgz().getFileName())).knownHosts(ssh.knownHosts())
                    .kernelRelease(EngineFixtures.KERNEL).kernelSource(f.kernel.dir())
                    .lustreRepository(f.lustre.url()).lustreRef("b2_15")
                    .outputDir(dir.resolve("out")).workDir(dir.resolve("work")).cacheDir(dir.resolve("cache"))
                    .checkDistro(false).minFreeMiB(0L).makeJobs(2)
                    .environment(List.of("PATH=" + f.path(), "STANDIN_MAKE_GATE=" + gate));
            EngineSecrets secrets = EngineSecrets.of(System.getenv()).withBundleKey(key.toCharArray())
                    .withBundleKeyPassphrase(passphrase.toCharArray());

            BuildWatcher w = EngineLauncher.withClasspath(System.getProperty("java.class.path"))
                    .launch(control, spec, secrets);
            waitUntil("make rpms waits at the gate", () -> Files.exists(Path.of(gate + ".waiting")));

            // phase 7 runs: the key was read in phase 2 and is gone since its end
            assertThat(control.resolve(KeyFiles.BUNDLE_KEY)).doesNotExist();
            String log = Files.readString(control.resolve(ControlDir.LOG));
            String deleted = "mlnx-lustre: bundleCredentialsId: the SSH key file is deleted ('Get OFED' is done)";
            assertThat(log).contains(deleted, "<== [2/9] Get OFED: done");
            assertThat(log.indexOf(deleted)).isGreaterThan(log.indexOf("<== [2/9] Get OFED: done"))
                    .isLessThan(log.indexOf("==> [3/9]"));

            Files.createFile(gate);
            BuildWatcher.Status s = w.await(Duration.ofMinutes(5));
            assertThat(s).as(w.logTail(60)).isInstanceOf(BuildWatcher.Finished.class);
            assertThat(((BuildWatcher.Finished) s).exit().outcome()).isEqualTo(Outcome.PASSED);
            try (Stream<Path> files = Files.list(control)) {
                for (Path file : files.toList()) {
                    assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                            .doesNotContain(passphrase, key.lines().skip(1).findFirst().orElseThrow());
                }
            }
            assertThat(control.resolve(ControlDir.SECRETS)).doesNotExist();
        }
    }

    /**
     * A process that dies holding a key file (here a stand-in {@code java} that exits without a word,
     * as a SIGKILLed engine would leave its files) leaves none once a watcher has looked.
     */
    @Test
    void aWatcherDeletesTheKeyFilesOfAProcessThatDied() throws Exception {
        Path fakeJava = dir.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nsleep 1\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        Path control = dir.resolve("control");
        BuildWatcher w = EngineLauncher.withClasspath("unused.jar").java(fakeJava).launch(control,
                new DetachedSpec(), EngineSecrets.of(Map.of()));
        Files.writeString(control.resolve(KeyFiles.BUNDLE_KEY), "key");
        Files.writeString(control.resolve(KeyFiles.LUSTRE_KEY), "key");

        assertThat(w.await(Duration.ofSeconds(30))).isInstanceOf(BuildWatcher.Died.class);
        assertThat(control.resolve(KeyFiles.BUNDLE_KEY)).doesNotExist();
        assertThat(control.resolve(KeyFiles.LUSTRE_KEY)).doesNotExist();
        assertThat(control.resolve(ControlDir.SECRETS)).doesNotExist();
    }
}

package io.github.mellanoxlustre.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.engine.EngineFixtures.Outcome;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.ssh.SshAuth;
import io.github.mellanoxlustre.standin.LustreRepo;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import io.github.mellanoxlustre.testing.LoopbackSshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OFED cache, a bundle over SFTP, MLNX_OFED's own script, and aborting a build. */
class BuildCacheSshAbortEndToEndTest {
    static EngineFixtures f;
    final BuildEngine engine = new BuildEngine();

    @TempDir
    Path dir;

    @BeforeAll
    static void standins() throws Exception {
        f = EngineFixtures.shared();
    }

    @Test
    void aSecondBuildHitsTheOfedCacheAndSkipsTheRebuild() throws Exception {
        EngineFixtures.Request first = f.request(dir);
        first.cache = dir.resolve("cache");
        Outcome o1 = EngineFixtures.run(engine, first.build());
        BuildResult r1 = o1.passed();
        assertThat(r1.ofedCacheHit()).isFalse();
        assertThat(o1.console()).contains("OFED cache miss: key " + r1.ofedCacheKey(), "rpmbuild --rebuild");

        EngineFixtures.Request second = f.request(dir);
        second.cache = first.cache;
        second.settings = second.settings.withReplaceOutput(true);
        Outcome o2 = EngineFixtures.run(engine, second.build());
        BuildResult r2 = o2.passed();
        assertThat(r2.ofedCacheHit()).isTrue();
        assertThat(r2.ofedCacheKey()).isEqualTo(r1.ofedCacheKey());
        String phase3 = o2.console().substring(o2.console().indexOf("==> [3/9]"), o2.console().indexOf("==> [4/9]"));
        assertThat(phase3).contains("OFED cache hit: key " + r1.ofedCacheKey()).doesNotContain("rpmbuild");
        // the Lustre mirror in the same cache is fetched, not cloned again
        assertThat(o1.console()).contains("yet: cloning it into", "git clone --mirror");
        assertThat(o2.console()).contains("reusing the git mirror", "fetch --prune origin")
                .doesNotContain("git clone --mirror");
        PhaseTiming t3 = r2.phases().get(2);
        assertThat(t3.index()).isEqualTo(3);
        assertThat(t3.toolTime()).isZero();
        assertThat(r2.published().stream().map(p -> p.getFileName().toString()).sorted().toList())
                .isEqualTo(r1.published().stream().map(p -> p.getFileName().toString()).sorted().toList());
    }

    @Test
    void addKernelSupportBuild() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.method = RebuildMethod.ADD_KERNEL_SUPPORT;
        req.cache = dir.resolve("cache");
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();
        assertThat(o.console()).contains("==> [3/9] Rebuild OFED kernel modules (add-kernel-support)",
                "mlnx_add_kernel_support.sh -m ", "--kmp", "extracting ");
        assertThat(r.published().stream().map(p -> p.getFileName().toString()))
                .anyMatch(n -> n.startsWith("kmod-mlnx-ofa_kernel-"));
    }

    @Test
    void addKernelSupportExit30UsesTheBundlesOwnPackages() throws Exception {
        io.github.mellanoxlustre.standin.OfedBundle supporting = io.github.mellanoxlustre.standin.OfedBundleFixture
                .create(dir.resolve("b"), EngineFixtures.OFED_VERSION, EngineFixtures.DISTRO, EngineFixtures.ARCH,
                        io.github.mellanoxlustre.standin.OfedBundleFixture.Options.defaults()
                                .withSupportedKernels(EngineFixtures.KERNEL));
        EngineFixtures.Request req = f.request(dir);
        req.bundle = supporting.tgz().toString();
        req.method = RebuildMethod.ADD_KERNEL_SUPPORT;
        req.cache = dir.resolve("cache");
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildResult r = o.passed();
        assertThat(o.console()).contains("mlnx_add_kernel_support.sh exit code 30: kernel " + EngineFixtures.KERNEL
                + " is already supported by the bundle; using its own packages from ");
        com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(req.output.resolve("manifest.json").toFile());
        assertThat(m.path("ofed").path("obtained").asText()).isEqualTo("kernel already supported by the bundle");
        assertThat(r.published().stream().map(p -> p.getFileName().toString()))
                .anyMatch(n -> n.startsWith("kmod-mlnx-ofa_kernel-"));
    }

    @Test
    void sftpBundleWithAVerifiedHostKeyAndUnknownHostKeyRefused() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        Files.copy(f.bundle.tgz(), served.resolve(f.bundle.tgz().getFileName()));
        try (LoopbackSshServer ssh = LoopbackSshServer.start(served)) {
            EngineFixtures.Request req = f.request(dir);
            req.bundle = ssh.url("sftp", f.bundle.tgz().getFileName().toString());
            req.bundleSsh = Optional.of(ssh.clientAuth());
            Outcome o = EngineFixtures.run(engine, req.build());
            BuildResult r = o.passed();
            assertThat(r.published()).isNotEmpty();
            assertThat(o.console()).contains("bundle: fetching sftp://tester@127.0.0.1:" + ssh.port());

            Path other = Files.createDirectories(dir.resolve("other"));
            EngineFixtures.Request stranger = f.request(other);
            stranger.bundle = req.bundle;
            Path emptyKnownHosts = Files.writeString(dir.resolve("known_hosts_empty"), "");
            stranger.bundleSsh = Optional.of(new SshAuth(ssh.clientKey(), ssh.clientKeyPassphrase(), emptyKnownHosts));
            Outcome refused = EngineFixtures.run(engine, stranger.build());
            BuildFailedException e = refused.failed();
            assertThat(e.phaseIndex()).isEqualTo(2);
            assertThat(e.getMessage()).containsIgnoringCase("host key");
            BuildFailuresEndToEndTest.assertNothingPublished(stranger);
        }
    }

    @Test
    void abortKillsTheToolsWholeTreeLeavesNothingAndARerunSucceeds() throws Exception {
        Path pids = dir.resolve("make.pids");
        LustreRepo hanging = LustreTreeFixture.createGitRepo(dir.resolve("lustre"),
                LustreTreeFixture.Options.defaults().withHangingMake(pids));
        EngineFixtures.Request req = f.request(dir);
        req.lustre = new LustreSource.Git(hanging.url(), "b2_15", Optional.empty());

        Thread engineThread = Thread.currentThread();
        AtomicReference<Throwable> watcher = new AtomicReference<>();
        Thread interrupter = new Thread(() -> {
            try {
                waitForPids(pids, 3);
                engineThread.interrupt();
            } catch (Throwable t) {
                watcher.set(t);
                engineThread.interrupt();
            }
        });
        interrupter.start();
        Outcome o;
        try {
            o = EngineFixtures.run(engine, req.build());
        } finally {
            interrupter.join(30_000);
            Thread.interrupted();
        }
        assertThat(watcher.get()).isNull();
        assertThat(o.failure()).as(o.console()).isInstanceOf(AbortedException.class);
        assertThat(o.console()).contains("!!! [7/9] Build the Lustre RPMs ABORTED", "aborted: killed make",
                "==> BUILD ABORTED");
        List<Long> grandchildren = readPids(pids);
        assertThat(grandchildren).as("two grandchildren of make and a daemon").hasSize(3);
        io.github.mellanoxlustre.process.ToolRunnerTest.assertAllDead(grandchildren);
        BuildFailuresEndToEndTest.assertNothingPublished(req);

        // the same request with a working Lustre, same work and output directories: succeeds
        req.lustre = new LustreSource.Git(f.lustre.url(), "b2_15", Optional.empty());
        BuildResult r = EngineFixtures.run(engine, req.build()).passed();
        assertThat(r.published()).isNotEmpty();
    }

    static void waitForPids(Path file, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && readPids(file).size() >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + n + " pids in " + file);
    }

    static List<Long> readPids(Path file) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            if (!l.isBlank()) {
                out.add(Long.parseLong(l.trim()));
            }
        }
        return out;
    }
}

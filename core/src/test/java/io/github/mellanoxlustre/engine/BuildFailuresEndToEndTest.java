package io.github.mellanoxlustre.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.engine.EngineFixtures.Outcome;
import io.github.mellanoxlustre.files.Sha256;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.OfedCache;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.request.SudoMode;
import io.github.mellanoxlustre.standin.KernelTreeFixture;
import io.github.mellanoxlustre.standin.LustreRepo;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import io.github.mellanoxlustre.standin.OfedBundle;
import io.github.mellanoxlustre.standin.OfedBundleFixture;
import io.github.mellanoxlustre.standin.ProcessRun;
import io.github.mellanoxlustre.testing.TestRpm;
import io.github.mellanoxlustre.testing.TestTarball;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a build fails: each gives a clear error naming the phase and leaves no published
 * output (no output directory, no withheld directory, no staging directory).
 */
class BuildFailuresEndToEndTest {
    static EngineFixtures f;
    final BuildEngine engine = new BuildEngine();

    @TempDir
    Path dir;

    @BeforeAll
    static void standins() throws Exception {
        f = EngineFixtures.shared();
    }

    /** The build failed in {@code phase}, and nothing was published. */
    private BuildFailedException failsIn(EngineFixtures.Request req, int phase) throws Exception {
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildFailedException e = o.failed();
        assertThat(e.phaseIndex()).as(o.console()).isEqualTo(phase);
        assertThat(o.console()).contains("!!! [" + phase + "/9] " + e.phaseTitle() + " FAILED after",
                "==> BUILD FAILED in phase " + phase);
        assertNothingPublished(req);
        return e;
    }

    static void assertNothingPublished(EngineFixtures.Request req) throws Exception {
        assertThat(req.output).doesNotExist();
        assertThat(req.output.resolveSibling(req.output.getFileName() + "-withheld")).doesNotExist();
        try (Stream<Path> s = Files.list(req.output.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }
    }

    @Test
    void badChecksum() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.bundleSha256 = "0".repeat(64);
        BuildFailedException e = failsIn(req, 2);
        assertThat(e.getMessage()).contains("SHA-256 does not match");
        assertThat(e.details()).contains("expected " + "0".repeat(64), "actual   " + Sha256.of(f.bundle.tgz()));
    }

    @Test
    void traversalEntryInTheBundle() throws Exception {
        String top = "MLNX_OFED_LINUX-" + EngineFixtures.OFED_VERSION + "-" + EngineFixtures.DISTRO + "-"
                + EngineFixtures.ARCH;
        Path evil = TestTarball.create().dir(top + "/", 0755)
                .file(top + "/mlnxofedinstall", "#!/bin/sh\n", 0755)
                .file(top + "/../../escaped", "gotcha", 0644)
                .write(Files.createDirectories(dir.resolve("evil")).resolve(top + ".tgz"));
        EngineFixtures.Request req = f.request(dir);
        req.bundle = evil.toString();
        BuildFailedException e = failsIn(req, 2);
        assertThat(e.getMessage()).contains("unsafe archive", "escaped");
        assertThat(e.details()).anyMatch(d -> d.contains("offending entry: " + top + "/../../escaped"));
        assertThat(dir.resolve("escaped")).doesNotExist();
        assertThat(req.work.getParent().resolve("escaped")).doesNotExist();
    }

    /** Issue 11, item 6: an InvalidPathException escaped phase 2 and the CLI called it bad usage. */
    @Test
    void nulInALinkTargetIsAnUnsafeBundleNotBadUsage() throws Exception {
        String top = "MLNX_OFED_LINUX-" + EngineFixtures.OFED_VERSION + "-" + EngineFixtures.DISTRO + "-"
                + EngineFixtures.ARCH;
        Path evil = TestTarball.rawTar(Files.createDirectories(dir.resolve("evil")).resolve(top + ".tgz"), tar -> {
            tar.header(top + "/", '5', 0, "");
            tar.pax("PaxHeaders/link", 'x', Map.of("linkpath", "mlnxofedinstall\0../../etc"));
            tar.header(top + "/link", '2', 0, "mlnxofedinstall");
        });
        EngineFixtures.Request req = f.request(dir);
        req.bundle = evil.toString();
        BuildFailedException e = failsIn(req, 2);
        assertThat(e.getMessage()).contains("unsafe archive", "entry '" + top + "/link'",
                "NUL character in its link target");
        assertThat(e.details()).contains("offending entry: " + top + "/link");
    }

    /**
     * The bomb limit follows the free space preflight measured: a work directory on a 16 MiB tmpfs
     * and a bundle holding 32 MiB of zeros (32 KiB compressed). Before, extraction ran until the file
     * system was full ("No space left on device"); now it stops at the limit and says where it comes from.
     */
    @Test
    void bundleLargerThanTheWorkDirectoryIsStoppedByTheFreeSpaceLimit() throws Exception {
        String top = "MLNX_OFED_LINUX-" + EngineFixtures.OFED_VERSION + "-" + EngineFixtures.DISTRO + "-"
                + EngineFixtures.ARCH;
        Path big = TestTarball.create().dir(top + "/", 0755)
                .file(top + "/mlnxofedinstall", "#!/bin/sh\n", 0755)
                .file(top + "/zeros", new byte[32 << 20], 0644)
                .write(Files.createDirectories(dir.resolve("big")).resolve(top + ".tgz"));
        Path small = Files.createDirectories(dir.resolve("small"));
        ProcessRun mount = ProcessRun.exec(dir, Map.of(), Duration.ofSeconds(30), "mount", "-t", "tmpfs", "-o",
                "size=16m", "tmpfs", small.toString());
        Assumptions.assumeTrue(mount.exitCode() == 0, "needs to mount a 16 MiB tmpfs (root): " + mount.output());
        try {
            EngineFixtures.Request req = f.request(dir);
            req.bundle = big.toString();
            req.work = small.resolve("work");
            BuildFailedException e = failsIn(req, 2);
            assertThat(e.getMessage()).contains("unsafe archive", "entry '" + top + "/zeros'",
                    "takes the extracted size past the limit of ",
                    "the free space on the work directory " + req.work + " (", "measured at preflight",
                    "use a work directory on a larger one");
            assertThat(e.getMessage()).doesNotContain("No space left");
            assertThat(req.work.resolve("bundle")).doesNotExist();
        } finally {
            ProcessRun.exec(dir, Map.of(), Duration.ofSeconds(30), "umount", small.toString()).requireSuccess();
        }
    }

    @Test
    void missingToolsAreReportedAtOnceWithPackages() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.settings = req.settings.withEnvironment(Map.of("PATH", f.toolBin.toString()));
        BuildFailedException e = failsIn(req, 1);
        String details = String.join("\n", e.details());
        assertThat(details).contains("rpmbuild is not on the PATH", "rpm2cpio is not on the PATH",
                "cpio is not on the PATH", "make is not on the PATH", "git is not on the PATH");
        // the packages to install, for this machine's family (Debian here, EL on an EL agent)
        assertThat(details).containsAnyOf("apt-get install rpm rpm2cpio cpio", "dnf install rpm-build rpm cpio");
    }

    @Test
    void ofedScriptFailingShowsItsLastFiftyLines() throws Exception {
        OfedBundle failing = OfedBundleFixture.create(dir.resolve("b"), EngineFixtures.OFED_VERSION,
                EngineFixtures.DISTRO, EngineFixtures.ARCH,
                OfedBundleFixture.Options.defaults().withoutPrebuiltKernelRpms().withFailingAddKernelSupport(1, 120));
        EngineFixtures.Request req = f.request(dir);
        req.bundle = failing.tgz().toString();
        req.method = RebuildMethod.ADD_KERNEL_SUPPORT;
        BuildFailedException e = failsIn(req, 3);
        assertThat(e.toolFailure()).isPresent();
        var t = e.toolFailure().get();
        assertThat(t.exitCode()).isEqualTo(1);
        assertThat(t.command()).contains("mlnx_add_kernel_support.sh -m ", " -k " + EngineFixtures.KERNEL,
                "--make-tgz --skip-repo --yes --tmpdir ", "--distro " + EngineFixtures.DISTRO + " --kmp");
        assertThat(t.tail()).hasSize(50);
        assertThat(t.tail().get(t.tail().size() - 1)).contains("See ");
        assertThat(e.describe()).contains("exit code: 1", "last 50 lines of its output", "(injected by the test fixture)");
        assertThat(t.log()).isRegularFile();
    }

    @Test
    void sudoRefusalIsExplained() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("sudo-bin"));
        Path sudo = bin.resolve("sudo");
        Files.writeString(sudo, "#!/bin/sh\necho 'sudo: a password is required' >&2\nexit 1\n");
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        EngineFixtures.Request req = f.request(dir);
        req.method = RebuildMethod.ADD_KERNEL_SUPPORT;
        req.cache = dir.resolve("cache");
        req.settings = req.settings.withSudo(SudoMode.ALWAYS).withEnvironment(Map.of("PATH", bin + ":" + f.path()));
        BuildFailedException e = failsIn(req, 3);
        assertThat(e.getMessage()).contains("sudo -n refused to run mlnx_add_kernel_support.sh as root",
                "sudo: a password is required", "--ofed-rebuild srpm-rebuild");
    }

    @Test
    void aLustreRefThatIsNeitherBranchNorTagFailsInPreflightBeforeTheOfedRebuild() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.lustre = new LustreSource.Git(f.lustre.url(), "b2_17", Optional.empty());
        Outcome o = EngineFixtures.run(engine, req.build());
        BuildFailedException e = o.failed();
        assertThat(e.phaseIndex()).as(o.console()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo("1 problem must be fixed before building");
        assertThat(e.details()).anySatisfy(d -> assertThat(d).contains("lustreRef: 'b2_17' is neither a branch nor a"
                + " tag of " + f.lustre.url() + "; nearest: b2_15, b2_16"));
        assertThat(o.console()).doesNotContain("==> [2/9]", "rpmbuild");
        assertThat(Files.readString(req.work.resolve("logs/01-preflight.log")))
                .contains("$ git ls-remote --heads --tags -- " + f.lustre.url(), "refs/heads/b2_15");
        assertNothingPublished(req);
    }

    @Test
    void aBadLustreRefAndAnotherPreflightProblemAreReportedTogether() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.lustre = new LustreSource.Git(f.lustre.url(), "b2_17", Optional.empty());
        req.settings = req.settings.withMinFreeMiB(1L << 40);   // a petabyte free: no machine here has it
        BuildFailedException e = EngineFixtures.run(engine, req.build()).failed();
        assertThat(e.phaseIndex()).isEqualTo(1);
        assertThat(e.getMessage()).isEqualTo("2 problems must be fixed before building");
        assertThat(e.details()).anySatisfy(d -> assertThat(d).contains("free"))
                .anySatisfy(d -> assertThat(d).contains("lustreRef: 'b2_17' is neither a branch nor a tag"));
        assertNothingPublished(req);
    }

    @Test
    void makeFailing() throws Exception {
        LustreRepo broken = LustreTreeFixture.createGitRepo(dir.resolve("lustre"),
                LustreTreeFixture.Options.defaults().withFailingMake());
        EngineFixtures.Request req = f.request(dir);
        req.lustre = new LustreSource.Git(broken.url(), "b2_15", Optional.empty());
        BuildFailedException e = failsIn(req, 7);
        assertThat(e.toolFailure()).isPresent();
        assertThat(e.toolFailure().get().command()).isEqualTo("make -j2 rpms");
        assertThat(e.toolFailure().get().exitCode()).isPositive();
        assertThat(e.toolFailure().get().tail()).isNotEmpty();
    }

    @Test
    void configureWarningAboutTheExternalO2iblndFails() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.cache = dir.resolve("cache");
        seedCacheWithDevel(req, false);
        req.lustre = new LustreSource.Git(f.lustre.url(), "master", Optional.empty());
        BuildFailedException e = failsIn(req, 6);
        assertThat(e.getMessage()).contains("configure warned", "Module.symvers for external o2iblnd was not found");
        assertThat(e.details()).anyMatch(d -> d.contains("ko2iblnd.ko for external OFED will not be built"));
    }

    @Test
    void configureDroppingTheRequestedLdiskfsBackendFails() throws Exception {
        // a kernel-devel tree without the ext4 sources: configure disables ldiskfs and carries on
        EngineFixtures.Request req = f.request(dir);
        req.kernelDir = KernelTreeFixture.create(dir.resolve("kernel-devel"), EngineFixtures.KERNEL,
                KernelTreeFixture.Options.defaults().withoutExt4Sources()).dir();
        BuildFailedException e = failsIn(req, 6);
        assertThat(e.getMessage()).contains("configure dropped the ldiskfs backend the build asked for",
                "Disabling ldiskfs support because complete ext4 source does not exist");
        assertThat(e.details()).anyMatch(d -> d.contains("/fs/ext4") && d.contains("kernel-debuginfo-common"));
    }

    @Test
    void ko2iblndBuiltWithTheInKernelCrcsFailsEvenWhenThePackagesDeclareNoKernelSymbols() throws Exception {
        // modpost took the kernel's Module.symvers for ko2iblnd, and the ksym generator wrote nothing
        // (as EL's under mawk): the metadata is silent, the module itself says it will not load
        LustreRepo repo = LustreTreeFixture.createGitRepo(dir.resolve("lustre"), LustreTreeFixture.Options.defaults()
                .withMarker("o2iblnd-inkernel-symvers").withMarker("no-ksym-deps"));
        EngineFixtures.Request req = f.request(dir);
        req.lustre = new LustreSource.Git(repo.url(), "b2_15", Optional.empty());
        BuildFailedException e = failsIn(req, 8);
        assertThat(e.getMessage()).contains("would not install or load with the OFED packages built for "
                + EngineFixtures.KERNEL);
        String ibAllocPd = f.kernel.crc("__ib_alloc_pd").orElseThrow();
        assertThat(e.details()).anyMatch(d -> d.matches("kmod-lustre.*: /lib/modules/" + EngineFixtures.KERNEL.replace(".", "\\.")
                + "/.*/ko2iblnd\\.ko was built with __ib_alloc_pd " + ibAllocPd + ", but OFED's Module\\.symvers "
                + "exports 0x[0-9a-f]{8}: the module will not load next to this OFED .*"));
        assertThat(e.details()).noneMatch(d -> d.startsWith("nothing provides"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zstd"})
    void aCompressedKo2iblndWithTheInKernelCrcsIsReadAndCaughtToo(String compressor) throws Exception {
        // EL's kernel packaging may ship modules as .ko.xz: phase 8 used to list them unread
        LustreRepo repo = LustreTreeFixture.createGitRepo(dir.resolve("lustre"), LustreTreeFixture.Options.defaults()
                .withMarker("o2iblnd-inkernel-symvers").withMarker("no-ksym-deps")
                .withMarker("compress-modules-" + compressor));
        EngineFixtures.Request req = f.request(dir);
        req.lustre = new LustreSource.Git(repo.url(), "b2_15", Optional.empty());
        BuildFailedException e = failsIn(req, 8);
        String suffix = compressor.equals("xz") ? "xz" : "zst";
        assertThat(e.details()).anyMatch(d -> d.matches("kmod-lustre.*: /lib/modules/" + EngineFixtures.KERNEL
                .replace(".", "\\.") + "/.*/ko2iblnd\\.ko\\." + suffix + " was built with __ib_alloc_pd 0x[0-9a-f]{8}, "
                + "but OFED's Module\\.symvers exports 0x[0-9a-f]{8}: the module will not load next to this OFED .*"));
    }

    @Test
    void ksymMismatchBetweenLustreAndTheOfedPackages() throws Exception {
        EngineFixtures.Request req = f.request(dir);
        req.cache = dir.resolve("cache");
        seedCacheWithDevel(req, true);
        BuildFailedException e = failsIn(req, 8);
        assertThat(e.getMessage()).contains("would not install or load with the OFED packages built for "
                + EngineFixtures.KERNEL);
        assertThat(e.details()).anyMatch(d -> d.matches("nothing provides ksym\\(__ib_alloc_pd\\) = 0x[0-9a-f]+ "
                + "needed by kmod-lustre-.*\\(kmod-mlnx-ofa_kernel provides ksym\\(__ib_alloc_pd\\) = 0x[0-9a-f]+\\)"));
    }

    /**
     * Puts into {@code req.cache} the OFED packages a normal build makes, except that
     * {@code mlnx-ofa_kernel-devel} is replaced by one whose tree has no {@code Module.symvers}
     * ({@code withSymvers} false) or one whose {@code Module.symvers} has other CRCs than the
     * {@code kmod-mlnx-ofa_kernel} it comes with: a devel package that does not belong to it.
     */
    private void seedCacheWithDevel(EngineFixtures.Request req, boolean withSymvers) throws Exception {
        // the real packages, from the shared cache (a normal build fills it)
        EngineFixtures.Request warm = f.request(dir.resolve("warm"));
        Files.createDirectories(warm.dir);
        OfedCache shared = new OfedCache(f.cache);
        OfedCache.Key key = new OfedCache.Key(Sha256.of(f.bundle.tgz()), EngineFixtures.KERNEL,
                Sha256.of(f.kernel.moduleSymvers()), RebuildMethod.SRPM_REBUILD);
        if (shared.lookup(key).isEmpty()) {
            EngineFixtures.run(engine, warm.build()).passed();
        }
        List<Path> rpms = shared.lookup(key).orElseThrow().rpms();
        Path real = rpms.stream().filter(p -> p.getFileName().toString().startsWith("mlnx-ofa_kernel-devel-"))
                .findFirst().orElseThrow();
        String tree = "/usr/src/ofa_kernel/" + EngineFixtures.ARCH + "/" + EngineFixtures.KERNEL;
        TestRpm devel = TestRpm.named("mlnx-ofa_kernel-devel").version("5.8").release("OFED.5.8.2.0.3.1.rhel8u8")
                .file(tree + "/ofed_scripts/ofed_info", "#!/bin/sh\necho MLNX_OFED_LINUX-5.8-2.0.3.0\n")
                .file(tree + "/include/rdma/rdma_cm.h", "/* rdma_cm */\n")
                .file(tree + "/include/rdma/ib_cm.h", "/* ib_cm */\n")
                .file(tree + "/include/rdma/ib_verbs.h", "/* ib_verbs */\n");
        if (withSymvers) {
            StringBuilder other = new StringBuilder();
            for (String sym : List.of("ib_register_client", "ib_unregister_client", "__ib_alloc_pd", "ib_dealloc_pd_user",
                    "__ib_create_cq", "ib_destroy_cq_user", "__rdma_create_id", "rdma_destroy_id", "rdma_resolve_addr",
                    "rdma_resolve_route", "rdma_connect", "rdma_accept", "rdma_disconnect")) {
                other.append("0x").append(Sha256.ofText("other:" + sym), 0, 8).append('\t').append(sym)
                        .append("\tdrivers/infiniband/core/ib_core\tEXPORT_SYMBOL\n");
            }
            devel.file(tree + "/Module.symvers", other.toString());
        }
        Path made = devel.build(Files.createDirectories(dir.resolve("devel")));
        Path renamed = Files.move(made, made.resolveSibling(real.getFileName()));
        List<Path> seeded = rpms.stream().map(p -> p.equals(real) ? renamed : p).toList();
        new OfedCache(req.cache).store(key, seeded);
    }
}

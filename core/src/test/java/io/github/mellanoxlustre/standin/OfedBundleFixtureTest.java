package io.github.mellanoxlustre.standin;

import io.github.mellanoxlustre.testing.RpmQuery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the stand-in MLNX_OFED scripts and source RPM the way the engine will. */
class OfedBundleFixtureTest {
    static final String VERSION = "5.8-2.0.3.0";
    static final String LUSTRE_KERNEL = "4.18.0-477.10.1.el8_lustre.x86_64";
    static final String STOCK_KERNEL = "4.18.0-477.10.1.el8_8.x86_64";
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path shared;
    static OfedBundle bundle;
    static Path bundleDir;
    static KernelTree kernel;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeBundle() throws Exception {
        bundle = OfedBundleFixture.create(shared.resolve("dl"), VERSION, "rhel8.8", "x86_64");
        bundleDir = bundle.extractTo(shared.resolve("unpacked"));
        kernel = KernelTreeFixture.create(shared.resolve("kernel"), LUSTRE_KERNEL);
    }

    @Test
    void bundleHasTheRealLayout() throws Exception {
        assertThat(bundle.tgz().getFileName()).hasToString("MLNX_OFED_LINUX-5.8-2.0.3.0-rhel8.8-x86_64.tgz");
        assertThat(bundleDir.getFileName()).hasToString("MLNX_OFED_LINUX-5.8-2.0.3.0-rhel8.8-x86_64");
        assertThat(Files.readString(bundleDir.resolve(".mlnx")).strip()).isEqualTo(VERSION);
        assertThat(Files.readString(bundleDir.resolve("distro")).strip()).isEqualTo("rhel8.8");
        assertThat(Files.readString(bundleDir.resolve(".arch")).strip()).isEqualTo("x86_64");
        assertThat(Files.readAllLines(bundleDir.resolve(".supported_kernels"))).containsExactly(STOCK_KERNEL);
        assertThat(Files.isExecutable(bundleDir.resolve("mlnx_add_kernel_support.sh"))).isTrue();
        assertThat(Files.isExecutable(bundleDir.resolve("mlnxofedinstall"))).isTrue();
        assertThat(bundleDir.resolve("RPMS/repodata/repomd.xml")).isRegularFile();
        assertThat(rpmNames(bundleDir.resolve("RPMS"))).contains(
                "kmod-mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm",
                "mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm",
                "mlnx-ofa_kernel-devel-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm",
                "mlnx-ofa_kernel-source-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm",
                "ofed-scripts-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm",
                "rdma-core-58mlnx1-1.rhel8u8.x86_64.rpm");
        Path kmod = bundleDir.resolve("RPMS/kmod-mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm");
        assertThat(RpmQuery.query(kmod, "--provides")).contains("ksym(ib_register_client) = "
                + StandInSymbols.mofedCrc(VERSION, STOCK_KERNEL, "ib_register_client"));
        assertThat(RpmQuery.query(kmod, "-l")).contains("/lib/modules/" + STOCK_KERNEL
                + "/extra/mlnx-ofa_kernel/drivers/infiniband/core/ib_core.ko");
        assertThat(RpmQuery.query(kmod, "--qf", "%{LICENSE} %{SOURCERPM}\\n"))
                .containsExactly("GPLv2 mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.rhel8u8.src.rpm");
        Path srpm = bundle.extractSourceRpm(tmp.resolve("src"));
        assertThat(srpm.getFileName()).hasToString("mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.src.rpm");
        assertThat(RpmQuery.query(srpm, "--qf", "%{NAME} %{VERSION} %{RELEASE}\\n"))
                .containsExactly("mlnx-ofa_kernel 5.8 OFED.5.8.2.0.3.1");
    }

    @Test
    void addKernelSupportRebuildsKmpPackagesIntoExtTgz() throws Exception {
        Path out = tmp.resolve("out");
        ProcessRun run = script("mlnx_add_kernel_support.sh", "-m", bundleDir.toString(), "-k", LUSTRE_KERNEL,
                "-s", kernel.dir().toString(), "--make-tgz", "-t", out.toString(), "--kmp", "--distro", "rhel8.8",
                "-y", "--without-mlnx-nvme");
        assertThat(run.exitCode()).as(run.output()).isZero();
        Path ext = out.resolve("MLNX_OFED_LINUX-5.8-2.0.3.0-rhel8.8-x86_64-ext.tgz");
        assertThat(run.output()).contains("Created " + ext);
        Path extDir = untar(ext, tmp.resolve("ext")).resolve("MLNX_OFED_LINUX-5.8-2.0.3.0-rhel8.8-x86_64-ext");
        assertThat(Files.readAllLines(extDir.resolve(".supported_kernels"))).containsExactly(LUSTRE_KERNEL);
        assertThat(extDir.resolve("RPMS/repodata/repomd.xml")).isRegularFile();
        assertThat(extDir.resolve("mlnxofedinstall")).isExecutable();
        List<String> names = rpmNames(extDir.resolve("RPMS"));
        assertThat(names).contains("kmod-mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm",
                "mlnx-ofa_kernel-devel-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm",
                "ofed-scripts-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm", "libibverbs-58mlnx1-1.rhel8u8.x86_64.rpm");
        Path kmod = extDir.resolve("RPMS/kmod-mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm");
        List<String> provides = RpmQuery.query(kmod, "--provides");
        for (String sym : StandInSymbols.KO2IBLND_IMPORTS) {
            assertThat(provides).contains("ksym(" + sym + ") = " + StandInSymbols.mofedCrc(VERSION, LUSTRE_KERNEL, sym));
        }
        assertThat(RpmQuery.query(kmod, "-l")).contains("/lib/modules/" + LUSTRE_KERNEL
                + "/extra/mlnx-ofa_kernel/drivers/infiniband/core/ib_core.ko")
                .noneMatch(f -> f.contains(STOCK_KERNEL));
        // devel: the tree ko2iblnd builds against, with matching CRCs
        Path devel = extDir.resolve("RPMS/mlnx-ofa_kernel-devel-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm");
        Path root = unpackRpm(devel, tmp.resolve("devel-root"));
        Path o2ib = root.resolve("usr/src/ofa_kernel/x86_64/" + LUSTRE_KERNEL);
        assertThat(o2ib.resolve("include/rdma/rdma_cm.h")).isRegularFile();
        assertThat(o2ib.resolve("include/rdma/ib_cm.h")).isRegularFile();
        assertThat(o2ib.resolve("include/rdma/ib_verbs.h")).isRegularFile();
        assertThat(o2ib.resolve("ofed_scripts")).isDirectory();
        assertThat(root.resolve("usr/src/ofa_kernel/default")).doesNotExist();
        assertThat(Files.readAllLines(o2ib.resolve("Module.symvers"))).contains(
                StandInSymbols.mofedCrc(VERSION, LUSTRE_KERNEL, "ib_register_client")
                        + "\tib_register_client\tdrivers/infiniband/core/ib_core\tEXPORT_SYMBOL");
        assertThat(StandInSymbols.mofedCrc(VERSION, LUSTRE_KERNEL, "ib_register_client"))
                .isNotEqualTo(kernel.crc("ib_register_client").orElseThrow());
    }

    @Test
    void forcedNonKmpRebuildWithNameAndSkipRepo() throws Exception {
        KernelTree stock = KernelTreeFixture.create(tmp.resolve("stock"), STOCK_KERNEL);
        Path out = tmp.resolve("out");
        ProcessRun refused = script("mlnx_add_kernel_support.sh", "--mlnx_ofed", bundleDir.toString(),
                "--kernel", STOCK_KERNEL, "--kernel-sources", stock.dir().toString(), "--tmpdir", out.toString());
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(30);
        assertThat(refused.output()).contains("already supported");

        ProcessRun run = script("mlnx_add_kernel_support.sh", "--mlnx_ofed", bundleDir.toString(),
                "--kernel", STOCK_KERNEL, "--kernel-sources", stock.dir().toString(), "--tmpdir", out.toString(),
                "--force", "--skip-repo", "--name", "my-ofed", "--yes");
        assertThat(run.exitCode()).as(run.output()).isZero();
        Path extDir = untar(out.resolve("my-ofed.tgz"), tmp.resolve("ext")).resolve("my-ofed");
        assertThat(extDir.resolve("RPMS/repodata")).doesNotExist();
        List<String> names = rpmNames(extDir.resolve("RPMS"));
        String kver = STOCK_KERNEL.replace('-', '_');
        assertThat(names).contains("mlnx-ofa_kernel-modules-5.8-OFED.5.8.2.0.3.1.kver." + kver + ".x86_64.rpm",
                "mlnx-ofa_kernel-devel-5.8-OFED.5.8.2.0.3.1.kver." + kver + ".x86_64.rpm")
                .noneMatch(n -> n.startsWith("kmod-"));
        Path modules = extDir.resolve("RPMS/mlnx-ofa_kernel-modules-5.8-OFED.5.8.2.0.3.1.kver." + kver + ".x86_64.rpm");
        assertThat(RpmQuery.query(modules, "--provides")).noneMatch(p -> p.startsWith("kmod-mlnx-ofa_kernel"))
                .contains("ksym(__ib_alloc_pd) = " + StandInSymbols.mofedCrc(VERSION, STOCK_KERNEL, "__ib_alloc_pd"));
    }

    @Test
    void commandLineErrorsAndRootCheck() throws Exception {
        ProcessRun unknown = script("mlnx_add_kernel_support.sh", "-m", bundleDir.toString(), "--frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.output()).contains("Unsupported option: --frobnicate", "Usage:");
        ProcessRun noDir = script("mlnx_add_kernel_support.sh", "-k", LUSTRE_KERNEL);
        assertThat(noDir.exitCode()).isEqualTo(1);
        assertThat(noDir.output()).contains("Path to MLNX_OFED directory is not defined");
        ProcessRun noValue = script("mlnx_add_kernel_support.sh", "-m");
        assertThat(noValue.exitCode()).isEqualTo(1);
        assertThat(noValue.output()).contains("Option -m requires a value");
        ProcessRun iso = script("mlnx_add_kernel_support.sh", "-m", bundleDir.toString(), "--make-iso");
        assertThat(iso.exitCode()).isEqualTo(1);
        ProcessRun missingKernel = script("mlnx_add_kernel_support.sh", "-m", bundleDir.toString(), "-k", LUSTRE_KERNEL,
                "-s", tmp.resolve("nope").toString(), "-t", tmp.toString());
        assertThat(missingKernel.exitCode()).isEqualTo(1);
        assertThat(missingKernel.output()).contains("Kernel sources directory " + tmp.resolve("nope"));

        Path open = Files.createTempDirectory("standin-nonroot-");
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path copy = open.resolve("script.sh");
        Files.copy(bundleDir.resolve("mlnx_add_kernel_support.sh"), copy);
        StandInResources.setExecutable(copy, true);
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy.toString(),
                "-k", LUSTRE_KERNEL);
        try {
            ProcessRun nonRoot = ProcessRun.exec(open, Map.of(), TIMEOUT, asNobody);
            assertThat(nonRoot.exitCode()).as(nonRoot.output()).isEqualTo(1);
            assertThat(nonRoot.output()).contains("You must be root to run script.sh");
            ProcessRun allowed = ProcessRun.exec(open, Map.of("MLNX_STANDIN_ALLOW_NONROOT", "1"), TIMEOUT, asNobody);
            assertThat(allowed.output()).doesNotContain("You must be root")
                    .contains("Path to MLNX_OFED directory is not defined");
        } finally {
            io.github.mellanoxlustre.files.FileTrees.deleteQuietly(open);
        }
    }

    @Test
    void kmpRebuildNeedsTheBuildDirectoryBeforeRpmbuildParsesTheSpec() throws Exception {
        // the real mlnx-ofa_kernel.spec writes %{_builddir}/kmp.files with %(cat > ...) at parse time
        Path srpm = bundle.extractSourceRpm(tmp.resolve("ofed-nobuild"));
        ProcessRun run = rebuild(srpm, tmp.resolve("fresh-topdir"), kernel.dir());
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("kmp.files");
    }

    @Test
    void lbuildStyleRootlessRebuildOfTheSourceRpm() throws Exception {
        Path srpm = bundle.extractSourceRpm(tmp.resolve("ofed"));
        Path top = tmp.resolve("topdir");
        ProcessRun run = lbuildRebuild(srpm, top, kernel.dir());
        assertThat(run.exitCode()).as(run.output()).isZero();
        List<String> built = rpmNames(top.resolve("RPMS/x86_64"));
        assertThat(built).containsExactlyInAnyOrder("mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.x86_64.rpm",
                "kmod-mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.x86_64.rpm",
                "mlnx-ofa_kernel-devel-5.8-OFED.5.8.2.0.3.1.x86_64.rpm",
                "mlnx-ofa_kernel-source-5.8-OFED.5.8.2.0.3.1.x86_64.rpm");
        // lbuild build_ofed: rpm2cpio devel | cpio -id; --with-o2ib=$(dirname $(find ... -name ofed_scripts))
        Path root = unpackRpm(top.resolve("RPMS/x86_64/mlnx-ofa_kernel-devel-5.8-OFED.5.8.2.0.3.1.x86_64.rpm"),
                tmp.resolve("devel"));
        List<Path> scripts;
        try (Stream<Path> s = Files.walk(root.resolve("usr/src/ofa_kernel"))) {
            scripts = s.filter(p -> p.getFileName().toString().equals("ofed_scripts") && Files.isDirectory(p)).toList();
        }
        assertThat(scripts).hasSize(1);
        assertThat(scripts.get(0).getParent().resolve("Module.symvers")).isRegularFile();

        ProcessRun noSymvers = lbuildRebuild(srpm, tmp.resolve("top2"), KernelTreeFixture.create(tmp.resolve("k2"),
                LUSTRE_KERNEL, KernelTreeFixture.Options.defaults().withoutModuleSymvers()).dir());
        assertThat(noSymvers.exitCode()).isNotZero();
        assertThat(noSymvers.output()).contains("Module.symvers", "is missing");
    }

    @Test
    void docaEraSpecBuildsItsKernelPackagesOnlyWithBuildingKmods() throws Exception {
        // the real 25.10 (DOCA 3.2.1) mlnx-ofa_kernel.spec: %bcond_with building_kmods around kmod and -devel
        OfedBundle doca = OfedBundleFixture.create(tmp.resolve("doca"), "25.10-1.7.1.1", "rhel9.4", "x86_64",
                OfedBundleFixture.Options.defaults().withoutPrebuiltKernelRpms()
                        .withSupportedKernels("5.14.0-427.13.1.el9_4.x86_64"));
        Path srpm = doca.extractSourceRpm(tmp.resolve("doca-src"));
        Path plain = tmp.resolve("doca-plain");
        ProcessRun run = lbuildRebuild(srpm, plain, kernel.dir());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(rpmNames(plain.resolve("RPMS/x86_64"))).containsExactlyInAnyOrder(
                "mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.x86_64.rpm",
                "mlnx-ofa_kernel-dkms-25.10-OFED.25.10.1.7.1.1.x86_64.rpm",
                "mlnx-ofa_kernel-source-25.10-OFED.25.10.1.7.1.1.x86_64.rpm");

        Path kmods = tmp.resolve("doca-kmods");
        Files.createDirectories(kmods.resolve("BUILD"));
        List<String> argv = new ArrayList<>(List.of("rpmbuild", "--rebuild", "--define", "_topdir " + kmods,
                "--define", "_tmppath " + kmods.resolve("TMP"), "--target", "x86_64",
                "--define", "KVERSION " + LUSTRE_KERNEL, "--define", "KMP 1", "--define", "K_SRC " + kernel.dir(),
                "--with", "building_kmods", srpm.toString()));
        ProcessRun withKmods = ProcessRun.exec(srpm.getParent(), Map.of(), TIMEOUT, argv);
        assertThat(withKmods.exitCode()).as(withKmods.output()).isZero();
        assertThat(rpmNames(kmods.resolve("RPMS/x86_64"))).contains(
                "kmod-mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.x86_64.rpm",
                "mlnx-ofa_kernel-devel-25.10-OFED.25.10.1.7.1.1.x86_64.rpm");
        assertThat(RpmQuery.query(kmods.resolve("RPMS/x86_64/mlnx-ofa_kernel-dkms-25.10-OFED.25.10.1.7.1.1.x86_64.rpm"),
                "--provides")).contains("kmod-mlnx-ofa_kernel = 25.10-OFED.25.10.1.7.1.1");
    }

    @Test
    void oldMofedShipsDefaultDevelTreeAndSplitRpmDirs() throws Exception {
        OfedBundle old = OfedBundleFixture.create(tmp.resolve("old"), "4.9-5.1.0.0", "rhel7.9", "x86_64",
                OfedBundleFixture.Options.defaults().withoutPrebuiltKernelRpms()
                        .withSupportedKernels("3.10.0-1160.el7.x86_64"));
        assertThat(old.archKernelDevelLayout()).isFalse();
        assertThat(old.mofedRelease()).isEqualTo("OFED.4.9.5.1.0.1");
        Path dir = old.extractTo(tmp.resolve("old-unpacked"));
        assertThat(rpmNames(dir.resolve("RPMS/MLNX_LIBS"))).contains("libibverbs-49mlnx1-1.rhel7u9.x86_64.rpm");
        assertThat(rpmNames(dir.resolve("RPMS/UPSTREAM_LIBS"))).contains("libibverbs-49mlnx1-1.rhel7u9.x86_64.rpm");
        assertThat(rpmNames(dir.resolve("RPMS/COMMON"))).contains("ofed-scripts-4.9-OFED.4.9.5.1.0.1.rhel7u9.x86_64.rpm");
        Path srpm = old.extractSourceRpm(tmp.resolve("old-src"));
        Path top = tmp.resolve("old-top");
        assertThat(lbuildRebuild(srpm, top, kernel.dir()).exitCode()).isZero();
        Path root = unpackRpm(top.resolve("RPMS/x86_64/mlnx-ofa_kernel-devel-4.9-OFED.4.9.5.1.0.1.x86_64.rpm"),
                tmp.resolve("old-devel"));
        assertThat(root.resolve("usr/src/ofa_kernel/default/Module.symvers")).isRegularFile();
        assertThat(root.resolve("usr/src/ofa_kernel/default/ofed_scripts")).isDirectory();
        assertThat(rpmNames(top.resolve("RPMS/x86_64"))).noneMatch(n -> n.contains("-source-"));
    }

    @Test
    void injectedFailures() throws Exception {
        OfedBundle failing = OfedBundleFixture.create(tmp.resolve("f"), VERSION, "rhel8.8", "x86_64",
                OfedBundleFixture.Options.defaults().withoutPrebuiltKernelRpms().withFailingAddKernelSupport(7, 500));
        Path dir = failing.extractTo(tmp.resolve("f-unpacked"));
        ProcessRun run = ProcessRun.exec(dir, Map.of(), TIMEOUT, dir.resolve("mlnx_add_kernel_support.sh").toString(),
                "-m", dir.toString(), "-k", LUSTRE_KERNEL, "-s", kernel.dir().toString(), "-t", tmp.resolve("t").toString());
        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.output().lines().count()).isGreaterThan(500);
        assertThat(run.output()).contains("ERROR: Failed executing");

        ProcessRun viaInstaller = ProcessRun.exec(dir, Map.of(), TIMEOUT, dir.resolve("mlnxofedinstall").toString(),
                "--add-kernel-support-build-only", "--kernel", LUSTRE_KERNEL, "--kernel-sources",
                kernel.dir().toString(), "--tmpdir", tmp.resolve("t2").toString());
        assertThat(viaInstaller.exitCode()).isEqualTo(1);

        OfedBundle badSrpm = OfedBundleFixture.create(tmp.resolve("b"), VERSION, "rhel8.8", "x86_64",
                OfedBundleFixture.Options.defaults().withoutPrebuiltKernelRpms().withFailingSourceRpmBuild());
        ProcessRun rebuild = lbuildRebuild(badSrpm.extractSourceRpm(tmp.resolve("b-src")), tmp.resolve("b-top"),
                kernel.dir());
        assertThat(rebuild.exitCode()).isNotZero();
        assertThat(rebuild.output()).contains("stand-in build failure injected");
    }

    @Test
    void hangingScriptLeavesGrandchildrenThatATreeKillEnds() throws Exception {
        Path pids = tmp.resolve("hang.pids");
        OfedBundle hanging = OfedBundleFixture.create(tmp.resolve("h"), VERSION, "rhel8.8", "x86_64",
                OfedBundleFixture.Options.defaults().withoutPrebuiltKernelRpms().withHang(pids));
        Path dir = hanging.extractTo(tmp.resolve("h-unpacked"));
        Process p = new ProcessBuilder(dir.resolve("mlnx_add_kernel_support.sh").toString(), "-m", dir.toString(),
                "-k", LUSTRE_KERNEL, "-s", kernel.dir().toString(), "-t", tmp.resolve("t").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("hang.log").toFile()).start();
        List<Long> children = waitForPids(pids, 2);
        assertThat(p.isAlive()).isTrue();
        for (long pid : children) {
            assertThat(ProcessHandle.of(pid)).isPresent();
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (long pid : children) {
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void mlnxofedinstallAddKernelSupport() throws Exception {
        Path tmpdir = tmp.resolve("tmp");
        ProcessRun run = script("mlnxofedinstall", "--add-kernel-support", "--kernel", LUSTRE_KERNEL,
                "--kernel-sources", kernel.dir().toString(), "--distro", "rhel8.8", "--skip-repo", "--kmp",
                "--tmpdir", tmpdir.toString(), "--without-fw-update", "--force");
        assertThat(run.exitCode()).as(run.output()).isZero();
        Path outDir = tmpdir.resolve("MLNX_OFED_LINUX-5.8-2.0.3.0-" + LUSTRE_KERNEL);
        assertThat(outDir.resolve("MLNX_OFED_LINUX-5.8-2.0.3.0-rhel8.8-ext.tgz")).isRegularFile();
        Path extDir = outDir.resolve("MLNX_OFED_LINUX-5.8-2.0.3.0-rhel8.8-ext");
        assertThat(rpmNames(extDir.resolve("RPMS"))).contains("kmod-mlnx-ofa_kernel-5.8-OFED.5.8.2.0.3.1.rhel8u8.x86_64.rpm");
        assertThat(run.output()).contains("Note: This program will create MLNX_OFED_LINUX TGZ for rhel8.8 under " + outDir);

        ProcessRun bad = script("mlnxofedinstall", "--add-kernel-supportt");
        assertThat(bad.exitCode()).isEqualTo(22);
        ProcessRun unsupported = script("mlnxofedinstall", "--kernel", LUSTRE_KERNEL);
        assertThat(unsupported.exitCode()).isEqualTo(1);
        assertThat(unsupported.output()).contains("MLNX_OFED_LINUX does not have drivers available for this kernel");
        ProcessRun supported = script("mlnxofedinstall", "--add-kernel-support-build-only", "--kernel", STOCK_KERNEL,
                "--tmpdir", tmpdir.toString());
        assertThat(supported.exitCode()).isZero();
        assertThat(supported.output()).contains("already supported");
    }

    @Test
    void javaAndBashAgreeOnCrcsAndInputsAreValidated() throws Exception {
        Path lib = tmp.resolve("standin-symbols.sh");
        StandInResources.copy("common/standin-symbols.sh", lib);
        ProcessRun run = ProcessRun.exec(tmp, Map.of(), TIMEOUT, "bash", "-c",
                ". ./standin-symbols.sh && standin_crc mofed 5.8-2.0.3.0 4.18.0-1.el8.x86_64 ib_register_client");
        assertThat(run.requireSuccess().output().strip())
                .isEqualTo(StandInSymbols.mofedCrc("5.8-2.0.3.0", "4.18.0-1.el8.x86_64", "ib_register_client"))
                .matches("0x[0-9a-f]{8}");
        assertThatThrownBy(() -> OfedBundleFixture.create(tmp, "5.8", "rhel8.8", "x86_64"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version must look like");
        assertThatThrownBy(() -> OfedBundleFixture.create(tmp, VERSION, "rhel8.8", "i386"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("arch must be one of");
        assertThatThrownBy(() -> KernelTreeFixture.create(tmp, "latest"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel release must look like");
    }

    static ProcessRun script(String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bundleDir.resolve(name).toString());
        cmd.addAll(List.of(args));
        return ProcessRun.exec(bundleDir, Map.of(), TIMEOUT, cmd);
    }

    static ProcessRun lbuildRebuild(Path srpm, Path top, Path ksrc) throws IOException, InterruptedException {
        Files.createDirectories(top.resolve("BUILD")); // lbuild makes $TOPDIR/{BUILD,RPMS,SOURCES,SPECS,SRPMS}
        return rebuild(srpm, top, ksrc);
    }

    static ProcessRun rebuild(Path srpm, Path top, Path ksrc) throws IOException, InterruptedException {
        return ProcessRun.exec(srpm.getParent(), Map.of(), TIMEOUT, "rpmbuild", "--rebuild",
                "--define", "_topdir " + top, "--define", "_tmppath " + top.resolve("TMP"), "--target", "x86_64", "--define", "KVERSION " + LUSTRE_KERNEL,
                "--define", "KMP 1", "--define", "K_SRC " + ksrc, srpm.toString());
    }

    static List<String> rpmNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rpm")).sorted().toList();
        }
    }

    static Path untar(Path tgz, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        ProcessRun.exec(dir, Map.of(), TIMEOUT, "tar", "-xzf", tgz.toString()).requireSuccess();
        return dir;
    }

    /** {@code rpm2cpio rpm | cpio -idm} into {@code root}, without a shell. */
    static Path unpackRpm(Path rpm, Path root) throws IOException, InterruptedException {
        Files.createDirectories(root);
        Path cpio = root.resolveSibling(root.getFileName() + ".cpio");
        Process a = new ProcessBuilder("rpm2cpio", rpm.toString()).redirectOutput(cpio.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(a.waitFor()).isZero();
        Process b = new ProcessBuilder("cpio", "-idm", "--quiet").directory(root.toFile())
                .redirectInput(cpio.toFile()).redirectErrorStream(true).start();
        b.getInputStream().readAllBytes();
        assertThat(b.waitFor()).isZero();
        Files.delete(cpio);
        return root;
    }

    static List<Long> waitForPids(Path file, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<Long> pids = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty())
                        .map(Long::parseLong).toList();
                if (pids.size() >= count) {
                    return pids;
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("no " + count + " PIDs in " + file + " within 60 s");
    }
}

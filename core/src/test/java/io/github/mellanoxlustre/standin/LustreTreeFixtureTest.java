package io.github.mellanoxlustre.standin;

import io.github.mellanoxlustre.testing.RpmQuery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.kernel.KernelModule;
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

/** Clones the stand-in lustre-release and runs autogen/configure/make rpms/make dkms-rpms as the engine will. */
class LustreTreeFixtureTest {
    static final String KERNEL = "4.18.0-477.10.1.el8_lustre.x86_64";
    static final String OFED = "5.8-2.0.3.0";
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path shared;
    static KernelTree kernel;
    static ZfsDevel zfs;
    static Path o2ib;
    static LustreRepo repo;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixtures() throws Exception {
        kernel = KernelTreeFixture.create(shared.resolve("kernel"), KERNEL);
        zfs = ZfsDevelFixture.create(shared.resolve("zfs"), "2.1.15", KERNEL);
        repo = LustreTreeFixture.createGitRepo(shared.resolve("lustre-release"));
        // lbuild's build_ofed: rebuild mlnx-ofa_kernel (KMP) for the kernel, unpack -devel privately
        OfedBundle bundle = OfedBundleFixture.create(shared.resolve("dl"), OFED, "rhel8.8", "x86_64",
                OfedBundleFixture.Options.defaults().withoutPrebuiltKernelRpms());
        Path srpm = bundle.extractSourceRpm(shared.resolve("ofed"));
        Path top = shared.resolve("ofed-topdir");
        Files.createDirectories(top.resolve("BUILD"));
        ProcessRun.exec(shared, Map.of(), TIMEOUT, "rpmbuild", "--rebuild", "--define", "_topdir " + top,
                "--define", "_tmppath " + top.resolve("TMP"), "--define", "KVERSION " + KERNEL, "--define", "KMP 1", "--define", "K_SRC " + kernel.dir(),
                srpm.toString()).requireSuccess();
        Path root = OfedBundleFixtureTest.unpackRpm(
                top.resolve("RPMS/x86_64/mlnx-ofa_kernel-devel-5.8-OFED.5.8.2.0.3.1.x86_64.rpm"),
                shared.resolve("mlnx-ofa_kernel-devel"));
        try (Stream<Path> s = Files.walk(root.resolve("usr/src/ofa_kernel"))) {
            o2ib = s.filter(p -> p.getFileName().toString().equals("ofed_scripts")).findFirst().orElseThrow()
                    .getParent();
        }
    }

    @Test
    void repositoryLooksLikeLustreRelease() throws Exception {
        assertThat(repo.headBranch()).isEqualTo("master");
        assertThat(repo.versionOf("b2_15")).isEqualTo("2.15.5");
        assertThat(repo.versionOf("b2_16")).isEqualTo("2.16.1");
        assertThat(repo.versionOf("master")).matches("2\\.16\\.55_1_g[0-9a-f]{7}");
        String tags = git(repo.dir(), "tag").output();
        assertThat(tags.lines()).contains("2.15.5", "v2_15_5", "2.16.1", "v2_16_1", "2.16.55");
        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", repo.url(), clone.toString());
        assertThat(run(clone, "sh", "LUSTRE-VERSION-GEN").output().strip()).isEqualTo(repo.versionOf("master"));
        git(clone, "checkout", "-q", "b2_15");
        assertThat(run(clone, "sh", "LUSTRE-VERSION-GEN").output().strip()).isEqualTo("2.15.5");
        assertThat(clone.resolve("configure")).doesNotExist();
        assertThatThrownBy(() -> LustreTreeFixture.createGitRepo(clone))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be empty");
        assertThatThrownBy(() -> new LustreTreeFixture.Release("b2_15", "2.15", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version must look like 2.15.5");
    }

    @Test
    void serverRpmsAgainstExternalOfedAndZfsOnB215() throws Exception {
        Path tree = checkout("b2_15");
        ProcessRun conf = run(tree, "./configure", "--with-linux=" + kernel.dir(), "--with-o2ib=" + o2ib,
                "--with-zfs=" + zfs.sourceDir(), "--with-zfs-obj=" + zfs.objectDir());
        assertThat(conf.output()).contains("adding " + o2ib + "/Module.symvers to Symbol Path O2IB")
                .doesNotContain("WARNING");
        ProcessRun make = ProcessRun.exec(tree, Map.of(), TIMEOUT, "make", "rpms").requireSuccess();
        String v = "2.15.5-1.el8";
        assertThat(rpms(tree)).containsExactlyInAnyOrder("lustre-2.15.5-1.src.rpm", "lustre-" + v + ".x86_64.rpm",
                "kmod-lustre-" + v + ".x86_64.rpm", "lustre-devel-" + v + ".x86_64.rpm",
                "lustre-iokit-" + v + ".x86_64.rpm", "lustre-tests-" + v + ".x86_64.rpm",
                "kmod-lustre-tests-" + v + ".x86_64.rpm", "kmod-lustre-osd-ldiskfs-" + v + ".x86_64.rpm",
                "lustre-osd-ldiskfs-mount-" + v + ".x86_64.rpm", "kmod-lustre-osd-zfs-" + v + ".x86_64.rpm",
                "lustre-osd-zfs-mount-" + v + ".x86_64.rpm", "lustre-resource-agents-" + v + ".x86_64.rpm");
        assertThat(make.output()).contains("Created lustre-2.15.5.tar.gz");

        Path kmod = tree.resolve("kmod-lustre-" + v + ".x86_64.rpm");
        List<String> requires = RpmQuery.query(kmod, "-R");
        for (String sym : StandInSymbols.KO2IBLND_IMPORTS) {
            assertThat(requires).contains("ksym(" + sym + ") = " + StandInSymbols.mofedCrc(OFED, KERNEL, sym));
        }
        assertThat(requires).contains("kernel(__kmalloc) = " + kernel.crc("__kmalloc").orElseThrow())
                .noneMatch(r -> r.startsWith("ksym(lnet_register_lnd)")).doesNotContain("kmod-mlnx-ofa_kernel");
        // the requires match what the OFED devel tree (and so kmod-mlnx-ofa_kernel) provides
        assertThat(Files.readAllLines(o2ib.resolve("Module.symvers"))).contains(
                StandInSymbols.mofedCrc(OFED, KERNEL, "__ib_alloc_pd") + "\t__ib_alloc_pd\tdrivers/infiniband/core/ib_core\tEXPORT_SYMBOL");
        assertThat(RpmQuery.query(kmod, "-l")).contains("/lib/modules/" + KERNEL + "/extra/lustre/net/ko2iblnd.ko",
                "/lib/modules/" + KERNEL + "/extra/lustre/fs/obdclass.ko");
        assertThat(RpmQuery.query(kmod, "--provides")).anyMatch(p -> p.startsWith("ksym(class_register_type) = 0x"));
        assertThat(RpmQuery.query(kmod, "--qf", "%{LICENSE} %{SOURCERPM}\\n")).containsExactly("GPL lustre-2.15.5-1.el8.src.rpm");

        Path osdZfs = tree.resolve("kmod-lustre-osd-zfs-" + v + ".x86_64.rpm");
        assertThat(RpmQuery.query(osdZfs, "-l")).containsExactly(
                "/lib/modules/" + KERNEL + "/extra/lustre-osd-zfs", "/lib/modules/" + KERNEL + "/extra/lustre-osd-zfs/fs",
                "/lib/modules/" + KERNEL + "/extra/lustre-osd-zfs/fs/osd_zfs.ko");
        assertThat(RpmQuery.query(osdZfs, "-R")).contains(
                "ksym(dmu_buf_hold) = " + zfs.symbolCrcs().get("dmu_buf_hold"), "lustre-osd-zfs-mount = 2.15.5")
                .anyMatch(r -> r.startsWith("ksym(class_register_type) = 0x"));
        assertThat(RpmQuery.query(tree.resolve("lustre-osd-zfs-mount-" + v + ".x86_64.rpm"), "-R"))
                .contains("zfs", "kmod-lustre-osd-zfs");
        assertThat(RpmQuery.query(tree.resolve("lustre-" + v + ".x86_64.rpm"), "-R"))
                .contains("kmod-lustre = 2.15.5", "lustre-osd", "lustre-osd-mount");
        assertThat(RpmQuery.query(tree.resolve("kmod-lustre-osd-ldiskfs-" + v + ".x86_64.rpm"), "-R"))
                .contains("kernel(jbd2__journal_start) = " + kernel.crc("jbd2__journal_start").orElseThrow(),
                        "kmod-lustre = 2.15.5", "ldiskfsprogs >= 1.44.3.wc1");

        ProcessRun dkms = ProcessRun.exec(tree, Map.of(), TIMEOUT, "make", "dkms-rpms");
        assertThat(dkms.exitCode()).as(dkms.output()).isZero();
        assertThat(rpms(tree)).contains("lustre-zfs-dkms-2.15.5-1.el8.noarch.rpm",
                "lustre-ldiskfs-dkms-2.15.5-1.el8.noarch.rpm", "lustre-all-dkms-2.15.5-1.el8.noarch.rpm",
                "lustre-zfs-dkms-2.15.5-1.src.rpm");
        Path zfsDkms = tree.resolve("lustre-zfs-dkms-2.15.5-1.el8.noarch.rpm");
        assertThat(RpmQuery.query(zfsDkms, "-R")).contains("zfs-dkms >= 0.6.5", "dkms >= 2.2.0.3-28.git.7c3e7c5");
        assertThat(RpmQuery.query(zfsDkms, "--qf", "%{LICENSE} %{ARCH}\\n")).containsExactly("GPLv2+ noarch");
        assertThat(RpmQuery.query(zfsDkms, "-l")).contains("/usr/src/lustre-zfs-2.15.5/dkms.conf",
                "/usr/src/lustre-zfs-2.15.5/lnet/klnds/o2iblnd/o2iblnd.c");
        assertThat(RpmQuery.query(tree.resolve("lustre-ldiskfs-dkms-2.15.5-1.el8.noarch.rpm"), "-R"))
                .doesNotContain("zfs-dkms >= 0.6.5");
    }

    @Test
    void clientRpmsAndDkmsOnMasterNeedKmpMofed() throws Exception {
        Path tree = checkout("master");
        String ver = repo.versionOf("master");
        run(tree, "./configure", "--with-linux=" + kernel.dir(), "--with-o2ib=" + o2ib, "--disable-server",
                "--disable-tests");
        ProcessRun make = ProcessRun.exec(tree, Map.of(), TIMEOUT, "make", "-j", "3", "rpms");
        assertThat(make.exitCode()).as(make.output()).isZero();
        String v = ver + "-1.el8.x86_64.rpm";
        assertThat(rpms(tree)).containsExactlyInAnyOrder("lustre-" + ver + "-1.src.rpm", "lustre-client-" + v,
                "kmod-lustre-client-" + v, "lustre-client-devel-" + v, "kmod-lustre-client-devel-" + v,
                "lustre-client-iokit-" + v);
        Path kmod = tree.resolve("kmod-lustre-client-" + v);
        assertThat(RpmQuery.query(kmod, "-R")).contains("kmod-mlnx-ofa_kernel",
                "ksym(ib_register_client) = " + StandInSymbols.mofedCrc(OFED, KERNEL, "ib_register_client"));
        assertThat(RpmQuery.query(kmod, "-l")).contains("/lib/modules/" + KERNEL + "/extra/lustre-client/net/ko2iblnd.ko")
                .noneMatch(f -> f.contains("ofd.ko"));
        assertThat(RpmQuery.query(kmod, "--qf", "%{LICENSE}\\n")).containsExactly("GPL-2.0-only");
        Path main = tree.resolve("lustre-client-" + v);
        assertThat(RpmQuery.query(main, "--qf", "%{LICENSE}\\n")).containsExactly("GPL-2.0-only AND LGPL-2.1-or-later");
        assertThat(RpmQuery.query(main, "-R")).contains("(lustre-client-dkms or kmod-lustre-client >= 2.16)");
        assertThat(RpmQuery.query(tree.resolve("kmod-lustre-client-devel-" + v), "-l"))
                .contains("/usr/src/lustre-" + ver + "/Module.symvers");

        ProcessRun dkms = ProcessRun.exec(tree, Map.of(), TIMEOUT, "make", "dkms-rpms");
        assertThat(dkms.exitCode()).as(dkms.output()).isZero();
        Path clientDkms = tree.resolve("lustre-client-dkms-" + ver + "-1.el8.noarch.rpm");
        assertThat(rpms(tree)).contains(clientDkms.getFileName().toString()).noneMatch(n -> n.startsWith("lustre-zfs-dkms"));
        assertThat(RpmQuery.query(clientDkms, "--qf", "%{LICENSE} %{ARCH}\\n")).containsExactly("GPL-2.0-only noarch");
        assertThat(RpmQuery.query(clientDkms, "-l")).contains("/usr/src/lustre-client-" + ver + "/dkms.conf");
        assertThat(RpmQuery.query(clientDkms, "--provides")).contains("lustre-client", "kmod-lustre-client = " + ver);
    }

    @Test
    void o2ibPathWithoutModuleSymversOrHeaders() throws Exception {
        Path noSymvers = tmp.resolve("ofa-no-symvers");
        copyTree(o2ib, noSymvers);
        Files.delete(noSymvers.resolve("Module.symvers"));

        // 2.16: exactly lustre's warning, configure goes on, the in-kernel o2iblnd is built instead
        Path b216 = checkout("b2_16");
        ProcessRun conf = run(b216, "./configure", "--with-linux=" + kernel.dir(), "--with-o2ib=" + noSymvers,
                "--disable-server");
        assertThat(conf.output()).contains("configure: WARNING: \n"
                + "\t* Module.symvers for external o2iblnd was not found.\n"
                + "\t* Expected: " + noSymvers + "/Module.symvers\n"
                + "\t* ko2iblnd.ko for external OFED will not be built.\n");
        assertThat(Files.readAllLines(b216.resolve("standin/rpmbuild-args"))).contains("mofed", "o2ib")
                .containsSubsequence("--without", "mofed").containsSubsequence("--with", "o2ib");
        ProcessRun make = ProcessRun.exec(b216, Map.of(), TIMEOUT, "make", "-j", "2").requireSuccess();
        assertThat(make.output()).contains("LD [M]  lustre/net/ko2iblnd.ko");
        // a module object as kbuild makes it: __versions holds the in-kernel stack's CRC
        Path ko = b216.resolve("build/modules/lustre/net/ko2iblnd.ko");
        assertThat(KernelModule.parse(ko.toString(), Files.readAllBytes(ko)).versions()).containsEntry(
                "ib_register_client", Long.parseLong(kernel.crc("ib_register_client").orElseThrow().substring(2), 16));

        // 2.15: no warning, the kernel's Module.symvers is used silently
        Path b215 = checkout("b2_15");
        ProcessRun old = run(b215, "./configure", "--with-linux=" + kernel.dir(), "--with-o2ib=" + noSymvers,
                "--disable-server");
        assertThat(old.output()).doesNotContain("WARNING").doesNotContain("adding ");
        assertThat(Files.readAllLines(b215.resolve("standin/config.env"))).contains("O2IB=inkernel");

        // --with-o2ib=yes (the default) with ofed_info on PATH: the installed devel tree is found
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        StandInResources.write(bin.resolve("ofed_info"), "#!/bin/sh\necho MLNX_OFED_LINUX-" + OFED + "\n", true);
        Path installed = o2ib.getParent().getParent();
        for (Path t : List.of(b216, b215)) {
            ProcessRun auto = ProcessRun.exec(t, Map.of("PATH", bin + ":" + System.getenv("PATH"),
                    "STANDIN_OFA_KERNEL_DIR", installed.toString()), TIMEOUT, "./configure",
                    "--with-linux=" + kernel.dir(), "--disable-server");
            assertThat(auto.exitCode()).as(auto.output()).isZero();
            assertThat(auto.output()).contains("adding " + o2ib + "/Module.symvers to ");
            assertThat(Files.readAllLines(t.resolve("standin/config.env"))).contains("O2IB=external");
        }

        // no IB headers: bad --with-o2ib path (both generations)
        for (Path t : List.of(b216, b215)) {
            ProcessRun bad = ProcessRun.exec(t, Map.of(), TIMEOUT, "./configure", "--with-linux=" + kernel.dir(),
                    "--with-o2ib=" + tmp);
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.output()).contains("configure: error: bad --with-o2ib path");
        }
    }

    @Test
    void configureCommandLine() throws Exception {
        Path tree = checkout("b2_16");
        ProcessRun noConfig = ProcessRun.exec(tree, Map.of(), TIMEOUT, "make", "rpms");
        assertThat(noConfig.exitCode()).isNotZero();

        ProcessRun unknown = ProcessRun.exec(tree, Map.of(), TIMEOUT, "./configure", "--with-linux=" + kernel.dir(),
                "--with-frobnication", "--enable-turbo=yes", "--disable-ldiskfs", "--disable-iokit", "--with-spec=redhat",
                "CC=gcc");
        assertThat(unknown.exitCode()).as(unknown.output()).isZero();
        assertThat(unknown.output()).contains("configure: WARNING: unrecognized options: --with-frobnication, --enable-turbo=yes");
        List<String> args = Files.readAllLines(tree.resolve("standin/rpmbuild-args"));
        assertThat(args).containsSubsequence("--without", "ldiskfs").containsSubsequence("--without", "lustre_iokit")
                .anyMatch(a -> a.startsWith("configure_args ") && a.contains("'--with-frobnication'")
                        && !a.contains("--disable-ldiskfs"));
        assertThat(tree.resolve("config.status")).isExecutable();
        assertThat(tree.resolve("Makefile")).isRegularFile();

        ProcessRun badOption = ProcessRun.exec(tree, Map.of(), TIMEOUT, "./configure", "--frobnicate");
        assertThat(badOption.exitCode()).isEqualTo(1);
        assertThat(badOption.output()).contains("configure: error: unrecognized option: `--frobnicate'");
        ProcessRun noKernel = ProcessRun.exec(tree, Map.of(), TIMEOUT, "./configure", "--with-linux=" + tmp.resolve("none"));
        assertThat(noKernel.exitCode()).isEqualTo(1);
        assertThat(noKernel.output()).contains("configure: error: Kernel source " + tmp.resolve("none") + " could not be found.");
        ProcessRun clientLdiskfs = ProcessRun.exec(tree, Map.of(), TIMEOUT, "./configure", "--with-linux=" + kernel.dir(),
                "--disable-server", "--enable-ldiskfs");
        assertThat(clientLdiskfs.output()).contains("cannot build ldiskfs when servers are disabled");
        ProcessRun noZfs = ProcessRun.exec(tree, Map.of(), TIMEOUT, "./configure", "--with-linux=" + kernel.dir(),
                "--with-zfs=" + tmp.resolve("nozfs"));
        assertThat(noZfs.exitCode()).isEqualTo(1);
        assertThat(noZfs.output()).contains("Required zfs osd cannot be built due to missing zfs development headers.");
        KernelTree devel = KernelTreeFixture.create(tmp.resolve("kernel-devel"), KERNEL,
                KernelTreeFixture.Options.defaults().withoutExt4Sources());
        ProcessRun noExt4 = run(tree, "./configure", "--with-linux=" + devel.dir(), "--without-zfs");
        assertThat(noExt4.output()).contains("Disabling ldiskfs support because complete ext4 source does not exist.");
        assertThat(Files.readAllLines(tree.resolve("standin/config.env"))).contains("ENABLE_LDISKFS=no", "ENABLE_ZFS=no");
    }

    @Test
    void injectedFailures() throws Exception {
        LustreTreeFixture.Options one = LustreTreeFixture.Options.defaults()
                .withReleases(new LustreTreeFixture.Release("master", "2.16.55", false));
        LustreRepo autogen = LustreTreeFixture.createGitRepo(tmp.resolve("r1"), one.withFailingAutogen());
        Path a = clone(autogen, "a");
        ProcessRun ag = ProcessRun.exec(a, Map.of(), TIMEOUT, "sh", "autogen.sh");
        assertThat(ag.exitCode()).isEqualTo(1);
        assertThat(ag.output()).contains("autoreconf: error");

        LustreRepo configure = LustreTreeFixture.createGitRepo(tmp.resolve("r2"), one.withFailingConfigure());
        Path c = clone(configure, "c");
        run(c, "sh", "autogen.sh");
        ProcessRun conf = ProcessRun.exec(c, Map.of(), TIMEOUT, "./configure", "--with-linux=" + kernel.dir());
        assertThat(conf.exitCode()).isEqualTo(1);
        assertThat(conf.output()).contains("configure: error: kernel module make failed; check config.log for details");
        assertThat(Files.readString(c.resolve("config.log"))).contains("stand-in configure failure injected");

        LustreRepo make = LustreTreeFixture.createGitRepo(tmp.resolve("r3"), one.withFailingMake());
        Path m = clone(make, "m");
        run(m, "sh", "autogen.sh");
        run(m, "./configure", "--with-linux=" + kernel.dir(), "--disable-server");
        ProcessRun rpms = ProcessRun.exec(m, Map.of(), TIMEOUT, "make", "rpms");
        assertThat(rpms.exitCode()).isNotZero();
        assertThat(rpms.output()).contains("stand-in build failure injected", "Bad exit status");
        assertThat(rpms(m)).containsExactly("lustre-2.16.55-1.src.rpm");
    }

    /**
     * The hang knob's two grandchildren end with a kill of make's process tree; its daemon (a session
     * of its own and a double fork) is no descendant of make any more and survives exactly that kill,
     * which is why the engine runs tools in a PID namespace. The test kills the daemon itself.
     */
    @Test
    void hangingMakeRpmsLeavesGrandchildrenThatATreeKillEndsAndADaemonThatEscapesIt() throws Exception {
        Path pids = tmp.resolve("make.pids");
        LustreRepo hanging = LustreTreeFixture.createGitRepo(tmp.resolve("r"), LustreTreeFixture.Options.defaults()
                .withReleases(new LustreTreeFixture.Release("master", "2.16.55", false)).withHangingMake(pids));
        Path tree = clone(hanging, "h");
        run(tree, "sh", "autogen.sh");
        run(tree, "./configure", "--with-linux=" + kernel.dir(), "--disable-server");
        Process p = new ProcessBuilder("make", "rpms").directory(tree.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("make.log").toFile()).start();
        List<Long> started = OfedBundleFixtureTest.waitForPids(pids, 3);
        assertThat(p.isAlive()).isTrue();
        List<ProcessHandle> makeTree = p.descendants().toList();
        makeTree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        makeTree.forEach(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        List<ProcessHandle> escaped = started.stream().map(ProcessHandle::of).flatMap(java.util.Optional::stream)
                .filter(ProcessHandle::isAlive).toList();
        try {
            assertThat(escaped).as("processes of make rpms alive after its tree was killed").hasSize(1);
        } finally {
            escaped.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A clone of the shared repository at {@code branch}, after {@code sh autogen.sh}. */
    Path checkout(String branch) throws IOException, InterruptedException {
        Path tree = clone(repo, branch);
        git(tree, "checkout", "-q", branch);
        run(tree, "sh", "autogen.sh");
        assertThat(tree.resolve("configure")).isExecutable();
        return tree;
    }

    Path clone(LustreRepo r, String name) throws IOException, InterruptedException {
        Path tree = tmp.resolve("clone-" + name);
        git(tmp, "clone", "-q", r.url(), tree.toString());
        return tree;
    }

    static ProcessRun git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return ProcessRun.exec(dir, LustreTreeFixture.gitEnv(), TIMEOUT, cmd).requireSuccess();
    }

    static ProcessRun run(Path dir, String... cmd) throws IOException, InterruptedException {
        return ProcessRun.exec(dir, Map.of(), TIMEOUT, cmd).requireSuccess();
    }

    static List<String> rpms(Path dir) throws IOException {
        return OfedBundleFixtureTest.rpmNames(dir);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}

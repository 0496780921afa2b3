package io.github.mellanoxlustre.engine.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.engine.preflight.PreflightReport.Problem;
import io.github.mellanoxlustre.kernel.KernelResolver;
import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.ssh.SshAuth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
    static final String RELEASE = "4.18.0-477.10.1.el8_lustre.x86_64";
    static final String NAME = "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";
    static final List<String> ALL_TOOLS = List.of("rpmbuild", "rpm2cpio", "cpio", "gcc", "make", "libtoolize",
            "aclocal", "autoheader", "automake", "autoconf", "git", "sudo");

    @TempDir
    Path tmp;
    Path bin;
    Path etc;
    Path tree;
    Path bundle;
    KernelResolver resolver;

    @BeforeEach
    void machine() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        etc = Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(etc.resolve("os-release"), "ID=\"rhel\"\nVERSION_ID=\"8.7\"\nPRETTY_NAME=\"RHEL 8.7\"\n");
        tree = Files.createDirectories(tmp.resolve("usr/src/kernels").resolve(RELEASE));
        Files.writeString(tree.resolve("Makefile"), "VERSION = 4\n");
        Files.writeString(tree.resolve("Module.symvers"), "0x12345678\tib_register_client\tvmlinux\tEXPORT_SYMBOL\n");
        Files.writeString(Files.createDirectories(tmp.resolve("proc")).resolve("osrelease"), RELEASE + "\n");
        resolver = new KernelResolver(tmp.resolve("proc/osrelease"), tmp.resolve("lib/modules"),
                tmp.resolve("usr/src/kernels"));
        bundle = Files.writeString(tmp.resolve(NAME), "tgz");
    }

    /** Puts {@code tools} on the test PATH as symlinks to the real {@code true}. */
    private void install(List<String> tools) throws IOException {
        Path trueCmd = Files.isExecutable(Path.of("/usr/bin/true")) ? Path.of("/usr/bin/true") : Path.of("/bin/true");
        for (String t : tools) {
            Files.createSymbolicLink(bin.resolve(t), trueCmd);
        }
    }

    private PreflightOptions options() {
        return new PreflightOptions(Optional.empty(), bin + ":" + tmp.resolve("nowhere"), 1, 1, 1, true, etc, false);
    }

    private BuildRequest request(RebuildMethod method, LustreSource lustre) {
        return new BuildRequest(bundleSource(bundle.toString(), null), Optional.empty(), KernelTarget.detect(),
                method, lustre, new LustreOptions(true, Set.of(LustreOptions.Backend.LDISKFS), Optional.empty(),
                Optional.empty(), Set.of(LustreOptions.Packaging.KMOD), 2), "distribute", tmp.resolve("out"),
                tmp.resolve("work"), tmp.resolve("cache"));
    }

    private BuildRequest gitRequest() {
        return request(RebuildMethod.SRPM_REBUILD, new LustreSource.Git(LustreSource.DEFAULT_URL, "b2_15",
                Optional.empty()));
    }

    @Test
    void everythingPresent() throws IOException {
        install(ALL_TOOLS);
        PreflightReport report = new Preflight(options(), resolver).check(gitRequest());
        assertThat(report.problems()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.kernel()).hasValueSatisfying(k -> {
            assertThat(k.release()).isEqualTo(RELEASE);
            assertThat(k.sourceDir()).isEqualTo(tree);
        });
        assertThat(report.agentDistro()).hasValueSatisfying(d -> assertThat(d.name()).isEqualTo("rhel8.7"));
        assertThat(report.describe()).isEqualTo("preflight: all checks passed");
        // the work directory's free space is measured (even with no threshold) for the extraction limit
        assertThat(report.workSpace()).hasValueSatisfying(s -> {
            assertThat(s.dir()).isEqualTo(tmp.resolve("work").toAbsolutePath().normalize());
            assertThat(s.fileSystem()).isNotBlank();
            assertThat(s.usableBytes()).isPositive();
        });
    }

    @Test
    void aPolicyKeywordInAnyCaseIsTheKeyword() throws IOException {
        // the policy parser takes Internal or DISTRIBUTE; preflight must not refuse what the build takes
        install(ALL_TOOLS);
        BuildRequest r = gitRequest();
        for (String keyword : List.of("Internal", "DISTRIBUTE")) {
            BuildRequest cased = new BuildRequest(r.ofed(), Optional.empty(), r.kernel(), r.ofedRebuild(), r.lustre(),
                    r.lustreOptions(), keyword, r.outputDir(), r.workDir(), r.cacheDir());
            assertThat(new Preflight(options(), resolver).check(cased).problems()).isEmpty();
        }
    }

    @Test
    void reportsEveryProblemAtOnceWithPackages() throws IOException {
        install(List.of("rpmbuild", "gcc", "make", "git"));
        Files.delete(tree.resolve("Module.symvers"));
        Files.writeString(etc.resolve("os-release"), "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian 12\"\n");
        Files.writeString(etc.resolve("debian_version"), "12.5\n");
        Files.delete(bundle);
        PreflightOptions opts = options().withMinFree(1L << 50, 1L << 40, 1);
        BuildRequest request = request(RebuildMethod.ADD_KERNEL_SUPPORT,
                new LustreSource.Git(LustreSource.DEFAULT_URL, "b2_15", Optional.empty()));
        PreflightReport report = new Preflight(opts.withUseSudo(true), resolver).check(request);

        List<String> messages = report.problems().stream().map(Problem::message).toList();
        assertThat(messages).anyMatch(m -> m.equals("kernel tree " + tree + " for " + RELEASE + " has no Module.symvers "
                + "(a kernel-devel package has both; a plain source tree must be configured and built first)"));
        for (String missing : List.of("rpm2cpio", "cpio", "libtoolize", "aclocal", "autoheader", "automake", "autoconf",
                "sudo")) {
            assertThat(messages).anyMatch(m -> m.startsWith(missing + " is not on the PATH (needed for "));
        }
        assertThat(messages).filteredOn(m -> m.contains("PATH=")).singleElement().asString()
                .startsWith("rpm2cpio is not on the PATH").endsWith("; PATH=" + options().path() + ")");
        assertThat(messages).noneMatch(m -> m.startsWith("rpmbuild ") || m.startsWith("gcc ") || m.startsWith("git "));
        assertThat(messages).anyMatch(m -> m.startsWith("only ") && m.contains("the work directory " + tmp.resolve("work")
                + " needs 1048576.0 GiB") && m.contains("the cache directory " + tmp.resolve("cache") + " needs 1024.0 GiB")
                && m.contains("(1049600.0 GiB together, same file system)"));
        assertThat(messages).anyMatch(m -> m.startsWith("this machine runs debian12.5 (Debian 12) but the MLNX_OFED "
                + "bundle is for rhel8.7"));
        assertThat(messages).anyMatch(m -> m.equals("bundle: " + bundle + " does not exist or is not a file"));
        assertThat(report.ok()).isFalse();

        assertThat(report.elPackages()).containsExactly("kernel-devel-" + RELEASE, "rpm", "cpio", "libtool", "automake",
                "autoconf", "sudo");
        // an EL kernel's headers cannot come from Debian: no linux-headers-<EL release> hint
        assertThat(report.debianPackages()).containsExactly("rpm2cpio", "cpio", "libtool", "automake", "autoconf",
                "sudo");
        String text = report.describe();
        assertThat(text).startsWith("preflight: " + report.problems().size() + " problems found:\n  - ");
        assertThat(text).contains("install on Debian/Ubuntu machines: apt-get install rpm2cpio cpio libtool automake "
                + "autoconf sudo");
        assertThat(text).doesNotContain("dnf install");
    }

    @Test
    void describeForAnElMachineShowsDnf() throws IOException {
        install(List.of("rpmbuild", "cpio", "gcc", "make", "git"));
        PreflightReport report = new Preflight(options().withTools(RequiredTool.defaults(RebuildMethod.SRPM_REBUILD,
                gitRequest().lustre(), false).subList(0, 5)), resolver).check(gitRequest());
        assertThat(report.problems()).extracting(Problem::message)
                .containsExactly("rpm2cpio is not on the PATH (needed for staging mlnx-ofa_kernel-devel; PATH=" + bin + ":"
                        + tmp.resolve("nowhere") + ")");
        assertThat(report.describe()).endsWith("\n  install on RHEL-family machines: dnf install rpm");
    }

    @Test
    void aNonExecutableFileIsNotATool() throws IOException {
        install(ALL_TOOLS.stream().filter(t -> !t.equals("make")).toList());
        Path make = Files.writeString(bin.resolve("make"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(make, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(new Preflight(options(), resolver).check(gitRequest()).problems()).extracting(Problem::message)
                .singleElement().asString().startsWith("make is not on the PATH");
    }

    @Test
    void toolListDependsOnTheRequest() {
        LustreSource git = new LustreSource.Git(LustreSource.DEFAULT_URL, "b2_15", Optional.empty());
        LustreSource local = new LustreSource.Local(tmp);
        List<String> withSudo = RequiredTool.defaults(RebuildMethod.ADD_KERNEL_SUPPORT, git, true).stream()
                .map(RequiredTool::command).toList();
        assertThat(withSudo).containsExactlyElementsOf(ALL_TOOLS);
        assertThat(RequiredTool.defaults(RebuildMethod.ADD_KERNEL_SUPPORT, git, false)).extracting(RequiredTool::command)
                .doesNotContain("sudo");
        assertThat(RequiredTool.defaults(RebuildMethod.SRPM_REBUILD, local, true)).extracting(RequiredTool::command)
                .doesNotContain("sudo", "git").contains("rpmbuild", "autoconf");
        assertThat(RequiredTool.defaults(RebuildMethod.SRPM_REBUILD, local, true)).filteredOn(t -> t.command().equals(
                "rpmbuild")).singleElement().satisfies(t -> {
                    assertThat(t.elPackage()).isEqualTo("rpm-build");
                    assertThat(t.debianPackage()).isEqualTo("rpm");
                });
    }

    @Test
    void distroCheckCanBeTurnedOff() throws IOException {
        install(ALL_TOOLS);
        Files.writeString(etc.resolve("os-release"), "ID=ubuntu\nVERSION_ID=\"22.04\"\n");
        PreflightReport off = new Preflight(options().withCheckDistro(false), resolver).check(gitRequest());
        assertThat(off.ok()).isTrue();
        assertThat(off.notes()).containsExactly("distribution check skipped (turned off): this machine runs "
                + "ubuntu22.04 but the bundle is for rhel8.7");
        assertThat(off.describe()).contains("note: distribution check skipped");
        Files.delete(etc.resolve("os-release"));
        assertThat(new Preflight(options().withCheckDistro(false), resolver).check(gitRequest()).ok()).isTrue();
        assertThat(new Preflight(options(), resolver).check(gitRequest()).problems()).extracting(Problem::message)
                .singleElement().asString().startsWith("cannot tell this machine's distribution from "
                        + etc.resolve("os-release"));
    }

    @Test
    void aDebianStyleReleaseCannotBePackagedByElKmodTooling() throws IOException {
        install(ALL_TOOLS);
        String debian = "6.1.0-57-amd64";
        Path deb = Files.createDirectories(tmp.resolve("usr/src/kernels").resolve(debian));
        Files.writeString(deb.resolve("Makefile"), "VERSION = 6\n");
        Files.writeString(deb.resolve("Module.symvers"), "0x12345678\tib_register_client\tvmlinux\tEXPORT_SYMBOL\n");
        BuildRequest r = gitRequest();
        BuildRequest debRequest = new BuildRequest(r.ofed(), Optional.empty(),
                new KernelTarget(Optional.of(debian), Optional.empty()), r.ofedRebuild(), r.lustre(), r.lustreOptions(),
                r.policy(), r.outputDir(), r.workDir(), r.cacheDir());
        assertThat(new Preflight(options(), resolver).check(debRequest).problems()).extracting(Problem::message)
                .singleElement().asString().startsWith("kernel release 6.1.0-57-amd64 has more than one '-'")
                .contains("Invalid version (double separator '-')");
    }

    @Test
    void aKernelReleaseTheTreeIsNotBuiltForIsFoundBeforeTheLongPhases() throws IOException {
        install(ALL_TOOLS);
        Path generated = Files.createDirectories(tree.resolve("include/generated"));
        Files.writeString(generated.resolve("utsrelease.h"), "#define UTS_RELEASE \"" + RELEASE + "\"\n");
        assertThat(new Preflight(options(), resolver).check(gitRequest()).problems()).isEmpty();
        for (String asked : List.of("4.18.0", "4.18.0-513.5.1.el8_lustre.x86_64")) {
            BuildRequest r = gitRequest();
            BuildRequest wrong = new BuildRequest(r.ofed(), Optional.empty(),
                    new KernelTarget(Optional.of(asked), Optional.of(tree)), r.ofedRebuild(), r.lustre(),
                    r.lustreOptions(), r.policy(), r.outputDir(), r.workDir(), r.cacheDir());
            assertThat(new Preflight(options(), resolver).check(wrong).problems()).extracting(Problem::message)
                    .singleElement().isEqualTo("kernel release " + asked + " does not match the kernel tree " + tree
                            + ", which builds for " + RELEASE + " (UTS_RELEASE in include/generated/utsrelease.h); "
                            + "give the kernel release " + RELEASE + ", or the tree of " + asked);
        }
    }

    @Test
    void aMissingTreeIsOnlyHintedWithPackagesTheDistributionCanHave() throws IOException {
        install(ALL_TOOLS);
        BuildRequest r = gitRequest();
        for (String release : List.of("6.1.0-57-amd64", "5.14.0-427.el9.x86_64", "6.8.0-custom")) {
            BuildRequest missing = new BuildRequest(r.ofed(), Optional.empty(),
                    new KernelTarget(Optional.of(release), Optional.of(tmp.resolve("no-tree"))), r.ofedRebuild(),
                    r.lustre(), r.lustreOptions(), r.policy(), r.outputDir(), r.workDir(), r.cacheDir());
            PreflightReport report = new Preflight(options(), resolver).check(missing);
            boolean debian = release.endsWith("-amd64");
            boolean el = release.contains(".el9");
            assertThat(report.elPackages()).as(release).isEqualTo(debian ? List.of() : List.of("kernel-devel-" + release));
            assertThat(report.debianPackages()).as(release)
                    .isEqualTo(el ? List.of() : List.of("linux-headers-" + release));
        }
    }

    @Test
    void srpmRebuildNotesWhenTheTreeIsNotKmodtoolsTree() throws IOException {
        install(ALL_TOOLS);
        assertThat(new Preflight(options(), resolver).check(gitRequest()).notes()).isEmpty();
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("Makefile"), "VERSION = 4\n");
        Files.writeString(elsewhere.resolve("Module.symvers"), "");
        BuildRequest r = gitRequest();
        BuildRequest other = new BuildRequest(r.ofed(), Optional.empty(),
                new KernelTarget(Optional.of(RELEASE), Optional.of(elsewhere)), r.ofedRebuild(), r.lustre(),
                r.lustreOptions(), r.policy(), r.outputDir(), r.workDir(), r.cacheDir());
        PreflightReport report = new Preflight(options(), resolver).check(other);
        assertThat(report.ok()).isTrue();
        assertThat(report.notes()).singleElement().asString().startsWith("warning: the KMP rebuild of mlnx-ofa_kernel "
                + "builds against " + tree + " (kmodtool's kernel tree for " + RELEASE + "), not against " + elsewhere);

        // non-KMP: K_SRC is the tree (no kmodtool note), but Lustre 2.16+ kmods require the KMP package
        BuildRequest nonKmp = other.withSettings(other.settings().withOfedKmp(false));
        assertThat(new Preflight(options(), resolver).check(nonKmp).notes()).singleElement().asString()
                .startsWith("warning: OFED is rebuilt non-KMP (ofedPackaging), as mlnx-ofa_kernel-modules; Lustre "
                        + "2.16 and later make their kmod packages require kmod-mlnx-ofa_kernel");
        BuildRequest dkms = new BuildRequest(r.ofed(), Optional.empty(), nonKmp.kernel(), r.ofedRebuild(), r.lustre(),
                new LustreOptions(true, Set.of(LustreOptions.Backend.LDISKFS), Optional.empty(), Optional.empty(),
                        Set.of(LustreOptions.Packaging.DKMS), 2), r.policy(), r.outputDir(), r.workDir(), r.cacheDir(),
                nonKmp.settings());
        assertThat(new Preflight(options(), resolver).check(dkms).notes()).isEmpty();
    }

    @Test
    void missingKernelTreeAndUnresolvableKernel() throws IOException {
        install(ALL_TOOLS);
        Files.walk(tree).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        PreflightReport report = new Preflight(options(), resolver).check(gitRequest());
        // the running kernel is a _lustre one: its /lib/modules/<r>/build is expected, and missing
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).startsWith("kernel tree " + tmp.resolve("lib/modules").resolve(RELEASE)
                    .resolve("build") + " for " + RELEASE + " (the running kernel (Lustre-patched)) does not exist");
            assertThat(p.elPackage()).contains("kernel-devel-" + RELEASE);
            assertThat(p.debianPackage()).isEmpty();   // Debian has no headers for an EL kernel
        });

        Files.writeString(tmp.resolve("proc/osrelease"), "5.14.0-1.el9.x86_64\n");
        Files.createDirectories(tmp.resolve("usr/src/kernels/4.18.0-1.el8_lustre.x86_64"));
        Files.createDirectories(tmp.resolve("usr/src/kernels/4.18.0-2.el8_lustre.x86_64"));
        PreflightReport several = new Preflight(options(), resolver).check(gitRequest());
        assertThat(several.kernel()).isEmpty();
        assertThat(several.problems()).extracting(Problem::message).singleElement().asString()
                .contains("several Lustre kernel-devel trees");
    }

    @Test
    void missingInputFiles() throws IOException {
        install(ALL_TOOLS);
        SshAuth ssh = new SshAuth(tmp.resolve("no-key"), null, tmp.resolve("no-known-hosts"));
        LustreOptions zfs = new LustreOptions(true, Set.of(LustreOptions.Backend.ZFS), Optional.of(tmp.resolve("no-zfs")),
                Optional.of(tmp.resolve("no-zfs-obj")), Set.of(LustreOptions.Packaging.KMOD), 1);
        BuildRequest request = new BuildRequest(bundleSource("sftp://u@h/x/" + NAME, null), Optional.of(ssh),
                KernelTarget.detect(), RebuildMethod.SRPM_REBUILD, new LustreSource.Local(tmp.resolve("no-lustre")), zfs,
                tmp.resolve("policy.yaml").toString(), tmp.resolve("out"), tmp.resolve("work"), tmp.resolve("cache"));
        assertThat(new Preflight(options(), resolver).check(request).problems()).extracting(Problem::message)
                .containsExactly(
                        "bundleCredentials: the SSH private key " + tmp.resolve("no-key") + " does not exist",
                        "bundleCredentials: the known_hosts file " + tmp.resolve("no-known-hosts")
                                + " does not exist; host keys are always verified",
                        "lustreSource: " + tmp.resolve("no-lustre") + " is not a directory",
                        "zfsSource: " + tmp.resolve("no-zfs") + " is not a directory; install the ZFS development package",
                        "zfsObj: " + tmp.resolve("no-zfs-obj") + " is not a directory",
                        "policy: '" + tmp.resolve("policy.yaml") + "' is neither distribute, internal nor an existing "
                                + "policy file");
        Files.createDirectories(tmp.resolve("no-lustre"));
        assertThat(new Preflight(options(), resolver).check(request).problems()).extracting(Problem::message)
                .contains("lustreSource: " + tmp.resolve("no-lustre") + " has no autogen.sh; expected a lustre-release "
                        + "source tree");
    }

    @Test
    void aZfsTreeConfigureWouldRejectIsAProblemBeforeTheLongPhases() throws IOException {
        install(ALL_TOOLS);
        io.github.mellanoxlustre.standin.ZfsDevel tree = io.github.mellanoxlustre.standin.ZfsDevelFixture.create(
                tmp.resolve("zfs"), "2.1.15", "4.18.0-1.el8.x86_64");
        Files.delete(tree.objectDir().resolve("Module.symvers"));
        LustreOptions zfs = new LustreOptions(true, Set.of(LustreOptions.Backend.ZFS), Optional.of(tree.sourceDir()),
                Optional.of(tree.objectDir()), Set.of(LustreOptions.Packaging.KMOD), 1);
        BuildRequest request = new BuildRequest(bundleSource(tmp.resolve(NAME).toString(), null), Optional.empty(),
                KernelTarget.detect(), RebuildMethod.SRPM_REBUILD, new LustreSource.Local(tmp), zfs, "distribute",
                tmp.resolve("out"), tmp.resolve("work"), tmp.resolve("cache"));
        assertThat(new Preflight(options(), resolver).check(request).problems()).extracting(Problem::message)
                .contains("zfsSource: no Module.symvers in " + tree.objectDir() + " or " + tree.objectDir().resolve("module")
                        + ": the ZFS modules were not built there (Lustre's configure would disable the zfs backend)");
    }

    private static OfedSource bundleSource(String location, String sha256) {
        return new OfedSource.Bundle(BundleLocation.parse(location, sha256));
    }
}

package io.github.mellanoxlustre.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mellanoxlustre.engine.EngineFixtures;
import io.github.mellanoxlustre.standin.LustreRepo;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import io.github.mellanoxlustre.standin.ZfsDevel;
import io.github.mellanoxlustre.standin.ZfsDevelFixture;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlnx-lustre plan} and {@code build} through the command line, on the stand-ins. */
class BuildCommandTest {
    static EngineFixtures f;

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void standins() throws Exception {
        f = EngineFixtures.shared();
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        System.out.println(out);
        System.out.println(err);
        return new Run(code, out.toString(), err.toString());
    }

    /** The options of a working server ldiskfs kmod build of b2_15 into dir/out. */
    private List<String> args(String command) {
        return new ArrayList<>(List.of(command,
                "--bundle", f.bundle.tgz().toString(),
                "--kernel-release", EngineFixtures.KERNEL,
                "--kernel-source", f.kernel.dir().toString(),
                "--lustre-repo", f.lustre.url(),
                "--lustre-ref", "b2_15",
                "-j", "2",
                "--output", dir.resolve("out").toString(),
                "--work-dir", dir.resolve("work").toString(),
                "--cache-dir", f.cache.toString(),
                "--no-distro-check",
                "--min-free", "0",
                "--env", "PATH=" + f.path()));
    }

    @Test
    void planPrintsEveryPhaseAndTheExactCommandsWithoutRunningAnything() {
        List<String> a = args("plan");
        a.addAll(List.of("--ofed-rebuild", "add-kernel-support", "--packaging", "kmod", "--packaging", "dkms",
                "--backend", "ldiskfs", "--backend", "zfs", "--zfs-source", "/usr/src/zfs-2.1.15",
                "--zfs-obj", "/usr/src/zfs-2.1.15/" + EngineFixtures.KERNEL, "--sudo", "always"));
        Run r = run(a.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        String work = dir.resolve("work").toString();
        assertThat(r.out()).contains(
                "[1/9] Preflight",
                "[3/9] Rebuild OFED kernel modules (add-kernel-support)",
                "$ sudo -n <bundle>/mlnx_add_kernel_support.sh -m <bundle> -k " + EngineFixtures.KERNEL + " -s "
                        + f.kernel.dir() + " --make-tgz --skip-repo --yes --tmpdir " + work + "/ofed-build --distro rhel8.8 --kmp",
                "$ rpm2cpio <ofed-rpms>/mlnx-ofa_kernel-devel-*.rpm | cpio -idm --no-absolute-filenames --quiet",
                "$ git clone --mirror -- " + f.lustre.url(),
                "$ git checkout --quiet --detach <commit>",
                "$ sh autogen.sh",
                "$ ./configure --with-linux=" + f.kernel.dir() + " --with-o2ib=<o2ib> --with-zfs=/usr/src/zfs-2.1.15 "
                        + "--with-zfs-obj=/usr/src/zfs-2.1.15/" + EngineFixtures.KERNEL,
                "$ make -j2 rpms", "$ make -j2 dkms-rpms",
                "[9/9] Check the policy and publish (policy distribute)",
                "Placeholders:", "<bundle>      " + work + "/ofed/MLNX_OFED_LINUX-5.8-2.0.3.0-rhel8.8-x86_64");
        assertThat(dir.resolve("work")).doesNotExist();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void doctorRunsOnlyThePreflightChecksAndExitsZeroWhenABuildCouldStart() {
        Run r = run(args("doctor").toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("==> [1/1] Preflight", "preflight: all checks passed",
                "lustreRef b2_15 is a branch of " + f.lustre.url(), "==> a build could start: every check passed")
                .doesNotContain("[2/", "rpmbuild");
        assertThat(dir.resolve("work")).doesNotExist();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void doctorReportsEveryProblemAtOnceAndExitsFour() throws Exception {
        List<String> a = args("doctor");
        a.set(a.indexOf("b2_15"), "b2_17");
        a.set(a.indexOf("--min-free") + 1, String.valueOf(1L << 30));   // a petabyte free, in MiB
        a.addAll(List.of("--policy", "strict"));
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/keep.txt"), "not the build's");
        Files.createDirectories(dir.resolve("work"));
        Files.writeString(dir.resolve("work/mine.txt"), "not the build's either");
        Run r = run(a.toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(4);
        assertThat(r.out()).contains("preflight: 5 problems found:",
                "  - --output: '" + dir.resolve("out") + "' exists and is not empty",
                "  - --work-dir: '" + dir.resolve("work") + "' is not empty and was not made by mlnx-lustre",
                "needs 1048576.0 GiB",
                "  - --policy: 'strict' is neither distribute, internal nor an existing policy file",
                "  - --lustre-ref: 'b2_17' is neither a branch nor a tag of " + f.lustre.url() + "; nearest: b2_15, b2_16",
                "==> a build could not start: 5 problems to fix first");
        assertThat(dir.resolve("out/keep.txt")).exists();
        try (var files = Files.list(dir.resolve("work"))) {
            assertThat(files).containsExactly(dir.resolve("work/mine.txt"));   // nothing written there
        }
    }

    @Test
    void planRefusesWhatBuildRefusesBeforeItsFirstPhase() throws Exception {
        for (String command : List.of("plan", "build")) {
            List<String> a = args(command);
            a.addAll(List.of("--policy", "strict"));
            Run r = run(a.toArray(String[]::new));
            assertThat(r.code()).as(command + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("mlnx-lustre " + command + ": --policy: 'strict' is neither distribute,");
            assertThat(r.out()).doesNotContain("[1/9]");
        }
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/keep.txt"), "not the build's");
        Run full = run(args("plan").toArray(String[]::new));
        assertThat(full.code()).isEqualTo(2);
        assertThat(full.err()).contains("exists and is not empty");
        assertThat(dir.resolve("out/keep.txt")).hasContent("not the build's");
    }

    @Test
    void planOfAnSrpmRebuildShowsLbuildsCommand() {
        Run r = run(args("plan").toArray(String[]::new));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("$ rpmbuild --rebuild --define '_topdir " + dir.resolve("work") + "/ofed-build/rpmbuild' "
                + "--target x86_64 --define 'KVERSION " + EngineFixtures.KERNEL + "' --define 'KMP 1' --define 'K_SRC "
                + f.kernel.dir() + "' --with building_kmods <srpm>");
    }

    @Test
    void buildPublishesAndExitsZero() throws Exception {
        Run r = run(args("build").toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("==> [9/9]", "==> PASS (policy distribute)");
        assertThat(dir.resolve("out/manifest.json")).isRegularFile();
        assertThat(dir.resolve("work/logs")).isDirectory();
    }

    @Test
    void aQuietBuildShowsOnlyBannersWarningsErrorsAndTheSummary() throws Exception {
        List<String> a = args("build");
        a.add("--quiet");
        Run r = run(a.toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        for (int i = 1; i <= 9; i++) {
            assertThat(r.out()).contains("==> [" + i + "/9] ", "<== [" + i + "/9] ");
        }
        assertThat(r.out()).contains("==> PASS (policy distribute)").doesNotContain("\n$ ", "DISTRIBUTABLE",
                "preflight: all checks passed");
        assertThat(r.out().lines().count()).isLessThan(30);
        // The phase logs keep every command and line, each with its time.
        String make = Files.readString(dir.resolve("work/logs/07-build-the-lustre-rpms.log"));
        assertThat(make).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\$ make -j2 rpms$");
    }

    @Test
    void forbiddenRpmExitsOneWithTheDistributableSetPublished() throws Exception {
        ZfsDevel zfs = ZfsDevelFixture.create(dir.resolve("zfs"), "2.1.15", EngineFixtures.KERNEL);
        List<String> a = args("build");
        a.addAll(List.of("--backend", "ldiskfs", "--backend", "zfs", "--zfs-source", zfs.sourceDir().toString(),
                "--zfs-obj", zfs.objectDir().toString()));
        Run r = run(a.toArray(String[]::new));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("==> FAIL (policy distribute)", "withheld in " + dir.resolve("out-withheld"));
        JsonNode m = new ObjectMapper().readTree(dir.resolve("out/manifest.json").toFile());
        assertThat(m.path("verdict").asText()).isEqualTo("FAIL");
        try (Stream<Path> s = Files.list(dir.resolve("out-withheld"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("kmod-lustre-osd-zfs-"));
        }
    }

    @Test
    void usageAndValidationErrorsExitTwoAndRunNothing() {
        Run noBundle = run("build", "--output", dir.resolve("out").toString());
        assertThat(noBundle.code()).isEqualTo(2);
        assertThat(noBundle.err()).contains("--bundle");

        List<String> a = args("build");
        a.addAll(List.of("--ofed-rebuild", "by-hand"));
        Run badMethod = run(a.toArray(String[]::new));
        assertThat(badMethod.code()).isEqualTo(2);
        assertThat(badMethod.err()).contains("--ofed-rebuild: 'by-hand' is not a rebuild method; expected "
                + "add-kernel-support, srpm-rebuild or doca-kernel-support");

        List<String> b = args("build");
        b.set(b.indexOf("--bundle") + 1, dir.resolve("ofed.tgz").toString());
        Run badName = run(b.toArray(String[]::new));
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("does not have the expected form MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz");

        List<String> c = args("build");
        c.addAll(List.of("--backend", "zfs"));
        Run zfsWithoutTree = run(c.toArray(String[]::new));
        assertThat(zfsWithoutTree.code()).isEqualTo(2);
        assertThat(zfsWithoutTree.err()).contains("--zfs-source: the zfs backend needs the ZFS development tree");
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @Test
    void exactlyOneOfedSourceAndTheInstalledOneTakesAnOptionalDirectory() {
        List<String> both = args("plan");
        both.add("--ofed-installed");
        Run twice = run(both.toArray(String[]::new));
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("--bundle: give exactly one OFED source, not --bundle and --ofed-installed");

        List<String> installed = args("plan");
        int at = installed.indexOf("--bundle");
        installed.remove(at + 1);
        installed.remove(at);
        installed.add(0 + 1, "--ofed-installed");
        Run here = run(installed.toArray(String[]::new));
        assertThat(here.code()).as(here.err()).isZero();
        assertThat(here.out()).contains("installed OFED on this machine", "find the installed OFED's kernel tree on "
                + "this machine", "nothing to rebuild");

        installed.set(1, "--ofed-installed=" + dir.resolve("root"));
        Run under = run(installed.toArray(String[]::new));
        assertThat(under.code()).as(under.err()).isZero();
        assertThat(under.out()).contains("find the installed OFED's kernel tree at or under " + dir.resolve("root"));

        installed.set(1, "--ofed-srpm");
        installed.add(2, "https://store.example.org/mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.src.rpm");
        Run noSum = run(installed.toArray(String[]::new));
        assertThat(noSum.code()).isEqualTo(2);
        assertThat(noSum.err()).contains("--ofed-srpm: an http(s) location needs the file's SHA-256 (64 hexadecimal "
                + "digits) in the checksum field (--ofed-sha256)");
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @Test
    void docaKernelSupportGoesWithTheInstalledOfedGivenWithoutADirectoryOnly() {
        List<String> bundle = args("plan");
        bundle.addAll(List.of("--ofed-rebuild", "doca-kernel-support"));
        Run withBundle = run(bundle.toArray(String[]::new));
        assertThat(withBundle.code()).isEqualTo(2);
        assertThat(withBundle.err()).contains("--ofed-rebuild: doca-kernel-support rebuilds the DOCA-OFED installed on "
                + "this machine with its own /opt/mellanox/doca/tools/doca-kernel-support and takes no OFED file or "
                + "directory; use it with the installed OFED given without a directory (--ofed-installed), not with "
                + "another OFED source (--bundle)");

        List<String> installed = args("plan");
        int at = installed.indexOf("--bundle");
        installed.remove(at + 1);
        installed.remove(at);
        installed.addAll(List.of("--ofed-installed=" + dir.resolve("root"), "--ofed-rebuild", "doca-kernel-support"));
        Run withDir = run(installed.toArray(String[]::new));
        assertThat(withDir.code()).isEqualTo(2);
        assertThat(withDir.err()).contains("(--ofed-installed), not with a directory given to it");

        installed.set(installed.indexOf("--ofed-installed=" + dir.resolve("root")), "--ofed-installed");
        Run here = run(installed.toArray(String[]::new));
        assertThat(here.code()).as(here.err()).isZero();
        assertThat(here.out()).contains("installed DOCA-OFED", "<doca-kernel-support> -k ")
                .contains("doca-kernel-repo-*.rpm").doesNotContain("nothing to rebuild");
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @Test
    void preflightsHintsNameTheOptions() {
        // the engine says (kernelSource), (checkDistro), lustreRef:; the user typed --kernel-source, ...
        List<String> a = args("build");
        a.set(a.indexOf("--kernel-source") + 1, dir.resolve("no-such-tree").toString());
        a.remove("--no-distro-check");
        a.set(a.indexOf("--lustre-ref") + 1, "b2_99");
        Run r = run(a.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("or give the kernel build tree (--kernel-source)")
                .contains("--lustre-ref: 'b2_99' is neither a branch nor a tag")
                .doesNotContain("(kernelSource)").doesNotContain("lustreRef:");
        assertThat(r.out()).contains("the distro check off (--no-distro-check)").doesNotContain("(checkDistro)");
    }

    @Test
    void aMistypedOptionIsNamedWithItsNearestBeforeAMissingOne() {
        // picocli says "Missing required option: '--output=DIR'" first; the typo is what to fix
        Run typo = run("build", "--bakend", "zfs", "--polcy=internal", "-j4");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("mlnx-lustre build: Unknown options: '--bakend', '--polcy=internal'")
                .contains("did you mean --backend").doesNotContain("Missing required option").doesNotContain("-j4");
        Run missing = run("plan", "--bundle", "/x/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz", "-j4");
        assertThat(missing.err()).contains("Missing required option: '--output=DIR'");
    }

    @Test
    void aNonEmptyOutputIsRefusedUnlessReplaced() throws Exception {
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/old.rpm"), "x");
        Run r = run(args("build").toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--output: '" + dir.resolve("out") + "' exists and is not empty",
                "--replace-output");
        assertThat(dir.resolve("out/old.rpm")).exists();
    }

    /** issue 10: a locked work directory and an unusable policy file came out as exit 2, "bad usage". */
    @Test
    void aWorkDirectoryInUseOrAnInvalidPolicyFileCannotRunHereAndExitsFour() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        try (FileChannel ch = FileChannel.open(work.resolve(".mlnx-lustre-work"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            Run r = run(args("build").toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isEqualTo(4);
            assertThat(r.err()).startsWith("mlnx-lustre build: cannot run here: --work-dir: '" + work
                    + "' is in use by another build; nothing ran").doesNotContain("--help");
            assertThat(r.out()).doesNotContain("[1/9]");
        }
        Path policy = Files.writeString(dir.resolve("site.yaml"), "base: public\n");
        for (String command : List.of("plan", "build")) {
            List<String> a = args(command);
            a.addAll(List.of("--policy", policy.toString()));
            Run r = run(a.toArray(String[]::new));
            assertThat(r.code()).as(command + ": " + r.err()).isEqualTo(4);
            assertThat(r.err()).startsWith("mlnx-lustre " + command + ": cannot run here: policy file")
                    .contains("base: 'public' is not accepted");
        }
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aFailedBuildExitsThree() throws Exception {
        List<String> a = args("build");
        a.addAll(List.of("--bundle-sha256", "1".repeat(64)));
        Run r = run(a.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("failed in phase 2 (Get OFED)");
        assertThat(r.out()).containsPattern("==> BUILD FAILED in phase 2 \\(Get OFED\\)"
                + " after \\d+\\.\\d s in all: nothing was published");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void sigtermAbortsKillsTheToolTreeAndExits130() throws Exception {
        Path pids = dir.resolve("make.pids");
        LustreRepo hanging = LustreTreeFixture.createGitRepo(dir.resolve("lustre"),
                LustreTreeFixture.Options.defaults().withHangingMake(pids));
        List<String> a = args("build");
        a.set(a.indexOf("--lustre-repo") + 1, hanging.url());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(), Main.class.getName()));
        cmd.addAll(a);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("cli.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // two grandchildren of make and a daemon (setsid and a double fork)
            while (pidCount(pids) < 3 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pidCount(pids)).as(Files.readString(dir.resolve("cli.out"))).isEqualTo(3);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(dir.resolve("cli.out"));
        assertThat(p.exitValue()).as(out).isEqualTo(130);
        assertThat(out).contains("aborted: killed make", "==> BUILD ABORTED", "aborted; nothing was published");
        for (String l : Files.readAllLines(pids)) {
            long pid = Long.parseLong(l.trim());
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (alive(pid) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(alive(pid)).as("pid " + pid).isFalse();
        }
        assertThat(dir.resolve("out")).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }
    }

    /** The CLI in a JVM of its own, started in {@code cwd} with {@code env} added to this one's. */
    private Run cli(Path cwd, Map<String, String> env, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(), Main.class.getName()));
        cmd.addAll(args);
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        System.out.println(r.out());
        System.out.println(r.err());
        return r;
    }

    /** issue 11: a make printing its environment put MLNX_LUSTRE_GIT_KEY_PASSPHRASE in console, log and tail. */
    @Test
    void aToolPrintingItsEnvironmentShowsNoPassphraseInConsoleLogsOrTail() throws Exception {
        String passphrase = "Hunter2-cli-passphrase-3b9";
        LustreRepo printing = LustreTreeFixture.createGitRepo(dir.resolve("lustre"),
                LustreTreeFixture.Options.defaults().withMakePrintingItsEnvironment().withFailingMake());
        List<String> a = args("build");
        a.set(a.indexOf("--lustre-repo") + 1, printing.url());
        Run r = cli(dir, Map.of("MLNX_LUSTRE_GIT_KEY_PASSPHRASE", passphrase,
                "MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE", passphrase + "-bundle", "LC_MESSAGES", "C"), a);
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.out()).contains("make: environment:", "LC_MESSAGES=C", "last 50 lines of its output");
        StringBuilder logs = new StringBuilder();
        try (Stream<Path> s = Files.list(dir.resolve("work/logs"))) {
            for (Path p : s.sorted().toList()) {
                logs.append(Files.readString(p));
            }
        }
        assertThat(logs).contains("make: environment:", "LC_MESSAGES=C");
        for (String text : List.of(r.out(), r.err(), logs.toString())) {
            assertThat(text).doesNotContain(passphrase, "MLNX_LUSTRE_GIT_KEY_PASSPHRASE",
                    "MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE");
        }
    }

    /** issue 11: --output '' was the current directory, and --replace-output deleted the files there. */
    @Test
    void anEmptyOrDotOutputWithReplaceOutputDeletesNothingInTheCurrentDirectory() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Files.writeString(cwd.resolve("precious.txt"), "keep me");
        Files.createDirectories(cwd.resolve("src"));
        Files.writeString(cwd.resolve("src/main.c"), "int main(void) { return 0; }\n");
        for (String output : List.of("", ".", cwd.toString(), cwd.getParent().toString())) {
            List<String> a = args("build");
            a.set(a.indexOf("--output") + 1, output);
            a.set(a.indexOf("--work-dir") + 1, dir.resolve("work-" + output.length()).toString());
            a.add("--replace-output");
            Run r = cli(cwd, Map.of(), a);
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
            assertThat(r.err()).as(output).startsWith("mlnx-lustre build: --output: ")
                    .contains("which publishing would replace", "expected a directory of its own");
            assertThat(EngineFixtures.names(cwd)).containsExactly("precious.txt", "src");
            assertThat(Files.readString(cwd.resolve("precious.txt"))).isEqualTo("keep me");
            assertThat(cwd.resolve("src/main.c")).isRegularFile();
        }
        List<String> held = args("build");
        held.addAll(List.of("--withheld-dir", "", "--replace-output"));
        Run r = cli(cwd, Map.of(), held);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--withheld-dir: the empty path is the current directory");
        assertThat(EngineFixtures.names(cwd)).containsExactly("precious.txt", "src");
    }

    @Test
    void toolEnvNamesAreValidatedAndNoPassphraseVariableIsPassed() {
        List<String> a = args("plan");
        a.addAll(List.of("--tool-env", "MLNX_LUSTRE_GIT_KEY_PASSPHRASE"));
        Run secret = run(a.toArray(String[]::new));
        assertThat(secret.code()).isEqualTo(2);
        assertThat(secret.err()).contains("--tool-env: MLNX_LUSTRE_GIT_KEY_PASSPHRASE holds a key passphrase");
        List<String> b = args("plan");
        b.addAll(List.of("--tool-env", "NOT-A-NAME"));
        Run bad = run(b.toArray(String[]::new));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--tool-env: 'NOT-A-NAME' is not a variable name");
        List<String> c = args("plan");
        c.addAll(List.of("--tool-env", "CC", "--tool-env", "CFLAGS"));
        assertThat(run(c.toArray(String[]::new)).code()).isZero();
    }

    @Test
    void aTokenInTheLustreUrlIsRefusedWithoutEchoingIt() {
        for (String url : List.of("https://ghp_s3cr3tT0ken@github.com/org/lustre.git",
                "https://user:ghp_s3cr3tT0ken@github.com/org/lustre.git::", "https://user:ghp_s3cr3tT0ken@/x.git")) {
            List<String> a = args("plan");
            a.set(a.indexOf("--lustre-repo") + 1, url);
            Run r = run(a.toArray(String[]::new));
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--lustre-repo: ");
            assertThat(r.out() + r.err()).doesNotContain("s3cr3t");
        }
    }

    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    private static int pidCount(Path f) throws IOException {
        return Files.exists(f) ? (int) Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    /** Running and not a zombie. */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static {
        // File.pathSeparator is used by the child JVM's -cp
        assert File.pathSeparatorChar == ':';
    }
}

package io.github.mellanoxlustre.cli;

import io.github.mellanoxlustre.process.ShellQuote;
import io.github.mellanoxlustre.standin.KernelTree;
import io.github.mellanoxlustre.standin.KernelTreeFixture;
import io.github.mellanoxlustre.standin.LustreRepo;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import io.github.mellanoxlustre.standin.OfedBundle;
import io.github.mellanoxlustre.standin.OfedBundleFixture;
import io.github.mellanoxlustre.standin.ZfsDevel;
import io.github.mellanoxlustre.standin.ZfsDevelFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mlnx-lustre demo [DIR]}: a whole build a newcomer can watch without a real OFED or Lustre.
 * It makes the stand-ins the project's tests use (a small MLNX_OFED-like bundle with a rebuildable
 * {@code mlnx-ofa_kernel} source RPM, a kernel build tree, a lustre-release-like git repository, a
 * ZFS development tree; {@code io.github.mellanoxlustre.standin}) under {@code DIR/standins}, then
 * runs two real builds over them with the real tools (rpmbuild, git, cpio, gcc): an ldiskfs server
 * build, published, and a ZFS one, whose osd-zfs kmod is withheld under the default policy. It prints
 * each {@code mlnx-lustre build} command before running it, so the user can change one option and
 * run it again. OFED is rebuilt as a KMP, as on a real EL build host; preflight's note that EL's
 * kmodtool would build against {@code /usr/src/kernels/<release>} is expected here (the stand-in
 * kernel tree is elsewhere, and the stand-in spec builds against the tree it is given).
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Build Lustre RPMs against stand-ins of MLNX_OFED, a Lustre kernel, lustre-release and ZFS "
                + "(made in DIR/standins with rpmbuild, gcc and git), twice: an ldiskfs build that publishes and a "
                + "ZFS build whose osd-zfs kmod is withheld. Prints each 'mlnx-lustre build' command it runs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:both builds did what the demo shows (the ldiskfs one published, the ZFS one withheld "
                + "its osd-zfs kmod)",
            "2:bad usage: DIR is not empty and not an earlier demo's",
            "3:a stand-in could not be made or a build did not end as expected (its output says why)"})
final class DemoCommand implements Callable<Integer> {
    /** The stand-in kernel: a Lustre-patched EL 8 release. */
    static final String KERNEL = "4.18.0-477.27.1.el8_lustre.x86_64";
    /** The marker that says a directory is a demo's, so that a second run may replace what the first made. */
    static final String MARKER = ".mlnx-lustre-demo";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "where the stand-ins and the builds' outputs go (default ./mlnx-lustre-demo); must be "
                    + "new, empty, or an earlier demo's")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path root = (dir == null ? Path.of("mlnx-lustre-demo") : dir).toAbsolutePath().normalize();
        checkOurs(root);
        Files.createDirectories(root);
        Files.writeString(root.resolve(MARKER), "made by mlnx-lustre demo; safe to delete\n");
        out.println("==> making the stand-ins in " + root.resolve("standins") + " (rpmbuild, gcc, git)");
        out.flush();
        Standins s = standins(root.resolve("standins"));
        int ldiskfs = build(out, root, s, "ldiskfs", List.of("--backend", "ldiskfs"));
        int zfs = build(out, root, s, "zfs", List.of("--backend", "ldiskfs,zfs", "--zfs-source",
                s.zfs().sourceDir().toString(), "--zfs-obj", s.zfs().objectDir().toString()));
        out.println();
        out.println("==> demo: the ldiskfs build " + (ldiskfs == ExitCodes.PASS ? "published everything (exit 0)"
                : "ended with exit " + ldiskfs) + "; the ZFS build " + (zfs == ExitCodes.FORBIDDEN
                ? "published the distributable set and withheld the osd-zfs kmod (exit 1)" : "ended with exit " + zfs));
        out.println("    outputs in " + root + "; change an option of a command above and run it again "
                + "(e.g. --policy internal, --packaging dkms, --client-only)");
        out.println("    (preflight's note about /usr/src/kernels is expected here: the stand-in kernel tree is "
                + "elsewhere, which a real EL build host with the Lustre kernel-devel does not have to say)");
        return ldiskfs == ExitCodes.PASS && zfs == ExitCodes.FORBIDDEN ? 0 : ExitCodes.FAILED;
    }

    /** Refuses a directory that holds anything and was not made by an earlier demo. */
    private void checkOurs(Path root) throws IOException {
        if (!Files.exists(root) || Files.exists(root.resolve(MARKER))) {
            return;
        }
        if (!Files.isDirectory(root)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "DIR: '" + root + "' is not a directory");
        }
        try (Stream<Path> s = Files.list(root)) {
            if (s.findAny().isPresent()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "DIR: '" + root + "' is not empty and "
                        + "was not made by mlnx-lustre demo (no " + MARKER + "); give a new or empty directory");
            }
        }
    }

    record Standins(Path dir, KernelTree kernel, OfedBundle bundle, LustreRepo lustre, ZfsDevel zfs, Path bin) {
    }

    /** The stand-ins, made afresh (an earlier demo's are replaced). */
    static Standins standins(Path dir) throws IOException, InterruptedException {
        io.github.mellanoxlustre.files.FileTrees.delete(dir);
        Files.createDirectories(dir);
        KernelTree kernel = KernelTreeFixture.create(dir.resolve("kernel"), KERNEL);
        OfedBundle bundle = OfedBundleFixture.create(dir.resolve("ofed"), "5.8-2.0.3.0", "rhel8.8", "x86_64");
        LustreRepo lustre = LustreTreeFixture.createGitRepo(dir.resolve("lustre-release"));
        ZfsDevel zfs = ZfsDevelFixture.create(dir.resolve("zfs"), "2.1.15", KERNEL);
        // The stand-in autogen.sh runs no autotools, but preflight wants them on the PATH as a real build does.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path trueCmd = Files.isExecutable(Path.of("/usr/bin/true")) ? Path.of("/usr/bin/true") : Path.of("/bin/true");
        for (String t : List.of("libtoolize", "aclocal", "autoheader", "automake", "autoconf")) {
            if (io.github.mellanoxlustre.process.ProgramPath.find(t, System.getenv().getOrDefault("PATH", ""))
                    .isEmpty()) {
                Files.createSymbolicLink(bin.resolve(t), trueCmd);
            }
        }
        return new Standins(dir, kernel, bundle, lustre, zfs, bin);
    }

    /** Runs one build through the command line, as the user would, after printing it. */
    private int build(PrintWriter out, Path root, Standins s, String name, List<String> backend) {
        List<String> args = new ArrayList<>(List.of("build",
                "--bundle", s.bundle().tgz().toString(),
                "--kernel-release", KERNEL,
                "--kernel-source", s.kernel().dir().toString(),
                "--lustre-repo", s.lustre().url(),
                "--lustre-ref", "b2_15"));
        args.addAll(backend);
        args.addAll(List.of(
                "--output", root.resolve("out-" + name).toString(),
                "--work-dir", root.resolve("work-" + name).toString(),
                "--cache-dir", root.resolve("cache").toString(),
                "--replace-output",
                "--no-distro-check",
                "--min-free", "0",
                "--env", "PATH=" + s.bin() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "--quiet"));
        out.println();
        out.println("$ mlnx-lustre " + String.join(" ", args.stream().map(ShellQuote::quote).toList()));
        out.flush();
        return Main.commandLine(out, spec.commandLine().getErr()).execute(args.toArray(String[]::new));
    }
}

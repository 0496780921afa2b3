package io.github.mellanoxlustre.engine.preflight;

import io.github.mellanoxlustre.kernel.KernelResolutionException;
import io.github.mellanoxlustre.kernel.KernelResolver;
import io.github.mellanoxlustre.kernel.MachineArch;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.lustre.ZfsTree;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.DocaKernelSupportTool;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.policy.PolicyBase;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.ssh.SshAuth;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Phase 1: checks everything a build needs before anything runs, and reports every problem at once
 * (with the package that fixes it) instead of failing on the first one an hour into the build.
 *
 * <ol>
 *   <li>The target kernel resolves ({@link KernelResolver}) and its tree exists with a
 *       {@code Makefile} and a {@code Module.symvers} (EL: {@code kernel-devel-<release>}; Debian:
 *       {@code linux-headers-<release>}).</li>
 *   <li>Every {@link RequiredTool} is an executable file in a directory of the {@code PATH}.</li>
 *   <li>Enough free space where the work, cache and output directories are (or will be): the
 *       thresholds of directories on the same file system add up.</li>
 *   <li>The machine's distribution ({@link AgentDistro}) matches the bundle's (unless
 *       {@link PreflightOptions#checkDistro()} is off).</li>
 *   <li>Files the request names exist: a local bundle, the SSH key and known_hosts file, a local
 *       Lustre tree, the ZFS trees, a policy file.</li>
 * </ol>
 */
public final class Preflight {
    private final PreflightOptions options;
    private final KernelResolver kernels;

    /** The machine's own settings. */
    public Preflight() {
        this(PreflightOptions.defaults(), new KernelResolver());
    }

    public Preflight(PreflightOptions options, KernelResolver kernels) {
        this.options = Objects.requireNonNull(options, "options");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
    }

    public PreflightOptions options() {
        return options;
    }

    /** The tools this preflight requires for {@code request}. */
    public List<RequiredTool> tools(BuildRequest request) {
        return options.tools().orElseGet(
                () -> RequiredTool.defaults(request.ofedRebuild(), request.lustre(), options.useSudo()));
    }

    public PreflightReport check(BuildRequest request) {
        Objects.requireNonNull(request, "request");
        List<PreflightReport.Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        Optional<ResolvedKernel> kernel = checkKernel(request, problems);
        kernel.ifPresent(k -> checkKmpRelease(k, problems));
        kernel.ifPresent(k -> noteKmpTree(request, k, notes));
        checkTools(request, problems);
        Optional<PreflightReport.FreeSpace> workSpace = checkSpace(request, problems);
        Optional<AgentDistro> distro = checkDistro(request, problems, notes);
        checkInputs(request, problems);
        kernel.ifPresent(k -> checkZfsTree(request, k, problems));
        return new PreflightReport(problems, kernel, distro, notes, workSpace);
    }

    /** An EL/Fedora kernel ({@code ...el8_lustre.x86_64}, {@code ...fc40...}): Debian has no headers package for it. */
    private static final Pattern EL_RELEASE = Pattern.compile(".*\\.(el|fc|amzn)[0-9].*");
    /** A Debian/Ubuntu kernel ({@code 6.1.0-57-amd64}, {@code 5.15.0-91-generic}): EL has no kernel-devel for it. */
    private static final Pattern DEBIAN_RELEASE = Pattern.compile(".*-(amd64|arm64|generic|cloud-amd64|rt-amd64)");

    private Optional<ResolvedKernel> checkKernel(BuildRequest request, List<PreflightReport.Problem> problems) {
        ResolvedKernel kernel;
        try {
            kernel = kernels.resolve(request.kernel());
        } catch (KernelResolutionException e) {
            problems.add(PreflightReport.Problem.of(e.getMessage()));
            return Optional.empty();
        }
        String release = kernel.release();
        Optional<String> el = Optional.of("kernel-devel-" + release).filter(p -> !DEBIAN_RELEASE.matcher(release).matches());
        Optional<String> deb = Optional.of("linux-headers-" + release).filter(p -> !EL_RELEASE.matcher(release).matches());
        Path tree = kernel.sourceDir();
        if (!Files.isDirectory(tree)) {
            problems.add(new PreflightReport.Problem("kernel tree " + tree + " for " + release + " (" + kernel.origin()
                    + ") does not exist; install the kernel's development package or give the kernel build tree "
                    + "(kernelSource)", el, deb));
        } else {
            List<String> missing = new ArrayList<>();
            for (String file : List.of("Makefile", "Module.symvers")) {
                if (!Files.isRegularFile(tree.resolve(file))) {
                    missing.add(file);
                }
            }
            if (!missing.isEmpty()) {
                problems.add(new PreflightReport.Problem("kernel tree " + tree + " for " + release + " has no "
                        + String.join(" and no ", missing) + " (a kernel-devel package has both; a plain source "
                        + "tree must be configured and built first)", el, deb));
            }
            checkTreeRelease(release, tree, problems);
        }
        return Optional.of(kernel);
    }

    /**
     * A tree built for another release than the one asked for (or a partial release such as
     * {@code 4.18}) would cost the whole OFED rebuild and Lustre build before phase 8 found the
     * mismatch: the tree's {@code UTS_RELEASE} is what modules built against it carry.
     */
    private static void checkTreeRelease(String release, Path tree, List<PreflightReport.Problem> problems) {
        KernelResolver.statedRelease(tree).filter(stated -> !stated.equals(release)).ifPresent(stated ->
                problems.add(PreflightReport.Problem.of("kernel release " + release + " does not match the kernel tree "
                        + tree + ", which builds for " + stated + " (UTS_RELEASE in include/generated/utsrelease.h); "
                        + "give the kernel release " + stated + ", or the tree of " + release)));
    }

    /**
     * EL's kmod packaging ({@code %kernel_module_package} / kmodtool), which the KMP rebuild of
     * mlnx-ofa_kernel and lustre.spec's kmod packages use, writes the kernel release into RPM versions
     * ({@code Provides: kernel-modules >= <release>}); rpm refuses a version with a second '-', so a
     * Debian-style release such as {@code 6.1.0-57-amd64} cannot be packaged. EL releases have one.
     */
    static void checkKmpRelease(ResolvedKernel kernel, List<PreflightReport.Problem> problems) {
        String release = kernel.release();
        if (release.indexOf('-') != release.lastIndexOf('-')) {
            problems.add(PreflightReport.Problem.of("kernel release " + release + " has more than one '-': EL's kmod "
                    + "packaging (%kernel_module_package, used by the KMP rebuild of mlnx-ofa_kernel and by "
                    + "lustre.spec) writes it into 'Provides: kernel-modules >= " + release + "', which rpm refuses "
                    + "(\"Invalid version (double separator '-')\"); build for an EL-style release such as "
                    + "4.18.0-477.10.1.el8_lustre.x86_64"));
        }
    }

    /**
     * With {@code KMP 1} the real mlnx-ofa_kernel.spec builds against kmodtool's kernel tree,
     * {@code /usr/src/kernels/<release>}, not against {@code K_SRC}; a note when the requested tree is
     * another directory (Lustre is configured against the requested one).
     */
    private void noteKmpTree(BuildRequest request, ResolvedKernel kernel, List<String> notes) {
        if (request.ofedRebuild() != RebuildMethod.SRPM_REBUILD || request.usesInstalledOfedAsIs()) {
            return;
        }
        if (!request.settings().ofedKmp()) {
            noteNonKmpForKmods(request, notes);
            return;
        }
        Path kmp = kernels.kernelsRoot().resolve(kernel.release());
        if (!sameDirectory(kmp, kernel.sourceDir())) {
            notes.add("warning: the KMP rebuild of mlnx-ofa_kernel builds against " + kmp + " (kmodtool's kernel "
                    + "tree for " + kernel.release() + "), not against " + kernel.sourceDir()
                    + (Files.isDirectory(kmp) ? "" : ", and " + kmp + " does not exist")
                    + "; OFED and Lustre must be built against the same tree");
        }
    }

    /**
     * Lustre 2.16 and later make their kmod packages require {@code kmod-mlnx-ofa_kernel} when built
     * against an external OFED (lustre-release's {@code rpm/kmp-lustre.preamble}: {@code Requires:
     * kmod-mlnx-ofa_kernel}); a non-KMP rebuild makes {@code mlnx-ofa_kernel-modules} instead, and phase 8
     * refuses the packages only after the whole build (found by the real-toolchain run).
     */
    private static void noteNonKmpForKmods(BuildRequest request, List<String> notes) {
        if (request.lustreOptions().packaging().contains(LustreOptions.Packaging.KMOD)) {
            notes.add("warning: OFED is rebuilt non-KMP (ofedPackaging), as mlnx-ofa_kernel-modules; Lustre 2.16 and "
                    + "later make their kmod packages require kmod-mlnx-ofa_kernel when built against it "
                    + "(rpm/kmp-lustre.preamble), which only a KMP rebuild makes: phase 8 would refuse them after "
                    + "the whole build. Use kmp for such a Lustre, or dkms packaging");
        }
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isDirectory(a) && Files.isDirectory(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private void checkTools(BuildRequest request, List<PreflightReport.Problem> problems) {
        List<Path> dirs = new ArrayList<>();
        for (String dir : options.path().split(":")) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        boolean pathShown = false;
        if (request.ofedRebuild() == RebuildMethod.DOCA_KERNEL_SUPPORT) {
            if (DocaKernelSupportTool.locate(options.path()).isEmpty()) {
                problems.add(new PreflightReport.Problem(DocaKernelSupportTool.missing(options.path()),
                        Optional.of(DocaKernelSupportTool.PACKAGE), Optional.of(DocaKernelSupportTool.PACKAGE)));
                pathShown = true;
            }
            if (dirs.stream().noneMatch(d -> Files.isExecutable(d.resolve("createrepo_c"))
                    || Files.isExecutable(d.resolve("createrepo")))) {
                problems.add(new PreflightReport.Problem("neither createrepo_c nor createrepo is on the PATH (needed "
                        + "by doca-kernel-support, which stops with \"could not determine kernel version\" without it)",
                        Optional.of("createrepo_c"), Optional.of("createrepo-c")));
            }
        }
        for (RequiredTool tool : tools(request)) {
            boolean found = dirs.stream().map(d -> d.resolve(tool.command()))
                    .anyMatch(p -> Files.isRegularFile(p) && Files.isExecutable(p));
            if (!found) {
                // The PATH searched goes with the first missing tool only: it is the same for all.
                problems.add(new PreflightReport.Problem(tool.command() + " is not on the PATH (needed for "
                        + tool.purpose() + (pathShown ? "" : "; PATH=" + options.path()) + ")",
                        Optional.of(tool.elPackage()), Optional.of(tool.debianPackage())));
                pathShown = true;
            }
        }
    }

    /** Checks the thresholds; returns the free space measured for the work directory. */
    private Optional<PreflightReport.FreeSpace> checkSpace(BuildRequest request, List<PreflightReport.Problem> problems) {
        record Need(String what, Path dir, long bytes) {
        }
        List<Need> needs = List.of(
                new Need("the work directory", request.workDir(), options.minFreeWorkBytes()),
                new Need("the cache directory", request.cacheDir(), options.minFreeCacheBytes()),
                new Need("the output directory", request.outputDir(), options.minFreeOutputBytes()));
        Map<FileStore, List<Need>> byStore = new LinkedHashMap<>();
        for (Need need : needs) {
            if (need.bytes() == 0) {
                continue;
            }
            Path existing = nearestExisting(need.dir());
            try {
                byStore.computeIfAbsent(Files.getFileStore(existing), k -> new ArrayList<>()).add(need);
            } catch (IOException e) {
                problems.add(PreflightReport.Problem.of("cannot tell the free space for " + need.what() + " "
                        + need.dir() + " (" + e.getMessage() + ")"));
            }
        }
        Optional<PreflightReport.FreeSpace> workSpace = measure(request.workDir());
        for (Map.Entry<FileStore, List<Need>> e : byStore.entrySet()) {
            long usable;
            try {
                usable = e.getKey().getUsableSpace();
            } catch (IOException ex) {
                problems.add(PreflightReport.Problem.of("cannot tell the free space of " + e.getKey() + " ("
                        + ex.getMessage() + ")"));
                continue;
            }
            long total = e.getValue().stream().mapToLong(Need::bytes).sum();
            if (usable < total) {
                List<String> parts = new ArrayList<>();
                for (Need n : e.getValue()) {
                    parts.add(n.what() + " " + n.dir() + " needs " + gib(n.bytes()));
                }
                problems.add(PreflightReport.Problem.of("only " + gib(usable) + " free on " + describe(e.getKey())
                        + ", but " + String.join(", ", parts)
                        + (e.getValue().size() > 1 ? " (" + gib(total) + " together, same file system)" : "")
                        + "; free some space or choose other directories"));
            }
        }
        return workSpace;
    }

    /** The usable space of {@code dir}'s file system, or empty when the JVM cannot tell. */
    private static Optional<PreflightReport.FreeSpace> measure(Path dir) {
        try {
            FileStore store = Files.getFileStore(nearestExisting(dir));
            return Optional.of(new PreflightReport.FreeSpace(dir.toAbsolutePath().normalize(), describe(store),
                    store.getUsableSpace()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<AgentDistro> checkDistro(BuildRequest request, List<PreflightReport.Problem> problems,
                                              List<String> notes) {
        if (!(request.ofed() instanceof OfedSource.Bundle bundle)) {
            notes.add("no distribution check: the " + request.ofed().describe() + " is rebuilt for (or installed on) "
                    + "this machine, not made for one distribution");
            try {
                return Optional.of(AgentDistro.detect(options.etcDir()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        String bundleDistro = bundle.bundle().bundleName().distro();
        AgentDistro distro;
        try {
            distro = AgentDistro.detect(options.etcDir());
        } catch (IOException e) {
            if (options.checkDistro()) {
                problems.add(PreflightReport.Problem.of("cannot tell this machine's distribution from "
                        + options.etcDir().resolve("os-release") + " (" + e.getMessage() + ") to compare it with the "
                        + "bundle's " + bundleDistro + "; turn the distro check off (checkDistro) to build anyway"));
            } else {
                notes.add("distribution check skipped (turned off); bundle is for " + bundleDistro);
            }
            return Optional.empty();
        }
        if (!options.checkDistro()) {
            if (!distro.matches(bundleDistro)) {
                notes.add("distribution check skipped (turned off): this machine runs " + distro.name()
                        + " but the bundle is for " + bundleDistro);
            }
            return Optional.of(distro);
        }
        if (!distro.matches(bundleDistro)) {
            problems.add(PreflightReport.Problem.of("this machine runs " + distro.name() + " (" + distro.prettyName()
                    + ") but the MLNX_OFED bundle is for " + bundleDistro + "; use the bundle for " + distro.name()
                    + " or build on a " + bundleDistro + " machine; turning the distro check off (checkDistro) "
                    + "allows a deliberate cross-build"));
        } else if (distro.majorOnly()) {
            notes.add("this machine reports only " + distro.name() + "; the bundle is for " + bundleDistro
                    + " (major versions match)");
        }
        return Optional.of(distro);
    }

    private void checkInputs(BuildRequest request, List<PreflightReport.Problem> problems) {
        checkOfedInput(request.ofed(), problems);
        request.bundleSsh().ifPresent(ssh -> checkSsh("bundleCredentials", ssh, problems));
        if (request.lustre() instanceof LustreSource.Git git) {
            git.ssh().ifPresent(ssh -> checkSsh("lustreCredentials", ssh, problems));
        } else if (request.lustre() instanceof LustreSource.Local local) {
            if (!Files.isDirectory(local.dir())) {
                problems.add(PreflightReport.Problem.of("lustreSource: " + local.dir() + " is not a directory"));
            } else if (!Files.isRegularFile(local.dir().resolve("autogen.sh"))) {
                problems.add(PreflightReport.Problem.of("lustreSource: " + local.dir()
                        + " has no autogen.sh; expected a lustre-release source tree"));
            }
        }
        LustreOptions lustre = request.lustreOptions();
        lustre.zfsSource().filter(p -> !Files.isDirectory(p)).ifPresent(p -> problems.add(new PreflightReport.Problem(
                "zfsSource: " + p + " is not a directory; install the ZFS development package",
                Optional.of("kmod-zfs-devel"), Optional.of("zfs-dkms"))));
        lustre.zfsObj().filter(p -> !Files.isDirectory(p)).ifPresent(p -> problems.add(PreflightReport.Problem.of(
                "zfsObj: " + p + " is not a directory")));
        String policy = request.policy();
        if (PolicyBase.parse(policy).isEmpty() && !Files.isRegularFile(Path.of(policy))) {
            problems.add(PreflightReport.Problem.of("policy: '" + policy + "' is neither distribute, internal nor an "
                    + "existing policy file"));
        }
    }

    /** A ZFS tree that Lustre's configure would reject would otherwise be found only in phase 6. */
    private static void checkZfsTree(BuildRequest request, ResolvedKernel kernel, List<PreflightReport.Problem> problems) {
        LustreOptions lustre = request.lustreOptions();
        if (!lustre.backends().contains(LustreOptions.Backend.ZFS)) {
            return;
        }
        Optional<Path> source = lustre.zfsSource().filter(Files::isDirectory);
        if (source.isEmpty() || lustre.zfsObj().filter(p -> !Files.isDirectory(p)).isPresent()) {
            return;
        }
        String arch = request.ofed() instanceof OfedSource.Bundle b ? b.bundle().bundleName().arch()
                : MachineArch.of(kernel);
        for (String p : ZfsTree.problems(source.get(), lustre.zfsObj(), kernel.release(), arch)) {
            problems.add(new PreflightReport.Problem("zfsSource: " + p, Optional.of("kmod-zfs-devel"),
                    Optional.of("zfs-dkms")));
        }
    }

    /** The local file or directory an OFED source names must be there. */
    private static void checkOfedInput(OfedSource ofed, List<PreflightReport.Problem> problems) {
        if (ofed.location().orElse(null) instanceof BundleLocation.Local local && !Files.isRegularFile(local.path())) {
            problems.add(PreflightReport.Problem.of(ofed.field() + ": " + local.path()
                    + " does not exist or is not a file"));
        }
        if (ofed instanceof OfedSource.DocaRepo doca && doca.dir().isPresent() && !Files.isDirectory(doca.dir().get())) {
            problems.add(PreflightReport.Problem.of(ofed.field() + ": " + doca.dir().get() + " is not a directory; "
                    + "expected " + OfedSource.DOCA_FORMS));
        }
        if (ofed instanceof OfedSource.Installed installed && installed.dir().isPresent()
                && !Files.isDirectory(installed.dir().get())) {
            problems.add(PreflightReport.Problem.of(ofed.field() + ": " + installed.dir().get() + " is not a "
                    + "directory; expected the OFED kernel tree or a root directory to look under"));
        }
    }

    private static void checkSsh(String field, SshAuth ssh, List<PreflightReport.Problem> problems) {
        if (!Files.isRegularFile(ssh.privateKey())) {
            problems.add(PreflightReport.Problem.of(field + ": the SSH private key " + ssh.privateKey()
                    + " does not exist"));
        }
        if (!Files.isRegularFile(ssh.knownHosts())) {
            problems.add(PreflightReport.Problem.of(field + ": the known_hosts file " + ssh.knownHosts()
                    + " does not exist; host keys are always verified"));
        }
    }

    private static Path nearestExisting(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("/") : p;
    }

    private static String describe(FileStore store) {
        String s = store.toString();
        return s.isBlank() ? store.name() : s;
    }

    public static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}

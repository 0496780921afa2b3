package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.files.Sha256;
import io.github.mellanoxlustre.kernel.MachineArch;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.ofed.OfedBundleName;
import io.github.mellanoxlustre.ofed.OfedCache;
import io.github.mellanoxlustre.ofed.OfedKernelPackages;
import io.github.mellanoxlustre.ofed.OfedRpm;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ofed.SafeArchiveExtractor;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.process.ToolResult;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.request.SudoMode;
import io.github.mellanoxlustre.rpm.RpmFormatException;
import io.github.mellanoxlustre.rpm.RpmReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Phase 3: OFED's kernel modules for the target kernel, from the cache or rebuilt.
 *
 * <ul>
 *   <li>{@code add-kernel-support}: MLNX_OFED's own script,
 *       {@code mlnx_add_kernel_support.sh -m <bundle> -k <kernel> -s <src> --make-tgz --skip-repo --yes
 *       --tmpdir <dir> --distro <distro> --kmp}, through {@code sudo -n} when not root. Exit code 30
 *       means the bundle already supports the kernel: its own {@code RPMS/} are used. Otherwise the
 *       {@code <tmpdir>/MLNX_OFED_LINUX-...-ext.tgz} it makes is extracted safely and its RPMs used.</li>
 *   <li>{@code srpm-rebuild}: as lustre-release's {@code contrib/lbuild/lbuild} ({@code build_kernel_ib},
 *       MOFED case): {@code rpmbuild --rebuild --define '_topdir <dir>' --target <arch> --define
 *       'KVERSION <kernel>' --define 'KMP 1' --define 'K_SRC <src>' --with building_kmods
 *       mlnx-ofa_kernel-*.src.rpm}. {@code --with building_kmods} is what the 25.x (DOCA-OFED) spec builds
 *       its kmod and -devel packages with (without it: only the utilities, -source and -dkms); the
 *       24.10 spec has no such condition and ignores it. The
 *       SRPM is {@code <bundle>/SRPMS/mlnx-ofa_kernel-*.src.rpm}, or inside the bundle's
 *       {@code src/MLNX_OFED_SRC-<version>.tgz} (where NVIDIA's bundles keep it).</li>
 * </ul>
 * The OFED kernel packages (see {@link OfedKernelPackages}) are then stored in the cache.
 */
public final class OfedRebuildPhase {
    static final Phase PHASE = Phase.OFED_REBUILD;
    static final int ALREADY_SUPPORTED = 30;
    /** The name of OFED's kernel source package. */
    static final String SOURCE_PACKAGE = "mlnx-ofa_kernel";

    private final RpmReader reader;
    private final SafeArchiveExtractor extractor;

    public OfedRebuildPhase(RpmReader reader, SafeArchiveExtractor extractor) {
        this.reader = reader;
        this.extractor = extractor;
    }

    /**
     * The phase's outcome.
     *
     * @param rpms     OFED's kernel packages for the target kernel
     * @param key      the cache key's inputs
     * @param keyHash  the cache key
     * @param cacheHit whether they came from the cache
     * @param note     how they were obtained, for the manifest
     */
    public record Result(List<OfedRpm> rpms, OfedCache.Key key, String keyHash, boolean cacheHit, String note) {
        public Result {
            rpms = List.copyOf(rpms);
        }
    }

    static List<String> addKernelSupportArgv(String script, String bundleDir, String kernel, String kernelSrc,
                                             String tmpDir, String distro) {
        return addKernelSupportArgv(script, bundleDir, kernel, kernelSrc, tmpDir, distro, true);
    }

    static List<String> addKernelSupportArgv(String script, String bundleDir, String kernel, String kernelSrc,
                                             String tmpDir, String distro, boolean kmp) {
        List<String> argv = new ArrayList<>(List.of(script, "-m", bundleDir, "-k", kernel, "-s", kernelSrc,
                "--make-tgz", "--skip-repo", "--yes", "--tmpdir", tmpDir, "--distro", distro));
        if (kmp) {
            argv.add("--kmp");
        }
        return List.copyOf(argv);
    }

    static List<String> srpmRebuildArgv(String srpm, String topdir, String kernel, String kernelSrc, String arch) {
        return srpmRebuildArgv(srpm, topdir, kernel, kernelSrc, arch, true);
    }

    /**
     * lbuild's command; without {@code kmp} the spec's default, non-KMP {@code mlnx-ofa_kernel-modules}
     * for exactly this kernel ({@code KMP} is then left undefined, which the spec takes as 0).
     */
    static List<String> srpmRebuildArgv(String srpm, String topdir, String kernel, String kernelSrc, String arch,
                                        boolean kmp) {
        List<String> argv = new ArrayList<>(List.of("rpmbuild", "--rebuild", "--define", "_topdir " + topdir,
                "--target", arch, "--define", "KVERSION " + kernel));
        if (kmp) {
            argv.addAll(List.of("--define", "KMP 1"));
        }
        argv.addAll(List.of("--define", "K_SRC " + kernelSrc, "--with", "building_kmods", srpm));
        return List.copyOf(argv);
    }

    static List<String> sudoPrefix() {
        return List.of("sudo", "-n");
    }

    /** Whether the add-kernel-support script runs through {@code sudo -n}. */
    static boolean useSudo(SudoMode mode) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> !RunningUser.isRoot();
        };
    }

    public static PlannedPhase plan(BuildRequest r, String kernel, String kernelSrc, WorkLayout w) {
        if (r.usesInstalledOfedAsIs()) {
            return new PlannedPhase(PHASE, "nothing to rebuild", List.of("the installed OFED's modules are "
                    + "used as they are: nothing is rebuilt, cached or published from OFED"), List.of());
        }
        List<String> notes = new ArrayList<>();
        notes.add("cache key = sha256(SHA-256 of " + (r.ofedRebuild() == RebuildMethod.DOCA_KERNEL_SUPPORT ? "the doca-kernel-support tool" : "the OFED file") + ", kernel release " + kernel + ", SHA-256 of " + kernelSrc
                + "/Module.symvers, method " + r.ofedRebuild().id() + (r.settings().ofedKmp() ? "" : ", non-KMP") + "); on a hit in " + r.cacheDir()
                + "/ofed/<key>/ this phase runs nothing");
        List<PlannedCommand> cmds = new ArrayList<>();
        if (r.ofedRebuild() == RebuildMethod.DOCA_KERNEL_SUPPORT) {
            List<String> argv = new ArrayList<>();
            if (useSudo(r.settings().sudo())) {
                argv.addAll(sudoPrefix());
            }
            argv.addAll(DocaKernelSupportStep.argv("<doca-kernel-support>", kernel));
            cmds.add(new PlannedCommand(w.ofedBuild().toString(), argv));
            notes.add("take the doca-kernel-repo-*.rpm path it prints, else the newest doca-kernel-repo-*.rpm in a "
                    + "$TMPDIR/DOCA* directory (/tmp/DOCA* through sudo) made during the run; its temporary directory "
                    + "is left in place");
            notes.add("unpack it (rpm2cpio | cpio) into " + w.ofedExt() + " and take the kernel packages of its "
                    + "payload; none of mlnx-ofa_kernel stops the build");
        } else if (r.ofedRebuild() == RebuildMethod.ADD_KERNEL_SUPPORT) {
            List<String> argv = new ArrayList<>();
            if (useSudo(r.settings().sudo())) {
                argv.addAll(sudoPrefix());
            }
            OfedBundleName n = r.ofed().location().orElseThrow().bundleName();
            argv.addAll(addKernelSupportArgv("<bundle>/mlnx_add_kernel_support.sh", "<bundle>", kernel, kernelSrc,
                    w.ofedBuild().toString(), n.distro(), r.settings().ofedKmp()));
            cmds.add(new PlannedCommand(w.ofedBuild().toString(), argv));
            notes.add("exit code 30 (kernel already supported): use <bundle>/RPMS");
            notes.add("otherwise extract " + w.ofedBuild() + "/" + n.extBaseName() + ".tgz safely into " + w.ofedExt());
        } else {
            String arch;
            if (r.ofed() instanceof OfedSource.Bundle b) {
                OfedBundleName n = b.bundle().bundleName();
                notes.add("SRPM: <bundle>/SRPMS/mlnx-ofa_kernel-*.src.rpm, or from <bundle>/src/MLNX_OFED_SRC-"
                        + n.version() + ".tgz extracted safely into " + w.ofedSrc());
                arch = n.arch();
            } else {
                notes.add("SRPM: the one phase 2 got (" + r.ofed().describe() + ")");
                arch = MachineArch.machine();
            }
            cmds.add(new PlannedCommand(w.ofedBuild().toString(), srpmRebuildArgv("<srpm>",
                    w.ofedBuild().resolve("rpmbuild").toString(), kernel, kernelSrc, arch, r.settings().ofedKmp())));
        }
        notes.add("keep OFED's kernel packages (kmod-mlnx-ofa_kernel, mlnx-ofa_kernel-devel, ...) and store them "
                + "in the cache atomically");
        return new PlannedPhase(PHASE, r.ofedRebuild().id(), notes, cmds);
    }

    public Result run(PhaseContext ctx, BuildRequest req, ResolvedKernel kernel, OfedInput input, WorkLayout w)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        if (!input.rebuilds()) {
            ctx.log("nothing to rebuild: the installed OFED's modules are used as they are ("
                    + input.installed().orElseThrow().dir() + ")");
            return new Result(List.of(), null, null, false, "installed OFED, not rebuilt");
        }
        OfedCache cache = new OfedCache(req.cacheDir());
        cache.removeStaleTemporaries();
        OfedCache.Key key = new OfedCache.Key(input.sha256().orElseThrow(), kernel.release(),
                Sha256.of(kernel.moduleSymvers()), req.ofedRebuild(), req.ofed().field(), req.settings().ofedKmp());
        String hash = key.hash();
        Optional<OfedCache.Entry> hit = cache.lookup(key);
        if (hit.isPresent()) {
            ctx.log("OFED cache hit: key " + hash + " (" + hit.get().dir() + "); skipping the rebuild");
            List<OfedRpm> rpms = read(hit.get().rpms());
            return new Result(rpms, key, hash, true, "cache hit " + hash);
        }
        ctx.log("OFED cache miss: key " + hash + "; rebuilding with " + req.ofedRebuild().id());
        FileTrees.delete(w.ofedBuild());
        Files.createDirectories(w.ofedBuild());
        Rebuilt rebuilt = rebuild(ctx, req, kernel, input, w);
        List<OfedRpm> selected = kernelPackages(rebuilt.files(), kernel);
        ctx.checkAborted();
        try {
            OfedCache.Entry entry = cache.store(key, selected.stream().map(OfedRpm::file).toList());
            ctx.log("stored " + entry.rpms().size() + " OFED kernel packages in the cache: key " + hash + " ("
                    + entry.dir() + ")");
            return new Result(read(entry.rpms()), key, hash, false, rebuilt.note());
        } catch (IOException e) {
            ctx.log("warning: could not store the OFED packages in the cache " + cache.root() + ": " + e.getMessage()
                    + "; the next build rebuilds them");
            return new Result(selected, key, hash, false, rebuilt.note());
        }
    }

    /** What a rebuild made, and how it was made (for the manifest). */
    private record Rebuilt(List<Path> files, String note) {
    }

    private Rebuilt rebuild(PhaseContext ctx, BuildRequest req, ResolvedKernel kernel, OfedInput input, WorkLayout w)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        if (req.ofedRebuild() == RebuildMethod.DOCA_KERNEL_SUPPORT) {
            return new Rebuilt(new DocaKernelSupportStep(reader).rebuild(ctx, req, kernel, input, w),
                    "rebuilt with doca-kernel-support");
        }
        if (req.ofedRebuild() == RebuildMethod.ADD_KERNEL_SUPPORT) {
            AddKernelSupport out = addKernelSupport(ctx, req, kernel, input.bundle().orElseThrow(), w);
            return new Rebuilt(out.files(), out.note());
        }
        return new Rebuilt(srpmRebuild(ctx, kernel, input, w, req.settings().ofedKmp()), "rebuilt with rpmbuild --rebuild");
    }

    /** The rebuild's kernel packages for {@code kernel}: at least one, and the devel package Lustre needs. */
    private List<OfedRpm> kernelPackages(List<Path> files, ResolvedKernel kernel) throws PhaseFailedException {
        List<OfedRpm> selected;
        try {
            selected = OfedKernelPackages.select(files, kernel.release(), reader);
        } catch (RpmFormatException e) {
            throw new PhaseFailedException("an RPM the OFED rebuild produced cannot be read: " + e.getMessage());
        }
        if (selected.isEmpty()) {
            throw new PhaseFailedException("the OFED rebuild produced no kernel packages for " + kernel.release(),
                    files.stream().map(p -> "found: " + p).toList());
        }
        if (OfedKernelPackages.devel(selected).isEmpty()) {
            throw new PhaseFailedException("the OFED rebuild produced no " + OfedKernelPackages.DEVEL_PACKAGE
                    + " package, which Lustre is built against", selected.stream().map(r -> "found: " + r.file()).toList());
        }
        return selected;
    }

    private List<OfedRpm> read(List<Path> files) throws PhaseFailedException {
        List<OfedRpm> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.add(new OfedRpm(f, reader.read(f)));
            } catch (RpmFormatException e) {
                throw new PhaseFailedException("cannot read the OFED package " + f + ": " + e.getReason());
            }
        }
        return out;
    }

    private record AddKernelSupport(List<Path> files, String note) {
    }

    private AddKernelSupport addKernelSupport(PhaseContext ctx, BuildRequest req, ResolvedKernel kernel,
                                              OfedBundleDir bundle, WorkLayout w)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        Path script = bundle.dir().resolve("mlnx_add_kernel_support.sh");
        if (!Files.isRegularFile(script)) {
            throw new PhaseFailedException("the bundle has no mlnx_add_kernel_support.sh at " + script
                    + "; use --ofed-rebuild srpm-rebuild or check the bundle");
        }
        Path tmp = w.ofedBuild();
        ToolCommand cmd = new ToolCommand(addKernelSupportArgv(script.toString(), bundle.dir().toString(),
                kernel.release(), kernel.sourceDir().toString(), tmp.toString(), bundle.name().distro(),
                req.settings().ofedKmp()),
                tmp, Map.of(), java.util.Set.of(0, ALREADY_SUPPORTED), List.of());
        ToolResult result = runAsRoot(ctx, cmd, useSudo(req.settings().sudo()), "mlnx_add_kernel_support.sh",
                "use --ofed-rebuild srpm-rebuild (rootless)", line -> { });
        if (result.exitCode() == ALREADY_SUPPORTED) {
            Path rpms = bundle.dir().resolve("RPMS");
            ctx.log("mlnx_add_kernel_support.sh exit code 30: kernel " + kernel.release()
                    + " is already supported by the bundle; using its own packages from " + rpms);
            return new AddKernelSupport(OfedKernelPackages.rpmFiles(rpms), "kernel already supported by the bundle");
        }
        Path ext = findExtBundle(tmp, bundle.name());
        ctx.log("extracting " + ext + " into " + w.ofedExt());
        FileTrees.delete(w.ofedExt());
        Files.createDirectories(w.ofedExt());
        extractor.extract(ext, w.ofedExt());
        List<Path> files = OfedKernelPackages.rpmFiles(w.ofedExt());
        return new AddKernelSupport(files, "rebuilt with mlnx_add_kernel_support.sh (" + ext.getFileName() + ")");
    }

    /**
     * Runs a rebuild tool that needs root, through {@code sudo -n} when {@code sudo}; a missing sudo
     * or one that refuses is a phase failure saying what to do ({@code alternative}: the rootless way).
     */
    static ToolResult runAsRoot(PhaseContext ctx, ToolCommand command, boolean sudo, String name, String alternative,
                                java.util.function.Consumer<String> observer)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        ToolCommand cmd = command;
        AtomicReference<String> refusal = new AtomicReference<>();
        if (sudo) {
            ctx.log("not running as root: running " + name + " through sudo -n (it needs root)");
            cmd = cmd.prefixedWith(sudoPrefix()).withEnv("LC_ALL", "C");
        }
        try {
            return ctx.tools().run(cmd, line -> {
                if (refusal.get() == null && isSudoRefusal(line)) {
                    refusal.set(line);
                }
                observer.accept(line);
            });
        } catch (ToolFailedException e) {
            if (sudo && e.exitCode() == -1) {
                throw new PhaseFailedException("sudo is not installed, and " + name + " needs root: run the build "
                        + "as root or " + alternative, List.of(), e);
            }
            if (sudo && refusal.get() != null) {
                throw new PhaseFailedException("sudo -n refused to run " + name + " as root (" + refusal.get()
                        + "). It needs root: run the build as root, allow this user password-less sudo for it, or "
                        + alternative, e.tail(), e);
            }
            throw e;
        }
    }

    static boolean isSudoRefusal(String line) {
        return line.startsWith("sudo: ") || line.contains("is not in the sudoers file")
                || line.startsWith("Sorry, user ");
    }

    private static Path findExtBundle(Path tmp, OfedBundleName name) throws IOException, PhaseFailedException {
        Path expected = tmp.resolve(name.extBaseName() + ".tgz");
        if (Files.isRegularFile(expected)) {
            return expected;
        }
        List<Path> found;
        try (Stream<Path> s = Files.walk(tmp, 2)) {
            found = s.filter(p -> p.getFileName().toString().endsWith("-ext.tgz") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        List<String> details = new ArrayList<>();
        try (Stream<Path> s = Files.list(tmp)) {
            s.sorted().forEach(p -> details.add("in " + tmp + ": " + p.getFileName()));
        }
        throw new PhaseFailedException("mlnx_add_kernel_support.sh succeeded but " + (found.isEmpty()
                ? "made no " + expected.getFileName() : "made several -ext bundles: " + found), details);
    }

    private List<Path> srpmRebuild(PhaseContext ctx, ResolvedKernel kernel, OfedInput input, WorkLayout w,
                                   boolean kmp)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        Path srpm = input.srpm().isPresent() ? input.srpm().get() : findSrpm(ctx, input.bundle().orElseThrow(), w);
        Path topdir = w.ofedBuild().resolve("rpmbuild");
        createTopdir(topdir);
        ctx.tools().run(ToolCommand.of(w.ofedBuild(), srpmRebuildArgv(srpm.toString(), topdir.toString(),
                kernel.release(), kernel.sourceDir().toString(), input.release().arch(), kmp)));
        return OfedKernelPackages.rpmFiles(topdir.resolve("RPMS"));
    }

    /**
     * The rpmbuild tree, with its subdirectories made beforehand as lbuild does: the real
     * {@code mlnx-ofa_kernel.spec} writes {@code %{_builddir}/kmp.files} and {@code preamble} with
     * {@code %(cat > ...)} while rpmbuild parses it, before rpmbuild itself makes {@code BUILD/}.
     */
    static void createTopdir(Path topdir) throws IOException {
        for (String d : TOPDIR_SUBDIRS) {
            Files.createDirectories(topdir.resolve(d));
        }
    }

    static final List<String> TOPDIR_SUBDIRS = List.of("BUILD", "RPMS", "SOURCES", "SPECS", "SRPMS");

    private Path findSrpm(PhaseContext ctx, OfedBundleDir bundle, WorkLayout w)
            throws IOException, PhaseFailedException {
        List<Path> direct = srpms(bundle.dir().resolve("SRPMS"), 1);
        if (direct.size() == 1) {
            return direct.get(0);
        }
        if (direct.size() > 1) {
            throw new PhaseFailedException("the bundle has several mlnx-ofa_kernel source RPMs",
                    direct.stream().map(Path::toString).toList());
        }
        List<Path> sources = new ArrayList<>();
        Path src = bundle.dir().resolve("src");
        if (Files.isDirectory(src)) {
            try (Stream<Path> s = Files.list(src)) {
                s.filter(p -> p.getFileName().toString().matches("MLNX_OFED_SRC-.*\\.(tgz|tar\\.gz)"))
                        .sorted().forEach(sources::add);
            }
        }
        if (sources.size() != 1) {
            throw new PhaseFailedException("the bundle has no " + bundle.dir().resolve("SRPMS")
                    + "/mlnx-ofa_kernel-*.src.rpm" + (sources.isEmpty() ? " and no src/MLNX_OFED_SRC-*.tgz"
                    : " and several src/MLNX_OFED_SRC-*.tgz"), sources.stream().map(Path::toString).toList());
        }
        ctx.log("extracting " + sources.get(0) + " into " + w.ofedSrc());
        FileTrees.delete(w.ofedSrc());
        Files.createDirectories(w.ofedSrc());
        extractor.extract(sources.get(0), w.ofedSrc());
        List<Path> found = srpms(w.ofedSrc(), 4);
        if (found.size() != 1) {
            throw new PhaseFailedException(sources.get(0).getFileName() + " has " + (found.isEmpty() ? "no"
                    : found.size()) + " SRPMS/mlnx-ofa_kernel-*.src.rpm", found.stream().map(Path::toString).toList());
        }
        return found.get(0);
    }

    static List<Path> srpms(Path dir, int depth) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("mlnx-ofa_kernel-") && n.endsWith(".src.rpm") && Files.isRegularFile(p)
                        && p.getParent().getFileName().toString().equals("SRPMS");
            }).sorted().toList();
        }
    }
}

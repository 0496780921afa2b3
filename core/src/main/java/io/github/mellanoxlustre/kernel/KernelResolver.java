package io.github.mellanoxlustre.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fills in the target kernel's release and build tree where the request leaves them open.
 *
 * <ul>
 *   <li>Release and tree given: used as they are.</li>
 *   <li>Release given, no tree: {@code /lib/modules/<release>/build}; when that does not exist but
 *       {@code /usr/src/kernels/<release>} does (only the kernel-devel package of a kernel that is not
 *       installed), that one.</li>
 *   <li>Tree given, no release: the tree's {@code UTS_RELEASE} ({@code include/generated/utsrelease.h}),
 *       else its {@code include/config/kernel.release}.</li>
 *   <li>Neither: when the running kernel ({@code /proc/sys/kernel/osrelease}) is a Lustre-patched
 *       {@code *_lustre*} kernel, that one. Otherwise the single {@code *_lustre*} kernel-devel tree
 *       under {@code /usr/src/kernels} (a build machine running a stock kernel with the Lustre
 *       server kernel's devel package installed); several are an error listing them; none means the
 *       running kernel, with {@code /lib/modules/<release>/build}.</li>
 * </ul>
 *
 * <p>Whether the chosen tree really has {@code Makefile} and {@code Module.symvers} is checked by the
 * preflight, which reports it together with everything else.
 */
public final class KernelResolver {
    private final Path osReleaseFile;
    private final Path modulesRoot;
    private final Path kernelsRoot;

    /** The machine's own: {@code /proc/sys/kernel/osrelease}, {@code /lib/modules}, {@code /usr/src/kernels}. */
    public KernelResolver() {
        this(Path.of("/proc/sys/kernel/osrelease"), Path.of("/lib/modules"), Path.of("/usr/src/kernels"));
    }

    /**
     * @param osReleaseFile the running kernel's release ({@code /proc/sys/kernel/osrelease})
     * @param modulesRoot   {@code /lib/modules}
     * @param kernelsRoot   {@code /usr/src/kernels}, where EL kernel-devel packages install their trees
     */
    public KernelResolver(Path osReleaseFile, Path modulesRoot, Path kernelsRoot) {
        this.osReleaseFile = Objects.requireNonNull(osReleaseFile, "osReleaseFile");
        this.modulesRoot = Objects.requireNonNull(modulesRoot, "modulesRoot");
        this.kernelsRoot = Objects.requireNonNull(kernelsRoot, "kernelsRoot");
    }

    /** Where EL kernel-devel packages install their trees ({@code /usr/src/kernels}). */
    public Path kernelsRoot() {
        return kernelsRoot;
    }

    /**
     * @throws KernelResolutionException when the release cannot be determined, with what to set
     */
    public ResolvedKernel resolve(KernelTarget target) throws KernelResolutionException {
        Objects.requireNonNull(target, "target");
        Optional<String> release = target.release();
        Optional<Path> tree = target.sourceDir();
        if (release.isPresent() && tree.isPresent()) {
            return new ResolvedKernel(release.get(), tree.get(), "as requested");
        }
        if (release.isPresent()) {
            return new ResolvedKernel(release.get(), defaultTree(release.get()), "requested release, its build tree");
        }
        if (tree.isPresent()) {
            return new ResolvedKernel(releaseOfTree(tree.get()), tree.get(), "requested tree, its kernel.release");
        }
        String running = runningRelease();
        if (running.contains("_lustre")) {
            return new ResolvedKernel(running, defaultTree(running), "the running kernel (Lustre-patched)");
        }
        List<String> lustreTrees = lustreDevelTrees();
        if (lustreTrees.size() == 1) {
            String r = lustreTrees.get(0);
            return new ResolvedKernel(r, kernelsRoot.resolve(r), "the only *_lustre* kernel-devel tree in " + kernelsRoot);
        }
        if (lustreTrees.size() > 1) {
            throw new KernelResolutionException("kernelRelease: several Lustre kernel-devel trees are installed in "
                    + kernelsRoot + " (" + String.join(", ", lustreTrees) + ") and the running kernel " + running
                    + " is not one of them; choose one with the kernel release option");
        }
        return new ResolvedKernel(running, defaultTree(running), "the running kernel");
    }

    private Path defaultTree(String release) {
        Path build = modulesRoot.resolve(release).resolve("build");
        Path devel = kernelsRoot.resolve(release);
        if (!Files.isDirectory(build) && Files.isDirectory(devel)) {
            return devel;
        }
        return build;
    }

    private String runningRelease() throws KernelResolutionException {
        String text;
        try {
            text = Files.readString(osReleaseFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new KernelResolutionException("kernelRelease: cannot read the running kernel's release from "
                    + osReleaseFile + " (" + e.getMessage() + "); give the kernel release option");
        }
        try {
            return KernelTarget.checkRelease(text);
        } catch (IllegalArgumentException e) {
            throw new KernelResolutionException("kernelRelease: " + osReleaseFile + " holds '" + text
                    + "', not a kernel release; give the kernel release option");
        }
    }

    private List<String> lustreDevelTrees() throws KernelResolutionException {
        if (!Files.isDirectory(kernelsRoot)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(kernelsRoot)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.contains("_lustre"))
                    .filter(KernelResolver::isRelease)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new KernelResolutionException("kernelRelease: cannot list " + kernelsRoot + " (" + e.getMessage()
                    + "); give the kernel release option");
        }
    }

    private static boolean isRelease(String name) {
        try {
            KernelTarget.checkRelease(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The release a tree builds for: {@code UTS_RELEASE} of {@code include/generated/utsrelease.h} (what
     * Lustre's configure and lustre.spec read, and what modules' vermagic carries), else
     * {@code include/config/kernel.release}. They differ on Debian's linux-headers, whose
     * {@code kernel.release} holds the upstream version ({@code 6.1.192} for {@code 6.1.0-57-amd64}).
     */
    private static String releaseOfTree(Path tree) throws KernelResolutionException {
        Path uts = tree.resolve("include/generated/utsrelease.h");
        if (Files.isRegularFile(uts)) {
            return utsRelease(uts);
        }
        Path file = tree.resolve("include/config/kernel.release");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new KernelResolutionException("kernelRelease: the kernel tree " + tree + " has neither a readable "
                    + "include/generated/utsrelease.h nor include/config/kernel.release; give the kernel release "
                    + "option as well");
        }
        return checked(file, text);
    }

    /**
     * The release a tree says it builds for ({@code UTS_RELEASE} of {@code include/generated/utsrelease.h}),
     * when it has that file and it holds a release; empty otherwise.
     */
    public static Optional<String> statedRelease(Path tree) {
        Path uts = tree.resolve("include/generated/utsrelease.h");
        if (!Files.isRegularFile(uts)) {
            return Optional.empty();
        }
        try {
            return Optional.of(utsRelease(uts));
        } catch (KernelResolutionException e) {
            return Optional.empty();
        }
    }

    private static final Pattern UTS_RELEASE = Pattern.compile("(?m)^\\s*#\\s*define\\s+UTS_RELEASE\\s+\"([^\"]*)\"");

    private static String utsRelease(Path file) throws KernelResolutionException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KernelResolutionException("kernelRelease: cannot read " + file + " (" + e.getMessage()
                    + "); give the kernel release option as well");
        }
        Matcher m = UTS_RELEASE.matcher(text);
        if (!m.find()) {
            throw new KernelResolutionException("kernelRelease: " + file + " has no #define UTS_RELEASE \"...\"; "
                    + "give the kernel release option as well");
        }
        return checked(file, m.group(1));
    }

    private static String checked(Path file, String text) throws KernelResolutionException {
        try {
            return KernelTarget.checkRelease(text);
        } catch (IllegalArgumentException e) {
            throw new KernelResolutionException("kernelRelease: " + file + " holds '" + text
                    + "', not a kernel release; give the kernel release option as well");
        }
    }
}

package io.github.mellanoxlustre.ofed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the kernel development tree of an OFED that is installed (on this machine, or unpacked
 * under a root directory), the way lustre-release's configure ({@code LN_CONFIG_O2IB} in
 * {@code config/lustre-lnet.m4}) and the packages themselves lay it out:
 *
 * <ol>
 *   <li>a directory that is itself a tree ({@code include/rdma/rdma_cm.h}) is taken as it is
 *       (configure's {@code --with-o2ib=<path>});</li>
 *   <li>the directories the OFED packages list ({@code mlnx-ofed-kernel-dkms},
 *       {@code mlnx-ofa_kernel-devel}, ...: configure asks {@code rpm -ql} / {@code dpkg --listfiles}
 *       when {@code ofed_info} is on the PATH), given by the caller;</li>
 *   <li>{@code usr/src/ofa_kernel/<arch>/<kernel>} (MLNX_OFED 5.5 and later, and DOCA-OFED);</li>
 *   <li>{@code usr/src/ofa_kernel-dkms/<arch>/<kernel>} (DOCA 3.2 and later build the modules with
 *       DKMS; the first is then a symbolic link to this one, LU-20031, LU-19820);</li>
 *   <li>{@code usr/src/ofa_kernel/default} (older OFED; a symbolic link on newer ones).</li>
 * </ol>
 * Symbolic links are followed inside the root: an absolute target is read relative to the root,
 * never outside it. When two different trees for the kernel are visible (two OFED installs, LU-18002),
 * nothing is guessed: {@link Found#problem()} names both and asks for a choice.
 */
public final class InstalledOfedTree {
    private static final int MAX_LINKS = 8;

    private InstalledOfedTree() {
    }

    /**
     * The outcome.
     *
     * @param tree       the chosen tree (as reached from the root, links resolved inside it)
     * @param how        why this one, in words
     * @param candidates every distinct tree seen, with where it was seen
     * @param problem    why none was chosen; empty when one was
     */
    public record Found(Optional<Path> tree, String how, Map<Path, String> candidates, String problem) {
    }

    /** Whether {@code dir} is an OFED kernel tree: it has {@code include/rdma/rdma_cm.h}. */
    public static boolean isTree(Path dir) {
        return Files.isRegularFile(dir.resolve("include/rdma/rdma_cm.h"));
    }

    /**
     * Searches.
     *
     * @param root        {@code /} for this machine, or the root an OFED was unpacked under
     * @param listed      directories the OFED packages list (absolute, as on the machine), in order
     * @param arch        the machine architecture, e.g. {@code x86_64}
     * @param kernel      the target kernel release
     */
    public static Found locate(Path root, List<String> listed, String arch, String kernel) throws IOException {
        Map<Path, String> candidates = new LinkedHashMap<>();
        for (String l : listed) {
            Optional<Path> d = resolve(root, l);
            if (d.isPresent()) {
                Path base = d.get();
                Path perKernel = base.resolve(arch).resolve(kernel);
                for (Path t : trees(root, Files.isDirectory(perKernel) ? perKernel : base)) {
                    candidates.putIfAbsent(t, "listed by the OFED packages (" + l + ")");
                }
            }
        }
        for (String known : List.of("usr/src/ofa_kernel/" + arch + "/" + kernel,
                "usr/src/ofa_kernel-dkms/" + arch + "/" + kernel, "usr/src/ofa_kernel/default")) {
            resolve(root, "/" + known).filter(InstalledOfedTree::isTree)
                    .ifPresent(t -> candidates.putIfAbsent(real(t), "/" + known));
        }
        if (candidates.isEmpty()) {
            return new Found(Optional.empty(), "", candidates, "no OFED kernel tree (a directory with "
                    + "include/rdma/rdma_cm.h) for kernel " + kernel + " under " + root + "usr/src/ofa_kernel/" + arch
                    + "/" + kernel + ", " + root + "usr/src/ofa_kernel-dkms/" + arch + "/" + kernel + " or "
                    + root + "usr/src/ofa_kernel/default; install the OFED's devel package (mlnx-ofa_kernel-devel, "
                    + "or mlnx-ofed-kernel-dkms for DOCA-OFED) for this kernel");
        }
        if (candidates.size() > 1) {
            List<String> seen = candidates.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
            return new Found(Optional.empty(), "", candidates, "several OFED kernel trees are visible: "
                    + String.join(", ", seen) + "; name the one to build against (the tree itself)");
        }
        Map.Entry<Path, String> only = candidates.entrySet().iterator().next();
        return new Found(Optional.of(only.getKey()), only.getValue(), candidates, "");
    }

    /** The trees at or below {@code dir} (the parents of {@code include/rdma/rdma_cm.h}, as configure finds them). */
    private static List<Path> trees(Path root, Path dir) throws IOException {
        if (isTree(dir)) {
            return List.of(real(dir));
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, 6)) {
            s.filter(p -> p.endsWith(Path.of("include/rdma/rdma_cm.h")) && Files.isRegularFile(p))
                    .map(p -> real(p.getParent().getParent().getParent()))
                    .filter(p -> p.startsWith(real(root)))
                    .sorted(Comparator.comparing(Path::toString)).distinct().forEach(out::add);
        }
        return out;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /**
     * {@code absolute} (a path as on the machine) under {@code root}, following symbolic links one
     * component at a time with absolute targets re-rooted, so nothing outside the root is reached.
     */
    static Optional<Path> resolve(Path root, String absolute) throws IOException {
        Path current = root;
        List<String> parts = new ArrayList<>(List.of(absolute.split("/+")));
        parts.removeIf(String::isEmpty);
        int links = 0;
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (".".equals(part)) {
                continue;
            }
            if ("..".equals(part)) {
                current = current.equals(root) ? root : current.getParent();
                continue;
            }
            Path next = current.resolve(part);
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    return Optional.empty();
                }
                String target = Files.readSymbolicLink(next).toString();
                List<String> rest = new ArrayList<>(List.of(target.split("/+")));
                rest.removeIf(String::isEmpty);
                rest.addAll(parts.subList(i + 1, parts.size()));
                parts = rest;
                i = -1;
                if (!target.startsWith("/")) {
                    continue;
                }
                current = root;
                continue;
            }
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            current = next;
        }
        return Optional.of(current);
    }
}

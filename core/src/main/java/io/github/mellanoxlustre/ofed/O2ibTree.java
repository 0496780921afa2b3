package io.github.mellanoxlustre.ofed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the OFED kernel development tree in an unpacked {@code mlnx-ofa_kernel-devel} package: the
 * directory that holds {@code ofed_scripts} and {@code include/rdma} (and should hold
 * {@code Module.symvers}), which is what Lustre's {@code --with-o2ib} wants (as lustre-release's {@code contrib/lbuild/lbuild}
 * {@code build_ofed} does with {@code find ... -name ofed_scripts}). MLNX_OFED 5.5 and later put it
 * under {@code usr/src/ofa_kernel/<arch>/<kernel>}; older ones under {@code usr/src/ofa_kernel/default}
 * (on an installed system {@code default} may be a symbolic link made in {@code %post}, which an
 * unpacked package does not have).
 *
 * <p>A tree without {@code Module.symvers} is still chosen (with {@link Search#warning()} set): it is
 * Lustre's configure that decides what happens then (2.16 and later warn that ko2iblnd for the
 * external OFED will not be built, which fails the configure phase; 2.15 silently uses the
 * kernel's symbols, which the kernel-symbol verification catches).
 */
public final class O2ibTree {
    private O2ibTree() {
    }

    /**
     * The result of a search.
     *
     * @param tree       the chosen directory
     * @param expected   where the bundle's version says it should be
     * @param candidates every directory below {@code usr/src/ofa_kernel} that has {@code ofed_scripts}
     * @param problem    why none was chosen, empty when one was
     * @param warning    what the chosen tree lacks ({@code Module.symvers}), empty when complete
     */
    public record Search(Optional<Path> tree, Path expected, List<Path> candidates, String problem, String warning) {
        static Search found(Path tree, Path expected, List<Path> candidates) {
            boolean symvers = Files.isRegularFile(tree.resolve("Module.symvers"));
            return new Search(Optional.of(tree), expected, candidates, "",
                    symvers ? "" : tree + " has no Module.symvers");
        }
    }

    /** Where the bundle version says the tree is, relative to the unpack root. */
    public static Path expected(Path root, OfedBundleName bundle, String kernelRelease) {
        return expected(root, OfedRelease.of(bundle), kernelRelease);
    }

    /** Where the OFED version says the tree is, relative to the unpack root. */
    public static Path expected(Path root, OfedRelease ofed, String kernelRelease) {
        Path base = root.resolve("usr/src/ofa_kernel");
        return ofed.hasPerKernelDevelTree() ? base.resolve(ofed.arch()).resolve(kernelRelease) : base.resolve("default");
    }

    /** Searches the unpacked package below {@code root}. */
    public static Search locate(Path root, OfedBundleName bundle, String kernelRelease) throws IOException {
        return locate(root, OfedRelease.of(bundle), kernelRelease);
    }

    /** Searches the unpacked package below {@code root}. */
    public static Search locate(Path root, OfedRelease bundle, String kernelRelease) throws IOException {
        Path expected = expected(root, bundle, kernelRelease);
        Path base = root.resolve("usr/src/ofa_kernel");
        List<Path> candidates;
        if (Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(base, 6)) {
                candidates = s.filter(p -> p.getFileName().toString().equals("ofed_scripts")
                                && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .map(Path::getParent).sorted(Comparator.comparing(Path::toString)).toList();
            }
        } else {
            candidates = List.of();
        }
        if (candidates.contains(expected)) {
            String missing = missing(expected);
            return missing.isEmpty() ? Search.found(expected, expected, candidates)
                    : new Search(Optional.empty(), expected, candidates, expected + " lacks " + missing, "");
        }
        List<Path> complete = candidates.stream().filter(c -> missing(c).isEmpty()).toList();
        List<Path> forKernel = complete.stream().filter(c -> c.getFileName().toString().equals(kernelRelease)).toList();
        if (forKernel.size() == 1) {
            return Search.found(forKernel.get(0), expected, candidates);
        }
        if (complete.size() == 1 && !bundle.hasPerKernelDevelTree()) {
            return Search.found(complete.get(0), expected, candidates);
        }
        String problem = candidates.isEmpty()
                ? "no directory with ofed_scripts below " + base
                : "none of the directories with ofed_scripts is " + expected + " or the one tree for kernel "
                        + kernelRelease + " with include/rdma";
        return new Search(Optional.empty(), expected, candidates, problem, "");
    }

    /** What a tree lacks of {@code include/rdma}, empty when it has it. */
    static String missing(Path dir) {
        return Files.isDirectory(dir.resolve("include/rdma")) ? "" : "include/rdma";
    }
}

package io.github.mellanoxlustre.lustre;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a ZFS development tree is one Lustre's configure accepts, judged as
 * lustre-release {@code config/lustre-build-zfs.m4} ({@code LB_ZFS}) judges it, so that a tree it
 * would reject ("Disabling zfs support") is refused before the long phases instead of after them:
 *
 * <ul>
 *   <li>the source tree has {@code zfs.release.in} or {@code zfs.release};</li>
 *   <li>the object tree (given, or found as configure finds it: {@code <src>/<kernel release>},
 *       {@code <src>}, then the last {@code <src>/[0-9]*}; for a DKMS source
 *       {@code <dkms>/source}, {@code <dkms>/<kernel release>/<arch>}) has a {@code zfs_config.h}
 *       defining {@code ZFS_META_VERSION};</li>
 *   <li>the object tree has a readable {@code Module.symvers}, or {@code module/Module.symvers}.</li>
 * </ul>
 */
public final class ZfsTree {
    private ZfsTree() {
    }

    /**
     * The problems of a tree, empty when configure would accept it.
     *
     * @param source        {@code --with-zfs}
     * @param object        {@code --with-zfs-obj}, when given
     * @param kernelRelease the kernel the objects must be built for
     * @param arch          the target architecture ({@code target_cpu}), for the DKMS layout
     */
    public static List<String> problems(Path source, Optional<Path> object, String kernelRelease, String arch) {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(source.resolve("zfs.release.in")) && !Files.isRegularFile(source.resolve("zfs.release"))) {
            problems.add(source + " has neither zfs.release.in nor zfs.release, which mark a ZFS source tree "
                    + "(Lustre's configure would disable the zfs backend)");
        }
        List<Path> looked = object.map(List::of).orElseGet(() -> candidates(source, kernelRelease, arch));
        Optional<Path> obj = looked.stream().filter(d -> Files.isRegularFile(d.resolve("zfs_config.h"))).findFirst();
        if (obj.isEmpty()) {
            problems.add("no zfs_config.h in " + String.join(", ", looked.stream().map(Path::toString).toList())
                    + ": not a built ZFS object tree for " + kernelRelease + " (the ZFS development package for this "
                    + "kernel has one; give it as the ZFS object directory)");
            return problems;
        }
        Path dir = obj.get();
        if (!defines(dir.resolve("zfs_config.h"), "ZFS_META_VERSION")) {
            problems.add(dir.resolve("zfs_config.h") + " does not define ZFS_META_VERSION (Lustre's configure "
                    + "would disable the zfs backend)");
        }
        if (!Files.isReadable(dir.resolve("Module.symvers")) && !Files.isReadable(dir.resolve("module/Module.symvers"))) {
            problems.add("no Module.symvers in " + dir + " or " + dir.resolve("module") + ": the ZFS modules were not "
                    + "built there (Lustre's configure would disable the zfs backend)");
        }
        return problems;
    }

    /** The object directories configure tries when none is given, in its order. */
    static List<Path> candidates(Path source, String kernelRelease, String arch) {
        List<Path> c = new ArrayList<>();
        if (source.getFileName() != null && source.getFileName().toString().equals("source")
                && source.getParent() != null) {
            c.add(source.getParent().resolve(kernelRelease).resolve(arch));
            return c;
        }
        c.add(source.resolve(kernelRelease));
        c.add(source);
        lastNumbered(source).filter(p -> !c.contains(p)).ifPresent(c::add);
        return c;
    }

    private static Optional<Path> lastNumbered(Path source) {
        try (Stream<Path> s = Files.list(source)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> Character.isDigit(p.getFileName().toString().charAt(0)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean defines(Path header, String macro) {
        try {
            return Files.readString(header, StandardCharsets.ISO_8859_1).contains(macro);
        } catch (IOException e) {
            return false;
        }
    }
}

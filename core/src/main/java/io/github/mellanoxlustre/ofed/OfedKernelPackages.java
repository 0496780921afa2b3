package io.github.mellanoxlustre.ofed;

import io.github.mellanoxlustre.rpm.RpmFormatException;
import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Picks OFED's kernel packages out of a set of RPMs (a rebuilt {@code -ext} bundle holds user-space
 * packages too): every binary package built from the {@code mlnx-ofa_kernel} source package
 * ({@code kmod-mlnx-ofa_kernel}, {@code mlnx-ofa_kernel-modules}, {@code mlnx-ofa_kernel-devel},
 * {@code mlnx-ofa_kernel}, {@code mlnx-ofa_kernel-source}) and every package with kernel modules
 * for the target kernel under {@code /lib/modules/<kernel>/} ({@code knem}, {@code kernel-mft}, ...).
 */
public final class OfedKernelPackages {
    /** The source package OFED's InfiniBand stack is built from. */
    public static final String SOURCE_PACKAGE = "mlnx-ofa_kernel";
    /** The package holding the kernel development tree Lustre builds against. */
    public static final String DEVEL_PACKAGE = "mlnx-ofa_kernel-devel";

    private OfedKernelPackages() {
    }

    /** Every {@code *.rpm} below a directory, in path order. */
    public static List<Path> rpmFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".rpm") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    /** Reads the files and keeps the OFED kernel packages for {@code kernelRelease}; SRPMs are skipped. */
    public static List<OfedRpm> select(List<Path> files, String kernelRelease, RpmReader reader)
            throws RpmFormatException {
        List<OfedRpm> out = new ArrayList<>();
        for (Path f : files) {
            RpmPackage pkg = reader.read(f);
            if (!pkg.source() && isKernelPackage(pkg, kernelRelease)) {
                out.add(new OfedRpm(f, pkg));
            }
        }
        return out;
    }

    /** Whether a binary package is one of OFED's kernel packages for this kernel. */
    public static boolean isKernelPackage(RpmPackage pkg, String kernelRelease) {
        if (pkg.sourceRpm().startsWith(SOURCE_PACKAGE + "-") || pkg.name().startsWith(SOURCE_PACKAGE)
                || pkg.name().equals("kmod-" + SOURCE_PACKAGE)) {
            return true;
        }
        String modules = "/lib/modules/" + kernelRelease + "/";
        return pkg.files().stream().anyMatch(f -> f.startsWith(modules) || f.startsWith("/usr" + modules));
    }

    /** The {@code mlnx-ofa_kernel-devel} package among them. */
    public static Optional<OfedRpm> devel(List<OfedRpm> rpms) {
        return rpms.stream().filter(r -> r.pkg().name().equals(DEVEL_PACKAGE)).findFirst();
    }

    /**
     * The packages that carry the InfiniBand stack's kernel modules (and so provide its symbols):
     * {@code kmod-mlnx-ofa_kernel} (KMP builds) or {@code mlnx-ofa_kernel-modules} (non-KMP).
     */
    public static List<OfedRpm> modulePackages(List<OfedRpm> rpms) {
        return rpms.stream().filter(r -> r.pkg().name().equals("kmod-" + SOURCE_PACKAGE)
                || r.pkg().name().equals(SOURCE_PACKAGE + "-modules")).toList();
    }
}

package io.github.mellanoxlustre.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A stand-in MLNX_OFED bundle made by {@link OfedBundleFixture}.
 *
 * @param tgz the bundle, {@code <dir>/MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz}
 * @param version the bundle version, e.g. {@code 5.8-2.0.3.0}
 * @param distro e.g. {@code rhel8.8}
 * @param arch e.g. {@code x86_64}
 * @param supportedKernels the kernels its {@code .supported_kernels} lists (its prebuilt kernel RPMs
 *     are for the first one, when the bundle has any)
 */
public record OfedBundle(Path tgz, String version, String distro, String arch, List<String> supportedKernels) {

    public OfedBundle {
        supportedKernels = List.copyOf(supportedKernels);
    }

    /** {@code MLNX_OFED_LINUX-<version>-<distro>-<arch>}: the tgz's file name stem and its top directory. */
    public String name() {
        return OfedBundleFixture.bundleName(version, distro, arch);
    }

    /** What {@code mlnx_add_kernel_support.sh} calls its result without {@code -n}: {@link #name()} + {@code -ext}. */
    public String extName() {
        return name() + "-ext";
    }

    /** The mlnx-ofa_kernel package version: the bundle version before {@code -}, e.g. {@code 5.8}. */
    public String mofedVersion() {
        return OfedBundleFixture.mofedVersion(version);
    }

    /** The mlnx-ofa_kernel release, e.g. {@code OFED.5.8.2.0.3.1} for bundle {@code 5.8-2.0.3.0}. */
    public String mofedRelease() {
        return OfedBundleFixture.mofedRelease(version);
    }

    /** The source RPM's file name, {@code mlnx-ofa_kernel-<mofedVersion>-<mofedRelease>.src.rpm}. */
    public String srpmFileName() {
        return "mlnx-ofa_kernel-" + mofedVersion() + "-" + mofedRelease() + ".src.rpm";
    }

    /** {@code src/MLNX_OFED_SRC-<version>.tgz}, relative to the bundle directory. */
    public String sourceTarballPath() {
        return "src/MLNX_OFED_SRC-" + version + ".tgz";
    }

    /**
     * True when {@code mlnx-ofa_kernel-devel} ships {@code /usr/src/ofa_kernel/<arch>/<kernel>/} (MOFED
     * 5.5 and later); false when it ships {@code /usr/src/ofa_kernel/default/} (5.4 and earlier).
     */
    public boolean archKernelDevelLayout() {
        return OfedBundleFixture.archKernelDevelLayout(version);
    }

    /** Unpacks the bundle into {@code dir} (with {@code tar}) and returns {@code dir/<name()>}. */
    public Path extractTo(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        ProcessRun.exec(dir, Map.of(), Duration.ofMinutes(2), "tar", "-xzf", tgz.toString()).requireSuccess();
        return dir.resolve(name());
    }

    /**
     * Unpacks the bundle and its {@code src/MLNX_OFED_SRC-<version>.tgz} into {@code dir} and returns the
     * {@code mlnx-ofa_kernel} source RPM, as lbuild's {@code unpack_ofed} gets it.
     */
    public Path extractSourceRpm(Path dir) throws IOException, InterruptedException {
        Path bundleDir = extractTo(dir);
        ProcessRun.exec(dir, Map.of(), Duration.ofMinutes(2), "tar", "-xzf",
                bundleDir.resolve(sourceTarballPath()).toString()).requireSuccess();
        Path srpm = dir.resolve("MLNX_OFED_SRC-" + version).resolve("SRPMS").resolve(srpmFileName());
        if (!Files.isRegularFile(srpm)) {
            try (Stream<Path> s = Files.list(dir)) {
                throw new IOException("no " + srpm + " after unpacking; " + dir + " holds " + s.toList());
            }
        }
        return srpm;
    }
}

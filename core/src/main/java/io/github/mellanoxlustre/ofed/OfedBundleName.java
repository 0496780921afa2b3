package io.github.mellanoxlustre.ofed;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of an MLNX_OFED bundle file name, {@code MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz},
 * for example {@code MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz}: version {@code 5.8-3.0.7.0},
 * distro {@code rhel8.7}, arch {@code x86_64}.
 *
 * @param version the OFED version, {@code <major>.<minor>-<build>} such as {@code 4.4-2.0.7.0},
 *                {@code 23.10-1.1.9.0} or {@code 24.10-0.7.0.0}
 * @param distro  the distribution the bundle is for, e.g. {@code rhel7.9}, {@code rhel8.6},
 *                {@code sles15sp4}, {@code ol8.8}
 * @param arch    the machine architecture, e.g. {@code x86_64}, {@code aarch64}, {@code ppc64le}
 */
public record OfedBundleName(String version, String distro, String arch) {

    /** The accepted form, as shown in error messages. */
    public static final String FORM = "MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz, "
            + "e.g. MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";

    private static final Pattern NAME = Pattern.compile(
            "MLNX_OFED_LINUX-(\\d+\\.\\d+-[0-9][0-9.]*[0-9])-([a-z]+[0-9][a-z0-9.]*)-(x86_64|aarch64|ppc64le|ppc64|s390x)\\.(tgz|tar\\.gz)");

    public OfedBundleName {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(distro, "distro");
        Objects.requireNonNull(arch, "arch");
    }

    /**
     * Parses a bundle file name (a bare name, not a path).
     *
     * @throws IllegalArgumentException naming the expected form when the name does not parse
     */
    public static OfedBundleName parse(String fileName) {
        Matcher m = NAME.matcher(fileName == null ? "" : fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException("MLNX_OFED bundle name '" + fileName
                    + "' does not have the expected form " + FORM);
        }
        return new OfedBundleName(m.group(1), m.group(2), m.group(3));
    }

    /** {@code MLNX_OFED_LINUX-<version>-<distro>-<arch>}: the bundle's top directory. */
    public String baseName() {
        return "MLNX_OFED_LINUX-" + version + "-" + distro + "-" + arch;
    }

    /** The bundle file name, {@code <baseName>.tgz}. */
    public String fileName() {
        return baseName() + ".tgz";
    }

    /** The name {@code mlnx_add_kernel_support.sh} gives its output by default: {@code <baseName>-ext}. */
    public String extBaseName() {
        return baseName() + "-ext";
    }

    /** Major and minor version as a comparable number pair, e.g. {@code 5.8} gives {@code {5, 8}}. */
    public int[] majorMinor() {
        String mm = version.substring(0, version.indexOf('-'));
        int dot = mm.indexOf('.');
        return new int[] {Integer.parseInt(mm.substring(0, dot)), Integer.parseInt(mm.substring(dot + 1))};
    }

    /**
     * Whether this OFED puts its kernel development tree under
     * {@code /usr/src/ofa_kernel/<arch>/<kernel>} (5.5 and later) rather than
     * {@code /usr/src/ofa_kernel/default}.
     */
    public boolean hasPerKernelDevelTree() {
        int[] mm = majorMinor();
        return mm[0] > 5 || (mm[0] == 5 && mm[1] >= 5);
    }
}

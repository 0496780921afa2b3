package io.github.mellanoxlustre.ofed;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which OFED a build uses: its flavour ({@value #MLNX_OFED}, {@value #DOCA_OFED}), its version and
 * the architecture it is built for, as far as the source tells.
 *
 * <p>MLNX_OFED ended with the 24.10 long-term-support line; DOCA-OFED (the {@code doca-ofed}
 * profile of DOCA-Host) ships the same {@code mlnx-ofa_kernel} from then on (its OFED versions are
 * 24.x with DOCA 2.9 and 25.x and later with DOCA 3), so a bare 24.x source RPM may be either.
 * Versions have two-digit majors (24.10, 25.10; Lustre had to learn that too, LU-17627).
 *
 * @param flavour     {@value #MLNX_OFED}, {@value #DOCA_OFED} or {@value #EITHER}
 * @param version     the OFED version as the source states it: a bundle's {@code 24.10-2.1.8.0}, a
 *                    source RPM's {@code <version>-<release>}, {@code ofed_info -s}'s, or "unknown"
 * @param arch        the machine architecture, e.g. {@code x86_64}
 * @param distro      the distribution a bundle is for
 * @param docaVersion the DOCA version a DOCA repository's path names
 */
public record OfedRelease(String flavour, String version, String arch, Optional<String> distro,
                          Optional<String> docaVersion) {
    public static final String MLNX_OFED = "MLNX_OFED";
    public static final String DOCA_OFED = "DOCA-OFED";
    public static final String EITHER = "MLNX_OFED or DOCA-OFED";
    public static final String UNKNOWN_VERSION = "unknown";

    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

    public OfedRelease {
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(distro, "distro");
        Objects.requireNonNull(docaVersion, "docaVersion");
    }

    /** A bundle's, from its file name. */
    public static OfedRelease of(OfedBundleName bundle) {
        return new OfedRelease(MLNX_OFED, bundle.version(), bundle.arch(), Optional.of(bundle.distro()),
                Optional.empty());
    }

    /**
     * A source RPM's, from its header.
     *
     * @param docaVersion the DOCA version, when the RPM came from a DOCA repository (then it is DOCA-OFED)
     */
    public static OfedRelease ofSourceRpm(String rpmVersion, String rpmRelease, String arch,
                                          Optional<String> docaVersion, boolean fromDocaRepo) {
        String flavour = fromDocaRepo ? DOCA_OFED : flavourOf(rpmVersion);
        return new OfedRelease(flavour, rpmVersion + "-" + rpmRelease, arch, Optional.empty(), docaVersion);
    }

    /**
     * An installed OFED's, from {@code ofed_info -s} ({@code MLNX_OFED_LINUX-24.10-2.1.8.0:} for
     * MLNX_OFED, {@code OFED-internal-25.10-1.7.1:} for DOCA-OFED), when it could be run.
     */
    public static OfedRelease ofInstalled(Optional<String> ofedInfo, String arch) {
        if (ofedInfo.isEmpty()) {
            return new OfedRelease(EITHER, UNKNOWN_VERSION, arch, Optional.empty(), Optional.empty());
        }
        String s = ofedInfo.get().strip();
        if (s.endsWith(":")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("MLNX_OFED_LINUX-")) {
            return new OfedRelease(MLNX_OFED, s.substring("MLNX_OFED_LINUX-".length()), arch, Optional.empty(),
                    Optional.empty());
        }
        if (s.startsWith("OFED-internal-")) {
            return new OfedRelease(DOCA_OFED, s.substring("OFED-internal-".length()), arch, Optional.empty(),
                    Optional.empty());
        }
        return new OfedRelease(flavourOf(s), s, arch, Optional.empty(), Optional.empty());
    }

    /** 25 and later are DOCA-OFED only; 24.x shipped as both; earlier ones as MLNX_OFED. */
    static String flavourOf(String version) {
        Matcher m = MAJOR_MINOR.matcher(version);
        if (!m.find()) {
            return EITHER;
        }
        int major = Integer.parseInt(m.group(1));
        return major >= 25 ? DOCA_OFED : major == 24 ? EITHER : MLNX_OFED;
    }

    /** Major and minor version, e.g. {@code {24, 10}}; empty when the version does not start with them. */
    public Optional<int[]> majorMinor() {
        Matcher m = MAJOR_MINOR.matcher(version);
        return m.find() ? Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))})
                : Optional.empty();
    }

    /**
     * Whether the devel package puts its tree under {@code /usr/src/ofa_kernel/<arch>/<kernel>} (5.5
     * and later) rather than {@code /usr/src/ofa_kernel/default}; an unknown version is taken as new.
     */
    public boolean hasPerKernelDevelTree() {
        return majorMinor().map(mm -> mm[0] > 5 || (mm[0] == 5 && mm[1] >= 5)).orElse(true);
    }

    /** For banners: {@code DOCA-OFED 25.10-OFED.25.10.1.7.1.1 (DOCA 3.2.1), x86_64}. */
    public String describe() {
        String v = UNKNOWN_VERSION.equals(version) ? "(version unknown: ofed_info -s did not say)" : version;
        return flavour + " " + v + docaVersion.map(d -> " (DOCA " + d + ")").orElse("")
                + distro.map(d -> ", " + d).orElse("") + ", " + arch;
    }
}

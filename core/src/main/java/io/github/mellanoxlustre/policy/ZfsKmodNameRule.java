package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;

/**
 * {@code zfs-kmod-name}: OpenZFS/SPL kernel-module packages by name ({@code kmod-zfs*},
 * {@code kmod-spl*}, {@code zfs-kmod*}, {@code spl-kmod*}) are forbidden. A source RPM with such a
 * name (e.g. {@code zfs-kmod-2.1.5-1.src.rpm}) only carries sources: it gets an informational
 * finding instead.
 */
public final class ZfsKmodNameRule implements Rule {
    /** The rule id. */
    public static final String ID = "zfs-kmod-name";

    private static final List<NamePattern> PATTERNS = List.of(
            new NamePattern("kmod-zfs*"), new NamePattern("kmod-spl*"),
            new NamePattern("zfs-kmod*"), new NamePattern("spl-kmod*"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reason() {
        return "ZFS/SPL kernel-module packages (CDDL code built for one kernel) may not be distributed";
    }

    @Override
    public List<Finding> evaluate(RpmPackage pkg) {
        for (NamePattern p : PATTERNS) {
            if (p.matches(pkg.name())) {
                if (pkg.source()) {
                    return List.of(Finding.of(ID, Severity.INFO,
                            "source package named like a ZFS/SPL kmod (" + p + "): sources may be distributed,"
                                    + " the kmod binaries built from them may not", pkg.name()));
                }
                return List.of(Finding.of(ID, Severity.FORBIDDEN,
                        "ZFS/SPL kernel-module package (name matches " + p + ") may not be distributed",
                        pkg.name()));
            }
        }
        return List.of();
    }
}

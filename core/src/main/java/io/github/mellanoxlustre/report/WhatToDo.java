package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.CddlKernelCodeRule;
import io.github.mellanoxlustre.policy.Finding;
import io.github.mellanoxlustre.policy.LeadMismatchRule;
import io.github.mellanoxlustre.policy.LustreOsdZfsRule;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.Severity;
import io.github.mellanoxlustre.policy.Verdict;
import io.github.mellanoxlustre.policy.ZfsKmodNameRule;
import io.github.mellanoxlustre.policy.ZfsModuleFileRule;
import java.util.Optional;

/**
 * What to do with a forbidden package, in one sentence, from the first rule that forbade it: a
 * ZFS/SPL kernel module stays on the site and its users build it themselves (the DKMS package), the
 * Lustre OSD for ZFS likewise (Lustre's DKMS package), a tampered lead means a rebuild, a site rule
 * points at the policy file.
 */
public final class WhatToDo {
    /** For a ZFS or SPL kernel module (zfs-kmod-name, zfs-module-file, cddl-kernel-code). */
    static final String ZFS_KMOD = "Keep it internal. Ship OpenZFS's DKMS package (zfs-dkms: sources, built on"
            + " the installing host) instead, or have users build ZFS on their side.";
    /** For the Lustre OSD for ZFS (lustre-osd-zfs-kmod). */
    static final String LUSTRE_OSD_ZFS = "Keep it internal. Ship Lustre's DKMS package (lustre-dkms, which builds"
            + " the ZFS OSD on the installing host) or the source RPM instead, or an ldiskfs-only build.";
    /** For a lead that disagrees with the signed header (rpm-lead-mismatch). */
    static final String LEAD = "Do not ship this file: its lead was changed after rpmbuild made it. Rebuild the"
            + " package and check the new file.";
    /** For a rule of a policy file. */
    static final String SITE = "Keep it internal: the site's policy file forbids it. Ask the policy's owner for"
            + " an exception with a written reason if it must leave the site.";

    private WhatToDo() {
    }

    /** The advice for a forbidden package; empty for any other result. */
    public static Optional<String> of(PackageResult r) {
        if (r.verdict() != Verdict.FORBIDDEN) {
            return Optional.empty();
        }
        return r.findings(Severity.FORBIDDEN).stream().findFirst().map(WhatToDo::of);
    }

    private static String of(Finding f) {
        return switch (f.rule()) {
            case ZfsKmodNameRule.ID, ZfsModuleFileRule.ID, CddlKernelCodeRule.ID -> ZFS_KMOD;
            case LustreOsdZfsRule.ID -> LUSTRE_OSD_ZFS;
            case LeadMismatchRule.ID -> LEAD;
            default -> SITE;
        };
    }
}

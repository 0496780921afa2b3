package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;
import java.util.Set;

/**
 * {@code zfs-module-file}: any package shipping an OpenZFS/SPL kernel module ({@code zfs},
 * {@code spl}, {@code zavl}, {@code icp}, {@code zlua}, {@code znvpair}, {@code zunicode},
 * {@code zcommon}, {@code zzstd}; {@code .ko} or {@code .ko.xz/.gz/.zst}) below
 * {@code /lib/modules} or {@code /usr/lib/modules} is forbidden, whatever its name. One finding
 * per module file (the first {@value CappedFindings#MAX}, then one that counts the rest).
 */
public final class ZfsModuleFileRule implements Rule {
    /** The rule id. */
    public static final String ID = "zfs-module-file";

    /** The OpenZFS (<= 2.1: all; 2.2+: spl and zfs only) kernel module names. */
    public static final Set<String> MODULES =
            Set.of("zfs", "spl", "zavl", "icp", "zlua", "znvpair", "zunicode", "zcommon", "zzstd");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reason() {
        return "OpenZFS/SPL kernel modules may not be distributed, whatever package carries them";
    }

    @Override
    public List<Finding> evaluate(RpmPackage pkg) {
        CappedFindings out = new CappedFindings();
        for (String f : pkg.files()) {
            KernelModuleFile.installed(f).filter(m -> MODULES.contains(m.module())).ifPresent(m ->
                    out.add(Finding.of(ID, Severity.FORBIDDEN,
                            "ships the OpenZFS/SPL kernel module " + m.module(), m.path())));
        }
        return out.toList();
    }
}

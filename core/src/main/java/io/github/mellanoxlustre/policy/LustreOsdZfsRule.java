package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmDependency;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;

/**
 * {@code lustre-osd-zfs-kmod}: Lustre's ZFS object storage device module is linked against one
 * site's ZFS build, and its generated {@code ksym(...) = crc} requirements pin that exact build.
 * Forbidden: a binary package named {@code kmod-lustre-osd-zfs*}, and any package shipping
 * {@code osd_zfs.ko} (or {@code .ko.xz/.gz/.zst}) anywhere. When either matches, one more
 * finding shows a kernel-symbol requirement as evidence of the pinning (a ZFS symbol when one is
 * recognisable).
 */
public final class LustreOsdZfsRule implements Rule {
    /** The rule id. */
    public static final String ID = "lustre-osd-zfs-kmod";

    private static final NamePattern NAME = new NamePattern("kmod-lustre-osd-zfs*");

    /** Symbol prefixes of OpenZFS' exported DMU/SPA/ZAP/nvpair interfaces that osd-zfs links to. */
    private static final List<String> ZFS_SYMBOL_PREFIXES = List.of("dmu_", "dsl_", "spa_", "zap_", "zfs_",
            "zio_", "sa_", "nvlist_", "nvpair_", "txg_", "dbuf_", "arc_", "zil_", "zpl_", "zvol_", "dnode_",
            "fzap_", "spl_", "zpool_", "vdev_", "metaslab_", "bpobj_", "zrl_", "zfeature_");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reason() {
        return "Lustre's osd-zfs module is built against one site's ZFS and pinned to it by ksym() requires";
    }

    @Override
    public List<Finding> evaluate(RpmPackage pkg) {
        CappedFindings out = new CappedFindings();
        if (NAME.matches(pkg.name()) && !pkg.source()) {
            out.add(Finding.of(ID, Severity.FORBIDDEN,
                    "Lustre ZFS OSD kernel-module package (name matches " + NAME + ")", pkg.name()));
        }
        for (String f : pkg.files()) {
            KernelModuleFile.of(f).filter(m -> m.module().equals("osd_zfs")).ifPresent(m ->
                    out.add(Finding.of(ID, Severity.FORBIDDEN,
                            "ships Lustre's osd_zfs module, linked against one ZFS build", m.path())));
        }
        if (!out.isEmpty()) {
            long ksyms = 0;
            RpmDependency first = null;
            RpmDependency zfs = null;
            for (RpmDependency d : pkg.requires()) {
                if (d.isKernelSymbol()) {
                    ksyms++;
                    first = first == null ? d : first;
                    zfs = zfs == null && isZfsSymbol(d) ? d : zfs;
                }
            }
            if (first != null) {
                // A ZFS symbol is the better evidence of the pinning; else the first kernel symbol.
                out.add(Finding.of(ID, Severity.FORBIDDEN, "requires " + ksyms + " kernel symbol version"
                        + (ksyms == 1 ? "" : "s")
                        + " (ksym/kernel): installable only next to the exact build it was linked against",
                        (zfs != null ? zfs : first).toString()));
            }
        }
        return out.toList();
    }

    private static boolean isZfsSymbol(RpmDependency d) {
        String symbol = d.name().substring(d.name().indexOf('(') + 1);
        return ZFS_SYMBOL_PREFIXES.stream().anyMatch(symbol::startsWith);
    }
}

package io.github.mellanoxlustre.lustre;

import java.util.ArrayList;
import java.util.List;

/**
 * Lustre's {@code configure} command line for a build, from lustre-release's {@code config/*.m4}:
 * {@code --with-linux=<kernel tree>}, {@code --with-o2ib=<OFED devel tree>} (lustre-lnet.m4),
 * {@code --disable-server} for a client-only build (lustre-build.m4), {@code --disable-ldiskfs}
 * (lustre-build-ldiskfs.m4) when a server is built without ldiskfs, {@code --with-zfs=<src>} and
 * {@code --with-zfs-obj=<obj>} for the zfs backend, {@code --without-zfs} when a server is built
 * without it (lustre-build-zfs.m4: otherwise configure would pick up any ZFS it finds).
 */
public final class ConfigureArgs {
    private ConfigureArgs() {
    }

    /** {@code ./configure ...}. */
    public static List<String> argv(String kernelSrc, String o2ib, LustreOptions o, String zfsSrc, String zfsObj) {
        List<String> a = new ArrayList<>();
        a.add("./configure");
        a.add("--with-linux=" + kernelSrc);
        a.add("--with-o2ib=" + o2ib);
        if (!o.server()) {
            a.add("--disable-server");
            return a;
        }
        if (!o.backends().contains(LustreOptions.Backend.LDISKFS)) {
            a.add("--disable-ldiskfs");
        }
        if (o.backends().contains(LustreOptions.Backend.ZFS)) {
            a.add("--with-zfs=" + zfsSrc);
            if (zfsObj != null) {
                a.add("--with-zfs-obj=" + zfsObj);
            }
        } else {
            a.add("--without-zfs");
        }
        return a;
    }

    /** The configure of these options with their own ZFS paths. */
    public static List<String> argv(String kernelSrc, String o2ib, LustreOptions o) {
        return argv(kernelSrc, o2ib, o, o.zfsSource().map(Object::toString).orElse(null),
                o.zfsObj().map(Object::toString).orElse(null));
    }

    /** {@code sh autogen.sh}. */
    public static List<String> autogenArgv() {
        return List.of("sh", "autogen.sh");
    }

    /**
     * The warnings of lustre-release's {@code config/lustre-lnet.m4} that mean ko2iblnd will not be
     * built against the external OFED (configure only warns and carries on against the in-kernel
     * stack, which breaks on the target): {@code Module.symvers for external o2iblnd was not found}
     * and {@code No o2iblnd can be built}.
     */
    public static final List<String> FATAL_WARNINGS = List.of(
            "Module.symvers for external o2iblnd was not found",
            "No o2iblnd can be built");

    /** The fatal warning a configure output line carries, or null. */
    public static String fatalWarning(String line) {
        for (String w : FATAL_WARNINGS) {
            if (line.contains(w)) {
                return w;
            }
        }
        return null;
    }

    /**
     * What configure prints when it drops an OSD backend the request asked for: lustre-release's
     * {@code config/lustre-build-ldiskfs.m4} ({@code LB_VALIDATE_EXT4_SRC_DIR}: a kernel-devel tree without
     * the ext4 sources) and {@code config/lustre-build-zfs.m4} (no usable ZFS/SPL development tree); configure
     * only warns and carries on without that backend.
     */
    public static final String LDISKFS_DISABLED = "Disabling ldiskfs support because complete ext4 source does not exist";
    public static final String LDISKFS_NO = "checking whether to build ldiskfs... no";
    public static final String ZFS_DISABLED = "Disabling optional zfs osd due to missing development headers";
    public static final String ZFS_NO = "checking whether to enable zfs... no";

    /**
     * The configure lines that mean this request will not be built as asked: the o2iblnd warnings
     * ({@link #FATAL_WARNINGS}) always; for a server build, the lines that drop a requested backend.
     */
    public static List<String> fatalLines(LustreOptions o) {
        List<String> lines = new ArrayList<>(FATAL_WARNINGS);
        if (o.server() && o.backends().contains(LustreOptions.Backend.LDISKFS)) {
            lines.add(LDISKFS_DISABLED);
            lines.add(LDISKFS_NO);
        }
        if (o.server() && o.backends().contains(LustreOptions.Backend.ZFS)) {
            lines.add(ZFS_DISABLED);
            lines.add(ZFS_NO);
        }
        return List.copyOf(lines);
    }

    /** The fatal line among {@code fatal} that a configure output line carries, or null. */
    public static String fatalLine(String line, List<String> fatal) {
        for (String w : fatal) {
            if (line.contains(w)) {
                return w;
            }
        }
        return null;
    }

    /** {@code make -j<N> rpms} (kmod) or {@code make -j<N> dkms-rpms} (dkms). */
    public static List<String> makeArgv(int jobs, LustreOptions.Packaging p) {
        return List.of("make", "-j" + jobs, p == LustreOptions.Packaging.KMOD ? "rpms" : "dkms-rpms");
    }
}

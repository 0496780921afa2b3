package io.github.mellanoxlustre.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes a stand-in ZFS development tree, the layout Lustre's {@code config/lustre-build-zfs.m4}
 * accepts:
 *
 * <pre>
 * &lt;root&gt;/usr/src/zfs-&lt;ver&gt;/zfs.release.in, zfs.release      (marks a source tree)
 * &lt;root&gt;/usr/src/zfs-&lt;ver&gt;/include/libzfs.h, lib/libspl/include/   (user-space headers)
 * &lt;root&gt;/usr/src/zfs-&lt;ver&gt;/include/sys/dmu.h
 * &lt;root&gt;/usr/src/zfs-&lt;ver&gt;/&lt;kernel&gt;/zfs_config.h   (ZFS_META_VERSION, ZFS_META_RELEASE)
 * &lt;root&gt;/usr/src/zfs-&lt;ver&gt;/&lt;kernel&gt;/Module.symvers (zfs and spl exports, CRCs from
 *                                                  {@link StandInSymbols#zfsCrc})
 * </pre>
 *
 * <pre>{@code
 * ZfsDevel zfs = ZfsDevelFixture.create(tmp.resolve("zfs"), "2.1.15", kernel.release());
 * // ./configure --with-zfs=<zfs.sourceDir()> --with-zfs-obj=<zfs.objectDir()>
 * }</pre>
 */
public final class ZfsDevelFixture {
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    private ZfsDevelFixture() {
    }

    /**
     * Writes the tree under {@code root}.
     *
     * @param zfsVersion form {@code <major>.<minor>.<patch>}, e.g. {@code 2.1.15}
     * @param kernelRelease the kernel release the objects are for
     * @throws IllegalArgumentException when {@code zfsVersion} is not of that form or the release is blank
     */
    public static ZfsDevel create(Path root, String zfsVersion, String kernelRelease) throws IOException {
        if (zfsVersion == null || !VERSION.matcher(zfsVersion).matches()) {
            throw new IllegalArgumentException("zfs version must look like 2.1.15, got: " + zfsVersion);
        }
        if (kernelRelease == null || kernelRelease.isBlank() || kernelRelease.contains("/")) {
            throw new IllegalArgumentException("kernel release must be a release string, got: " + kernelRelease);
        }
        ZfsDevel zfs = new ZfsDevel(root, zfsVersion, kernelRelease, Map.of());
        Path src = Files.createDirectories(zfs.sourceDir());
        Files.writeString(src.resolve("zfs.release.in"), "@VERSION@-@RELEASE@\n");
        Files.writeString(src.resolve("zfs.release"), zfsVersion + "-1\n");
        Files.createDirectories(src.resolve("include/sys"));
        Files.writeString(src.resolve("include/libzfs.h"), "/* stand-in libzfs.h */\n");
        Files.writeString(src.resolve("include/sys/dmu.h"), "/* stand-in sys/dmu.h */\n");
        Files.createDirectories(src.resolve("lib/libspl/include/os/linux"));
        Files.writeString(src.resolve("lib/libspl/include/libspl.h"), "/* stand-in */\n");
        Path obj = Files.createDirectories(zfs.objectDir());
        Files.writeString(obj.resolve("zfs_config.h"), "/* zfs_config.h (stand-in) */\n"
                + "#define ZFS_META_NAME \"zfs\"\n#define ZFS_META_VERSION \"" + zfsVersion + "\"\n"
                + "#define ZFS_META_RELEASE \"1\"\n#define ZFS_META_LICENSE \"CDDL\"\n");
        Map<String, String> crcs = new LinkedHashMap<>();
        StringBuilder symvers = new StringBuilder();
        add(symvers, crcs, zfsVersion, kernelRelease, StandInSymbols.ZFS, "module/zfs/zfs");
        add(symvers, crcs, zfsVersion, kernelRelease, StandInSymbols.SPL, "module/spl/spl");
        Files.writeString(obj.resolve("Module.symvers"), symvers.toString());
        return new ZfsDevel(root, zfsVersion, kernelRelease, crcs);
    }

    private static void add(StringBuilder symvers, Map<String, String> crcs, String version, String kernel,
            List<String> symbols, String module) {
        for (String s : symbols) {
            String crc = StandInSymbols.zfsCrc(version, kernel, s);
            crcs.put(s, crc);
            symvers.append(crc).append('\t').append(s).append('\t').append(module).append("\tEXPORT_SYMBOL\n");
        }
    }
}

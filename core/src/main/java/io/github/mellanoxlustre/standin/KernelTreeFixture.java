package io.github.mellanoxlustre.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a stand-in kernel build tree, the shape of {@code /usr/src/kernels/<release>} from a RHEL
 * {@code kernel-devel} package (or of a Lustre-patched kernel's build tree):
 *
 * <ul>
 *   <li>{@code Makefile} with {@code VERSION}, {@code PATCHLEVEL}, {@code SUBLEVEL}, {@code EXTRAVERSION};
 *   <li>{@code .config} ({@code CONFIG_MODULES=y}, {@code CONFIG_MODVERSIONS=y}, {@code CONFIG_INFINIBAND=m}, ...);
 *   <li>{@code include/generated/utsrelease.h} ({@code UTS_RELEASE}), {@code include/linux/version.h}
 *       (with {@code RHEL_MAJOR}/{@code RHEL_MINOR} when the release has {@code .el<M>_<m>});
 *   <li>{@code Module.symvers}: {@code 0x<crc>\t<symbol>\tvmlinux\tEXPORT_SYMBOL} for
 *       {@link StandInSymbols#KERNEL_CORE}, {@code fs/jbd2/jbd2} symbols and, unless disabled, the
 *       in-kernel IB stack ({@code drivers/infiniband/core/ib_core}, {@code ib_cm}, {@code rdma_cm},
 *       {@code drivers/net/ethernet/mellanox/mlx5/core/mlx5_core}) with kernel CRCs
 *       ({@link StandInSymbols#kernelCrc});
 *   <li>{@code include/rdma/{rdma_cm.h,ib_cm.h,ib_verbs.h}} (in-kernel IB headers) unless disabled;
 *   <li>{@code fs/ext4/{dir.c,file.c,inode.c,super.c,ext4.h,namei.c}} (what Lustre's ldiskfs needs) if asked.
 * </ul>
 *
 * <pre>{@code
 * KernelTree k = KernelTreeFixture.create(tmp.resolve("kernel"), "4.18.0-477.10.1.el8_lustre.x86_64");
 * }</pre>
 */
public final class KernelTreeFixture {

    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(-[A-Za-z0-9._+~]+)?");
    private static final Pattern RHEL = Pattern.compile("\\.el(\\d+)(?:_(\\d+))?");

    /**
     * What to put in the tree.
     *
     * @param moduleSymvers write {@code Module.symvers} (a tree without it cannot build modules)
     * @param inKernelIb the kernel has its own IB stack: headers in {@code include/rdma} and IB symbols
     *     in {@code Module.symvers} (true for RHEL kernels)
     * @param ext4Sources ship {@code fs/ext4} sources (a full source tree; {@code kernel-devel} has none)
     */
    public record Options(boolean moduleSymvers, boolean inKernelIb, boolean ext4Sources) {
        /** {@code Module.symvers}, in-kernel IB and ext4 sources: a Lustre-patched kernel's build tree. */
        public static Options defaults() {
            return new Options(true, true, true);
        }

        public Options withoutModuleSymvers() {
            return new Options(false, inKernelIb, ext4Sources);
        }

        public Options withoutInKernelIb() {
            return new Options(moduleSymvers, false, ext4Sources);
        }

        public Options withoutExt4Sources() {
            return new Options(moduleSymvers, inKernelIb, false);
        }
    }

    private KernelTreeFixture() {
    }

    /** A tree with {@link Options#defaults()}. */
    public static KernelTree create(Path dir, String release) throws IOException {
        return create(dir, release, Options.defaults());
    }

    /**
     * Writes the tree for {@code release} (form {@code <major>.<minor>.<patch>[-<extra>]}) into
     * {@code dir} (created if missing).
     *
     * @throws IllegalArgumentException when {@code release} is not of that form
     */
    public static KernelTree create(Path dir, String release, Options options) throws IOException {
        Matcher m = RELEASE.matcher(release == null ? "" : release);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "kernel release must look like 4.18.0-477.10.1.el8_lustre.x86_64, got: " + release);
        }
        Files.createDirectories(dir);
        String extra = m.group(4) == null ? "" : m.group(4);
        Files.writeString(dir.resolve("Makefile"), "# Stand-in kernel build tree (mellanox-lustre test fixture)\n"
                + "VERSION = " + m.group(1) + "\nPATCHLEVEL = " + m.group(2) + "\nSUBLEVEL = " + m.group(3)
                + "\nEXTRAVERSION = " + extra + "\nNAME = Stand-in\n\nkernelrelease:\n\t@echo " + release + "\n");
        Files.writeString(dir.resolve(".config"), "# Stand-in kernel configuration\nCONFIG_64BIT=y\n"
                + "CONFIG_MODULES=y\nCONFIG_MODVERSIONS=y\nCONFIG_EXT4_FS=m\n"
                + (options.inKernelIb() ? "CONFIG_INFINIBAND=m\nCONFIG_INFINIBAND_USER_ACCESS=m\n"
                        + "CONFIG_MLX5_CORE=m\nCONFIG_MLX5_INFINIBAND=m\n" : "# CONFIG_INFINIBAND is not set\n"));
        Path generated = Files.createDirectories(dir.resolve("include/generated"));
        Files.writeString(generated.resolve("utsrelease.h"), "#define UTS_RELEASE \"" + release + "\"\n");
        StringBuilder version = new StringBuilder();
        int code = (Integer.parseInt(m.group(1)) << 16) + (Integer.parseInt(m.group(2)) << 8)
                + Math.min(255, Integer.parseInt(m.group(3)));
        version.append("#define LINUX_VERSION_CODE ").append(code).append('\n')
                .append("#define KERNEL_VERSION(a,b,c) (((a) << 16) + ((b) << 8) + (c))\n");
        Matcher rhel = RHEL.matcher(release);
        if (rhel.find()) {
            version.append("#define RHEL_MAJOR ").append(rhel.group(1)).append('\n')
                    .append("#define RHEL_MINOR ").append(rhel.group(2) == null ? "0" : rhel.group(2)).append('\n');
        }
        Path linux = Files.createDirectories(dir.resolve("include/linux"));
        Files.writeString(linux.resolve("version.h"), version.toString());

        Map<String, String> crcs = new LinkedHashMap<>();
        if (options.moduleSymvers()) {
            StringBuilder symvers = new StringBuilder();
            add(symvers, crcs, release, StandInSymbols.KERNEL_CORE, "vmlinux");
            add(symvers, crcs, release, StandInSymbols.KERNEL_JBD2, "fs/jbd2/jbd2");
            if (options.inKernelIb()) {
                add(symvers, crcs, release, StandInSymbols.IB_CORE, "drivers/infiniband/core/ib_core");
                add(symvers, crcs, release, StandInSymbols.IB_CM, "drivers/infiniband/core/ib_cm");
                add(symvers, crcs, release, StandInSymbols.RDMA_CM, "drivers/infiniband/core/rdma_cm");
                add(symvers, crcs, release, StandInSymbols.MLX5_CORE, "drivers/net/ethernet/mellanox/mlx5/core/mlx5_core");
            }
            Files.writeString(dir.resolve("Module.symvers"), symvers.toString());
        }
        if (options.inKernelIb()) {
            Path rdma = Files.createDirectories(dir.resolve("include/rdma"));
            for (String h : List.of("rdma_cm.h", "ib_cm.h", "ib_verbs.h")) {
                Files.writeString(rdma.resolve(h), "/* Stand-in in-kernel header include/rdma/" + h + " */\n");
            }
        }
        if (options.ext4Sources()) {
            Path ext4 = Files.createDirectories(dir.resolve("fs/ext4"));
            for (String f : List.of("dir.c", "file.c", "inode.c", "super.c", "ext4.h", "namei.c", "ext4_jbd2.h")) {
                Files.writeString(ext4.resolve(f), "/* Stand-in fs/ext4/" + f + " */\n");
            }
        }
        return new KernelTree(dir, release, crcs);
    }

    private static void add(StringBuilder symvers, Map<String, String> crcs, String release, List<String> symbols,
            String module) {
        for (String s : symbols) {
            String crc = StandInSymbols.kernelCrc(release, s);
            crcs.put(s, crc);
            symvers.append(crc).append('\t').append(s).append('\t').append(module).append("\tEXPORT_SYMBOL\n");
        }
    }
}

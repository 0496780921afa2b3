package io.github.mellanoxlustre.standin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Symbol names and CRCs shared by the stand-in kernel, MLNX_OFED, ZFS and Lustre fixtures.
 *
 * <p>A symbol's CRC (what {@code Module.symvers} and {@code ksym(sym) = crc} dependencies carry) is
 * derived, never random: {@code "0x"} + the first 8 hex digits of
 * {@code sha256("<origin>:<version>:<kernel release>:<symbol>")}. The origin is {@code kernel}
 * (version = the kernel release), {@code mofed} (version = the MLNX_OFED bundle version, e.g.
 * {@code 5.8-2.0.3.0}), {@code zfs} or {@code lustre}. The bash stand-ins compute the same value
 * ({@code standins/common/standin-symbols.sh}, {@code standin_crc}). So an OFED built for another
 * kernel, or another OFED for the same kernel, exports different CRCs, and an in-kernel IB symbol
 * never has the CRC of the OFED one: the mismatch the engine's verification must detect.
 */
public final class StandInSymbols {

    /** Symbols every stand-in kernel exports from {@code vmlinux}. */
    public static final List<String> KERNEL_CORE = List.of("__kmalloc", "kfree", "printk", "module_layout",
            "register_filesystem", "unregister_filesystem", "kmalloc_caches");

    /** Symbols of the stand-in kernel's {@code fs/jbd2/jbd2} module (used by ldiskfs). */
    public static final List<String> KERNEL_JBD2 = List.of("jbd2__journal_start", "jbd2_journal_stop");

    /** IB core symbols exported by {@code ib_core} (in-kernel and MLNX_OFED) and imported by ko2iblnd. */
    public static final List<String> IB_CORE = List.of("ib_register_client", "ib_unregister_client",
            "__ib_alloc_pd", "ib_dealloc_pd_user", "__ib_create_cq", "ib_destroy_cq_user");

    /** Symbols exported by {@code ib_cm}. */
    public static final List<String> IB_CM = List.of("ib_create_cm_id", "ib_destroy_cm_id");

    /** RDMA CM symbols exported by {@code rdma_cm} and imported by ko2iblnd. */
    public static final List<String> RDMA_CM = List.of("__rdma_create_id", "rdma_destroy_id", "rdma_resolve_addr",
            "rdma_resolve_route", "rdma_connect", "rdma_accept", "rdma_disconnect");

    /** Symbols exported by {@code mlx5_core}. */
    public static final List<String> MLX5_CORE = List.of("mlx5_core_create_mkey", "mlx5_core_destroy_mkey");

    /** The IB/RDMA symbols a stand-in ko2iblnd imports (each needs a {@code ksym}/{@code kernel} dependency). */
    public static final List<String> KO2IBLND_IMPORTS = List.of("ib_register_client", "ib_unregister_client",
            "__ib_alloc_pd", "ib_dealloc_pd_user", "__ib_create_cq", "ib_destroy_cq_user", "__rdma_create_id",
            "rdma_destroy_id", "rdma_resolve_addr", "rdma_resolve_route", "rdma_connect", "rdma_accept",
            "rdma_disconnect");

    /** Symbols exported by the stand-in ZFS module {@code zfs} (module/zfs/zfs in Module.symvers). */
    public static final List<String> ZFS = List.of("dmu_buf_hold", "dmu_tx_create", "dmu_tx_commit", "spa_writeable",
            "zap_lookup", "dsl_pool_config_enter");

    /** Symbols exported by the stand-in SPL module {@code spl}. */
    public static final List<String> SPL = List.of("spl_panic", "kmem_alloc_impl");

    private StandInSymbols() {
    }

    /**
     * The CRC the stand-ins give {@code symbol} exported by {@code origin} at {@code version}, built for
     * {@code kernelRelease}, as {@code 0x} and 8 lower-case hex digits.
     */
    public static String crc(String origin, String version, String kernelRelease, String symbol) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    (origin + ":" + version + ":" + kernelRelease + ":" + symbol).getBytes(StandardCharsets.UTF_8));
            return "0x" + HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    /** The CRC a stand-in kernel {@code kernelRelease} gives its own (vmlinux or in-kernel module) symbol. */
    public static String kernelCrc(String kernelRelease, String symbol) {
        return crc("kernel", kernelRelease, kernelRelease, symbol);
    }

    /** The CRC MLNX_OFED {@code bundleVersion} built for {@code kernelRelease} gives {@code symbol}. */
    public static String mofedCrc(String bundleVersion, String kernelRelease, String symbol) {
        return crc("mofed", bundleVersion, kernelRelease, symbol);
    }

    /** The CRC ZFS {@code zfsVersion} built for {@code kernelRelease} gives {@code symbol}. */
    public static String zfsCrc(String zfsVersion, String kernelRelease, String symbol) {
        return crc("zfs", zfsVersion, kernelRelease, symbol);
    }
}

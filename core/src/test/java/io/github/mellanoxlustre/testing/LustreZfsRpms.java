package io.github.mellanoxlustre.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real RPMs shaped like the output of a Lustre-on-ZFS server build (names, licenses, file layout
 * and kernel-symbol requirements as lustre-release's {@code lustre.spec.in} and OpenZFS'
 * {@code rpm/*}{@code /zfs*.spec.in} produce them, with tiny payloads), for policy, report and CLI
 * tests. Each method builds one package into {@code dir} with rpmbuild and returns its path.
 */
public final class LustreZfsRpms {
    /** The kernel release the module paths use. */
    public static final String KVER = "4.18.0-477.10.1.el8_lustre.x86_64";
    private static final String EXTRA = "/lib/modules/" + KVER + "/extra/";

    private LustreZfsRpms() {
    }

    /** {@code kmod-zfs-2.1.5-1.el8.x86_64.rpm}, CDDL, zfs.ko/spl.ko (xz): forbidden. */
    public static Path kmodZfs(Path dir) throws IOException, InterruptedException {
        return TestRpm.named("kmod-zfs").version("2.1.5").release("1.el8").license("CDDL")
                .file(EXTRA + "zfs/zfs.ko.xz", "elf").file(EXTRA + "spl/spl.ko.xz", "elf")
                .requires("zfs = 2.1.5").compressor(TestRpm.Compressor.XZ).build(dir);
    }

    /** {@code zfs-dkms-2.1.5-1.el8.noarch.rpm}, CDDL, sources under /usr/src: distributable (info). */
    public static Path zfsDkms(Path dir) throws IOException, InterruptedException {
        return TestRpm.named("zfs-dkms").version("2.1.5").release("1.el8").arch("noarch").license("CDDL")
                .file("/usr/src/zfs-2.1.5/dkms.conf", "PACKAGE_NAME=\"zfs\"\n")
                .file("/usr/src/zfs-2.1.5/module/zfs/zfs_ioctl.c", "int zfs;\n")
                .provides("zfs-kmod = 2.1.5").build(dir);
    }

    /** {@code zfs-2.1.5-1.el8.x86_64.rpm}, CDDL user space: distributable. */
    public static Path zfs(Path dir) throws IOException, InterruptedException {
        return TestRpm.named("zfs").version("2.1.5").release("1.el8").license("CDDL")
                .file("/usr/sbin/zpool", "elf").file("/usr/sbin/zfs", "elf").build(dir);
    }

    /** {@code kmod-lustre-osd-zfs-2.15.4-1.el8.x86_64.rpm} with osd_zfs.ko and ksym pins: forbidden. */
    public static Path kmodLustreOsdZfs(Path dir) throws IOException, InterruptedException {
        return TestRpm.named("kmod-lustre-osd-zfs").version("2.15.4").release("1.el8").license("GPL-2.0-only")
                .file(EXTRA + "lustre-osd-zfs/fs/osd_zfs.ko", "elf")
                .requires("ksym(dmu_buf_hold) = 0x1a2b3c4d").requires("ksym(class_register_type) = 0x0badf00d")
                .requires("lustre-osd-zfs-mount = 2.15.4").build(dir);
    }

    /** {@code kmod-lustre-osd-ldiskfs-2.15.4-1.el8.x86_64.rpm}: distributable. */
    public static Path kmodLustreOsdLdiskfs(Path dir) throws IOException, InterruptedException {
        return TestRpm.named("kmod-lustre-osd-ldiskfs").version("2.15.4").release("1.el8").license("GPL-2.0-only")
                .file(EXTRA + "lustre-osd-ldiskfs/fs/osd_ldiskfs.ko", "elf")
                .file(EXTRA + "lustre-osd-ldiskfs/fs/ldiskfs.ko", "elf").build(dir);
    }

    /** {@code lustre-2.15.4-1.el8.x86_64.rpm} with epoch 1, user space: distributable. */
    public static Path lustre(Path dir) throws IOException, InterruptedException {
        return TestRpm.named("lustre").version("2.15.4").release("1.el8").epoch(1)
                .license("GPL-2.0-only AND LGPL-2.1-or-later").file("/usr/sbin/lctl", "elf").build(dir);
    }

    /** A package renamed {@code totally-harmless} that ships {@code zfs.ko.xz}: forbidden. */
    public static Path totallyHarmless(Path dir) throws IOException, InterruptedException {
        return TestRpm.named("totally-harmless").license("GPLv2")
                .file("/lib/modules/x/extra/zfs.ko.xz", "elf").build(dir);
    }

    /** A file named like an RPM that is not one. */
    public static Path notAnRpm(Path dir, String fileName) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(fileName), "this is not an RPM package\n");
    }

    /** The distributable set: zfs-dkms, zfs, kmod-lustre-osd-ldiskfs, lustre. */
    public static List<Path> distributable(Path dir) throws IOException, InterruptedException {
        return List.of(zfsDkms(dir), zfs(dir), kmodLustreOsdLdiskfs(dir), lustre(dir));
    }
}

package io.github.mellanoxlustre.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import io.github.mellanoxlustre.testing.TestRpm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every built-in rule, positive and negative, on real RPMs built with rpmbuild. */
class DistributionPolicyTest {
    private static final String KVER = "4.18.0-477.10.1.el8_lustre.x86_64";
    private static final String EXTRA = "/lib/modules/" + KVER + "/extra/";

    @TempDir
    Path tmp;

    private RpmPackage rpm(TestRpm spec) throws Exception {
        return new RpmReader().read(spec.build(tmp));
    }

    private static Evaluation distribute(RpmPackage p) {
        return DistributionPolicy.distribute().evaluate(p);
    }

    // --- zfs-kmod-name -------------------------------------------------------------------------

    @Test
    void kmodZfsIsForbiddenByNameModuleFileAndLicense() throws Exception {
        RpmPackage p = rpm(TestRpm.named("kmod-zfs").version("2.1.5").release("1.el8").license("CDDL")
                .file(EXTRA + "zfs/zfs.ko.xz", "elf").file(EXTRA + "spl/spl.ko.xz", "elf")
                .compressor(TestRpm.Compressor.XZ));
        Evaluation e = distribute(p);
        assertThat(e.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(e.findings()).extracting(Finding::rule, Finding::severity, Finding::evidence).containsExactly(
                tuple("zfs-kmod-name", Severity.FORBIDDEN, "kmod-zfs"),
                tuple("zfs-module-file", Severity.FORBIDDEN, EXTRA + "spl/spl.ko.xz"),   // rpm sorts files
                tuple("zfs-module-file", Severity.FORBIDDEN, EXTRA + "zfs/zfs.ko.xz"),
                tuple("cddl-kernel-code", Severity.FORBIDDEN, "CDDL"));
        assertThat(e.findings().get(3).message()).contains("2 kernel modules").contains(EXTRA + "spl/spl.ko.xz");
    }

    @Test
    void kmodNamesAreForbiddenEvenWithoutModuleFiles() throws Exception {
        for (String name : new String[] {"kmod-spl", "spl-kmod", "zfs-kmod-common", "kmod-zfs-devel",
                "kmod-zfs-" + KVER.replace('-', '_')}) {
            RpmPackage p = rpm(TestRpm.named(name).arch("noarch").license("CDDL")
                    .file("/usr/share/doc/" + name + "/README.md", "docs"));
            Evaluation e = distribute(p);
            assertThat(e.verdict()).as(name).isEqualTo(Verdict.FORBIDDEN);
            assertThat(e.findings()).as(name).extracting(Finding::rule, Finding::evidence)
                    .containsExactly(tuple("zfs-kmod-name", name));
        }
    }

    @Test
    void namesMerelyContainingZfsAreNotKmods() throws Exception {
        for (String name : new String[] {"zfs", "libzfs5", "zfs-dracut", "python3-pyzfs", "mykmod-zfs", "kmod-zf"}) {
            RpmPackage p = rpm(TestRpm.named(name).license("CDDL").file("/usr/share/doc/" + name + "/x", "x"));
            assertThat(distribute(p).verdict()).as(name).isEqualTo(Verdict.DISTRIBUTABLE);
            assertThat(distribute(p).findings()).as(name).isEmpty();
        }
    }

    @Test
    void sourceRpmNamedLikeAKmodIsDistributableWithAnInformationalFinding() throws Exception {
        RpmPackage p = new RpmReader().read(TestRpm.named("zfs-kmod").version("2.1.5").license("CDDL")
                .file("/usr/src/zfs-2.1.5/module/zfs/zfs_ioctl.c", "int x;").buildSource(tmp));
        assertThat(p.source()).isTrue();
        Evaluation e = distribute(p);
        assertThat(e.verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
        assertThat(e.findings()).extracting(Finding::rule, Finding::severity)
                .containsExactly(tuple("zfs-kmod-name", Severity.INFO));
    }

    // --- zfs-module-file -----------------------------------------------------------------------

    @Test
    void renamedPackageShippingAZfsModuleIsForbidden() throws Exception {
        RpmPackage p = rpm(TestRpm.named("totally-harmless").license("GPLv2")
                .file("/lib/modules/x/extra/zfs.ko.xz", "elf"));
        Evaluation e = distribute(p);
        assertThat(e.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(e.findings()).extracting(Finding::rule, Finding::evidence)
                .containsExactly(tuple("zfs-module-file", "/lib/modules/x/extra/zfs.ko.xz"));
        assertThat(e.findings().get(0).message()).contains("zfs");
    }

    @Test
    void everyZfsModuleNameAndCompressionUnderBothModuleTreesIsCaught() throws Exception {
        String[] modules = {"zfs", "spl", "zavl", "icp", "zlua", "znvpair", "zunicode", "zcommon", "zzstd"};
        String[] suffixes = {".ko", ".ko.xz", ".ko.gz", ".ko.zst"};
        TestRpm spec = TestRpm.named("bundle").license("GPLv2");
        int i = 0;
        for (String m : modules) {
            String root = i % 2 == 0 ? "/lib/modules/" : "/usr/lib/modules/";
            spec.file(root + KVER + "/extra/" + m + "/" + m + suffixes[i % suffixes.length], "elf");
            i++;
        }
        spec.file("/lib/modules/" + KVER + "/weak-updates/zfs/zfs.ko", "elf");
        Evaluation e = distribute(rpm(spec));
        assertThat(e.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(e.findings()).hasSize(modules.length + 1).allMatch(f -> f.rule().equals("zfs-module-file"));
    }

    @Test
    void zfsNamedFilesOutsideTheModuleTreesOrOtherModulesAreNotZfsModules() throws Exception {
        RpmPackage p = rpm(TestRpm.named("lookalike").license("GPLv2")
                .file("/opt/backup/zfs.ko", "elf")                       // not under /lib/modules
                .file(EXTRA + "zfsx/zfs_extra.ko", "elf")                 // another module name
                .file(EXTRA + "zfs/zfs.ko.bak", "elf")                    // not a module file name
                .file("/lib/modules/" + KVER + "/extra/zfs/README", "x"));
        Evaluation e = distribute(p);
        assertThat(e.verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
        assertThat(e.findings()).isEmpty();
    }

    // --- cddl-kernel-code ----------------------------------------------------------------------

    @Test
    void gplAndCddlLicenseWithAKernelModuleIsForbidden() throws Exception {
        RpmPackage p = rpm(TestRpm.named("mixed-kmod").license("GPLv2+ and CDDL")
                .file("/usr/lib/modules/" + KVER + "/extra/mixed/mixed.ko.zst", "elf"));
        Evaluation e = distribute(p);
        assertThat(e.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(e.findings()).extracting(Finding::rule, Finding::evidence)
                .containsExactly(tuple("cddl-kernel-code", "GPLv2+ and CDDL"));
        assertThat(e.findings().get(0).message()).contains("/usr/lib/modules/" + KVER + "/extra/mixed/mixed.ko.zst");
    }

    @Test
    void cddlUserSpacePackagesAreDistributable() throws Exception {
        for (String license : new String[] {"CDDL", "CDDL-1.0", "cddl and GPLv2"}) {
            RpmPackage p = rpm(TestRpm.named("zfs").version("2.1.5").license(license)
                    .file("/usr/sbin/zpool", "#!/bin/sh").file("/usr/lib64/libzfs.so.4", "elf"));
            assertThat(distribute(p).verdict()).as(license).isEqualTo(Verdict.DISTRIBUTABLE);
            assertThat(distribute(p).findings()).as(license).isEmpty();
        }
    }

    @Test
    void aLicenseThatOnlyContainsTheLettersIsNotCddl() throws Exception {
        RpmPackage p = rpm(TestRpm.named("oddly-licensed").license("XCDDLX-Public")
                .file(EXTRA + "odd/odd.ko", "elf"));
        assertThat(distribute(p).verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
    }

    // --- lustre-osd-zfs-kmod -------------------------------------------------------------------

    @Test
    void kmodLustreOsdZfsIsForbiddenWithItsKsymPinAsEvidence() throws Exception {
        RpmPackage p = rpm(TestRpm.named("kmod-lustre-osd-zfs").version("2.15.4").release("1.el8")
                .license("GPL-2.0-only")
                .file(EXTRA + "lustre-osd-zfs/fs/osd_zfs.ko", "elf")
                .requires("ksym(class_register_type) = 0x0badf00d")
                .requires("ksym(dmu_buf_hold) = 0x1234abcd")
                .requires("lustre-osd-zfs-mount = 2.15.4"));
        Evaluation e = distribute(p);
        assertThat(e.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(e.findings()).extracting(Finding::rule, Finding::evidence).containsExactly(
                tuple("lustre-osd-zfs-kmod", "kmod-lustre-osd-zfs"),
                tuple("lustre-osd-zfs-kmod", EXTRA + "lustre-osd-zfs/fs/osd_zfs.ko"),
                tuple("lustre-osd-zfs-kmod", "ksym(dmu_buf_hold) = 0x1234abcd"));
        assertThat(e.findings().get(2).message()).contains("2 kernel symbol versions");
    }

    @Test
    void anyPackageShippingOsdZfsIsForbidden() throws Exception {
        RpmPackage p = rpm(TestRpm.named("lustre-server-bundle").license("GPL-2.0-only")
                .file("/lib/modules/" + KVER + "/updates/kernel/fs/lustre/osd_zfs.ko.xz", "elf"));
        Evaluation e = distribute(p);
        assertThat(e.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(e.findings()).extracting(Finding::rule).containsExactly("lustre-osd-zfs-kmod");
    }

    @Test
    void ldiskfsLustreAndMountPackagesAreDistributable() throws Exception {
        RpmPackage osdLdiskfs = rpm(TestRpm.named("kmod-lustre-osd-ldiskfs").version("2.15.4").license("GPL-2.0-only")
                .file(EXTRA + "lustre-osd-ldiskfs/fs/osd_ldiskfs.ko", "elf")
                .file(EXTRA + "lustre-osd-ldiskfs/fs/ldiskfs.ko", "elf")
                .requires("ksym(jbd2_journal_start) = 0x12345678"));
        RpmPackage kmodLustre = rpm(TestRpm.named("kmod-lustre").version("2.15.4").license("GPL-2.0-only")
                .file(EXTRA + "lustre/fs/lustre.ko", "elf").file(EXTRA + "lustre/net/ko2iblnd.ko", "elf")
                .requires("kmod-mlnx-ofa_kernel"));
        RpmPackage mount = rpm(TestRpm.named("lustre-osd-zfs-mount").version("2.15.4").license("GPL-2.0-only")
                .file("/usr/lib64/lustre/mount_osd_zfs.so", "elf")
                .requires("zfs").requires("kmod-lustre-osd-zfs"));
        RpmPackage lustre = rpm(TestRpm.named("lustre").version("2.15.4")
                .license("GPL-2.0-only AND LGPL-2.1-or-later").file("/usr/sbin/lctl", "elf"));
        for (RpmPackage p : new RpmPackage[] {osdLdiskfs, kmodLustre, mount, lustre}) {
            assertThat(distribute(p).verdict()).as(p.name()).isEqualTo(Verdict.DISTRIBUTABLE);
            assertThat(distribute(p).findings()).as(p.name()).isEmpty();
        }
    }

    // --- dkms-source ---------------------------------------------------------------------------

    @Test
    void dkmsSourcePackagesAreDistributableWithAnInformationalFinding() throws Exception {
        RpmPackage zfsDkms = rpm(TestRpm.named("zfs-dkms").version("2.1.5").arch("noarch").license("CDDL")
                .file("/usr/src/zfs-2.1.5/dkms.conf", "PACKAGE_NAME=zfs")
                .file("/usr/src/zfs-2.1.5/module/zfs/zfs_ioctl.c", "int x;")
                .provides("zfs-kmod = 2.1.5"));
        RpmPackage lustreZfsDkms = rpm(TestRpm.named("lustre-zfs-dkms").version("2.15.4").arch("noarch")
                .license("GPL-2.0-only")
                .file("/usr/src/lustre-zfs-2.15.4/dkms.conf", "PACKAGE_NAME=lustre-zfs")
                .file("/usr/src/lustre-zfs-2.15.4/lustre/osd-zfs/osd_handler.c", "int x;")
                .requires("zfs-dkms >= 0.6.5"));
        Evaluation zfs = distribute(zfsDkms);
        assertThat(zfs.verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
        assertThat(zfs.findings()).extracting(Finding::rule, Finding::severity, Finding::evidence)
                .containsExactly(tuple("dkms-source", Severity.INFO, "/usr/src/zfs-2.1.5/dkms.conf"));
        Evaluation lz = distribute(lustreZfsDkms);
        assertThat(lz.verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
        assertThat(lz.findings()).extracting(Finding::rule).containsExactly("dkms-source");
    }

    @Test
    void aDkmsNamedPackageThatShipsBuiltModulesIsJudgedByTheOtherRules() throws Exception {
        RpmPackage p = rpm(TestRpm.named("zfs-dkms").version("2.1.5").license("CDDL")
                .file("/usr/src/zfs-2.1.5/dkms.conf", "PACKAGE_NAME=zfs")
                .file(EXTRA + "zfs/zfs.ko", "elf"));
        Evaluation e = distribute(p);
        assertThat(e.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(e.findings()).extracting(Finding::rule).containsExactly("zfs-module-file", "cddl-kernel-code");
    }

    // --- internal ------------------------------------------------------------------------------

    @Test
    void internalPolicyTurnsForbiddenFindingsIntoWarnings() throws Exception {
        RpmPackage p = rpm(TestRpm.named("kmod-zfs").license("CDDL").file(EXTRA + "zfs/zfs.ko", "elf"));
        Evaluation forbidden = distribute(p);
        Evaluation internal = DistributionPolicy.internal().evaluate(p);
        assertThat(internal.verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
        assertThat(internal.findings()).hasSize(forbidden.findings().size())
                .allMatch(f -> f.severity() == Severity.WARNING);
        assertThat(internal.findings()).extracting(Finding::rule, Finding::evidence)
                .containsExactlyElementsOf(forbidden.findings().stream()
                        .map(f -> tuple(f.rule(), f.evidence())).toList());
    }

    @Test
    void resolveKnowsTheBuiltInPolicies() throws Exception {
        assertThat(DistributionPolicy.resolve("distribute").base()).isEqualTo(PolicyBase.DISTRIBUTE);
        assertThat(DistributionPolicy.resolve("Internal").base()).isEqualTo(PolicyBase.INTERNAL);
        assertThat(DistributionPolicy.resolve("internal").name()).isEqualTo("internal");
    }
}

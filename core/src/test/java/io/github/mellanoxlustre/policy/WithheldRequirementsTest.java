package io.github.mellanoxlustre.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import io.github.mellanoxlustre.testing.RpmQuery;
import io.github.mellanoxlustre.testing.TestRpm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Published RPMs whose requirements only withheld RPMs meet, on packages rpmbuild made. */
class WithheldRequirementsTest {
    @TempDir
    static Path dir;
    static RpmPackage osdZfs;
    static RpmPackage osdLdiskfs;
    static RpmPackage mount;
    static RpmPackage tests;
    static RpmPackage lustre;
    static Path mountFile;

    @BeforeAll
    static void build() throws Exception {
        RpmReader reader = new RpmReader();
        osdZfs = reader.read(TestRpm.named("kmod-lustre-osd-zfs").version("2.15.4").release("1.el8")
                .license("GPL-2.0-only").file("/lib/modules/5.14/extra/lustre-osd-zfs/fs/osd_zfs.ko", "elf")
                .provides("lustre-osd = 2.15.4").provides("lustre-osd-zfs = 2.15.4").build(dir));
        osdLdiskfs = reader.read(TestRpm.named("kmod-lustre-osd-ldiskfs").version("2.15.4").release("1.el8")
                .license("GPL-2.0-only").file("/lib/modules/5.14/extra/lustre-osd-ldiskfs/fs/osd_ldiskfs.ko", "elf")
                .provides("lustre-osd = 2.15.4").build(dir));
        // As Lustre's spec: the ZFS mount helper needs the ZFS OSD kmod, and zfs (from ZFS's own repository).
        mountFile = TestRpm.named("lustre-osd-zfs-mount").version("2.15.4").release("1.el8").license("GPL-2.0-only")
                .file("/usr/lib64/lustre/mount_osd_zfs.so", "elf").requires("zfs").requires("kmod-lustre-osd-zfs")
                .requires("lustre-osd-zfs = 2.15.4").requires("lustre-osd")
                .requires("/lib/modules/5.14/extra/lustre-osd-zfs/fs/osd_zfs.ko").build(dir);
        mount = reader.read(mountFile);
        tests = reader.read(TestRpm.named("lustre-tests").version("2.15.4").release("1.el8").license("GPL-2.0-only")
                .file("/usr/lib64/lustre/tests/sanity.sh", "sh").requires("lustre-osd").requires("lustre")
                .requires("(kmod-lustre-osd-zfs or kmod-lustre-osd-ldiskfs)").build(dir));
        lustre = reader.read(LustreZfsRpms.lustre(dir));
    }

    @Test
    void aRequirementOnlyAWithheldPackageMeetsIsAWarningNamingBoth() throws Exception {
        WithheldRequirements needs = new WithheldRequirements(List.of(osdLdiskfs, mount, tests, lustre), List.of(osdZfs));
        List<Finding> f = needs.findings(mount);
        // zfs: nothing in the set provides it (ZFS's repository does); lustre-osd: a published kmod provides it too.
        assertThat(f).extracting(Finding::rule, Finding::severity, Finding::evidence).containsExactlyInAnyOrder(
                tuple(WithheldRequirements.ID, Severity.WARNING, "kmod-lustre-osd-zfs"),
                tuple(WithheldRequirements.ID, Severity.WARNING, "lustre-osd-zfs = 2.15.4"),
                tuple(WithheldRequirements.ID, Severity.WARNING, "/lib/modules/5.14/extra/lustre-osd-zfs/fs/osd_zfs.ko"));
        Finding kmod = f.stream().filter(x -> x.evidence().equals("kmod-lustre-osd-zfs")).findFirst().orElseThrow();
        assertThat(kmod.message()).isEqualTo("requires kmod-lustre-osd-zfs, which only the withheld"
                + " kmod-lustre-osd-zfs-2.15.4-1.el8.x86_64 provides: it cannot be installed from the published"
                + " repository alone");
        assertThat(WithheldRequirements.withheldProvider(f.get(2))).contains("kmod-lustre-osd-zfs-2.15.4-1.el8.x86_64");
        // The evidence is the requirement as rpm prints it.
        assertThat(RpmQuery.query(mountFile, "-R")).containsAll(f.stream().map(Finding::evidence).toList());

        assertThat(needs.findings(tests)).isEmpty();   // lustre-osd is met by ldiskfs; a rich dependency is not looked at
        assertThat(needs.findings(lustre)).isEmpty();
    }

    @Test
    void nothingWithheldOrAPublishedProviderMeansNoFinding() {
        assertThat(new WithheldRequirements(List.of(osdLdiskfs, mount, osdZfs), List.of()).findings(mount)).isEmpty();
        assertThat(new WithheldRequirements(List.of(osdLdiskfs, mount, osdZfs), List.of(osdZfs)).findings(mount))
                .isEmpty();
        assertThat(WithheldRequirements.withheldProvider(Finding.of("other", Severity.WARNING, "m", "e"))).isEmpty();
    }
}

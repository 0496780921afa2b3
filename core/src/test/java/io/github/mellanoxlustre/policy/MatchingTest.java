package io.github.mellanoxlustre.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The matching primitives the rules are built from: name globs, CDDL words, module file names. */
class MatchingTest {

    @Test
    void namePatternGlobs() {
        NamePattern kmodZfs = new NamePattern("kmod-zfs*");
        assertThat(kmodZfs.matches("kmod-zfs")).isTrue();
        assertThat(kmodZfs.matches("kmod-zfs-devel")).isTrue();
        assertThat(kmodZfs.matches("kmod-zfs-4.18.0_477.el8")).isTrue();
        assertThat(kmodZfs.matches("xkmod-zfs")).isFalse();
        assertThat(kmodZfs.matches("kmod-zf")).isFalse();
        assertThat(kmodZfs.matches("KMOD-ZFS")).isFalse();
        assertThat(new NamePattern("lustre?client").matches("lustre-client")).isTrue();
        assertThat(new NamePattern("lustre?client").matches("lustre--client")).isFalse();
        assertThat(new NamePattern("*-dkms").matches("lustre-zfs-dkms")).isTrue();
        assertThat(new NamePattern("*zfs*osd*").matches("lustre-zfs-osd")).isTrue();
        assertThat(new NamePattern("*zfs*osd*").matches("lustre-osd-zfs")).isFalse();
        assertThat(new NamePattern("a*b*c").matches("aXbYbZc")).isTrue();
        assertThat(new NamePattern("a*b*c").matches("aXbYbZ")).isFalse();
        assertThat(new NamePattern("*").matches("")).isTrue();
        assertThat(new NamePattern("kmod-mlnx-ofa_kernel+x.y").matches("kmod-mlnx-ofa_kernel+x.y")).isTrue();
        assertThat(new NamePattern("a.b").matches("aXb")).isFalse();
    }

    @Test
    void namePatternRejectsWhatRpmNamesCannotHold() {
        for (String bad : new String[] {"", "kmod foo", "kmod-[zs]*", "a/b", "kmod-zfs\n", "é*"}) {
            assertThatThrownBy(() -> new NamePattern(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(NamePattern.ACCEPTED_FORM);
        }
    }

    @Test
    void cddlIsMatchedAsAWordInAnySpelling() {
        for (String yes : new String[] {"CDDL", "cddl", "CDDL-1.0", "CDDL-1.1", "GPLv2+ and CDDL", "(CDDL or GPL)",
                "LicenseRef-CDDL", "Cddl1.0", "GPL-2.0-only AND CDDL-1.0"}) {
            assertThat(CddlKernelCodeRule.namesCddl(yes)).as(yes).isTrue();
        }
        for (String no : new String[] {"", "GPLv2", "XCDDLX-Public", "ACDDL", "CDDLX", "MPL-2.0", "C.D.D.L"}) {
            assertThat(CddlKernelCodeRule.namesCddl(no)).as(no).isFalse();
        }
    }

    @Test
    void kernelModuleFiles() {
        assertThat(KernelModuleFile.installed("/lib/modules/5.14/extra/zfs/zfs.ko.zst"))
                .contains(new KernelModuleFile("/lib/modules/5.14/extra/zfs/zfs.ko.zst", "zfs", true));
        assertThat(KernelModuleFile.installed("/usr/lib/modules/5.14/extra/icp.ko.gz").map(KernelModuleFile::module))
                .contains("icp");
        assertThat(KernelModuleFile.installed("/lib/modules/5.14/extra/spl.ko.xz")).isPresent();
        assertThat(KernelModuleFile.installed("/lib/modules/5.14/extra/spl.ko.bz2")).isEmpty();
        assertThat(KernelModuleFile.installed("/lib/modules/5.14/extra/spl.ko.debug")).isEmpty();
        assertThat(KernelModuleFile.installed("/lib/modules/5.14/extra/zfs/zfs.c")).isEmpty();
        assertThat(KernelModuleFile.installed("/usr/src/zfs-2.1.5/module/zfs.ko")).isEmpty();
        assertThat(KernelModuleFile.installed("/usr/lib/debug/lib/modules/5.14/extra/zfs.ko.debug")).isEmpty();
        assertThat(KernelModuleFile.of("/opt/zfs.ko")).contains(new KernelModuleFile("/opt/zfs.ko", "zfs", false));
        assertThat(KernelModuleFile.of("/lib/modules/5.14/.ko")).isEmpty();
    }
}

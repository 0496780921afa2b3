package io.github.mellanoxlustre.lustre;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.standin.ZfsDevel;
import io.github.mellanoxlustre.standin.ZfsDevelFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks of lustre-release {@code config/lustre-build-zfs.m4} ({@code LB_ZFS}), before configure runs. */
class ZfsTreeTest {
    static final String KERNEL = "4.18.0-477.27.1.el8_lustre.x86_64";

    @TempDir
    Path tmp;

    @Test
    void aBuiltDevelopmentTreeIsAcceptedWithOrWithoutItsObjectDirectory() throws Exception {
        ZfsDevel zfs = ZfsDevelFixture.create(tmp, "2.1.15", KERNEL);
        assertThat(ZfsTree.problems(zfs.sourceDir(), Optional.of(zfs.objectDir()), KERNEL, "x86_64")).isEmpty();
        // configure's search: <src>/<kernel release> first
        assertThat(ZfsTree.problems(zfs.sourceDir(), Optional.empty(), KERNEL, "x86_64")).isEmpty();
    }

    @Test
    void withoutItsReleaseFileTheSourceIsNotAZfsTree() throws Exception {
        ZfsDevel zfs = ZfsDevelFixture.create(tmp, "2.1.15", KERNEL);
        Files.delete(zfs.sourceDir().resolve("zfs.release.in"));
        assertThat(ZfsTree.problems(zfs.sourceDir(), Optional.of(zfs.objectDir()), KERNEL, "x86_64")).isEmpty();
        Files.delete(zfs.sourceDir().resolve("zfs.release"));
        assertThat(ZfsTree.problems(zfs.sourceDir(), Optional.of(zfs.objectDir()), KERNEL, "x86_64"))
                .containsExactly(zfs.sourceDir() + " has neither zfs.release.in nor zfs.release, which mark a ZFS "
                        + "source tree (Lustre's configure would disable the zfs backend)");
    }

    @Test
    void objectsBuiltForAnotherKernelAreNotFound() throws Exception {
        ZfsDevel zfs = ZfsDevelFixture.create(tmp, "2.1.15", "4.18.0-477.10.1.el8_8.x86_64");
        // configure falls back to the last numbered directory, which is the other kernel's: found, as configure does
        assertThat(ZfsTree.problems(zfs.sourceDir(), Optional.empty(), KERNEL, "x86_64")).isEmpty();
        // a source with no numbered directory and no zfs_config.h: nothing found, every place named
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        Files.writeString(bare.resolve("zfs.release"), "2.1.15-1\n");
        assertThat(ZfsTree.problems(bare, Optional.empty(), KERNEL, "x86_64")).containsExactly("no zfs_config.h in "
                + bare.resolve(KERNEL) + ", " + bare + ": not a built ZFS object tree for " + KERNEL + " (the ZFS "
                + "development package for this kernel has one; give it as the ZFS object directory)");
    }

    @Test
    void anObjectTreeWithoutVersionOrModuleSymversIsRefused() throws Exception {
        ZfsDevel zfs = ZfsDevelFixture.create(tmp, "2.1.15", KERNEL);
        Files.writeString(zfs.objectDir().resolve("zfs_config.h"), "/* empty */\n");
        Files.delete(zfs.objectDir().resolve("Module.symvers"));
        assertThat(ZfsTree.problems(zfs.sourceDir(), Optional.of(zfs.objectDir()), KERNEL, "x86_64")).containsExactly(
                zfs.objectDir().resolve("zfs_config.h") + " does not define ZFS_META_VERSION (Lustre's configure would "
                        + "disable the zfs backend)",
                "no Module.symvers in " + zfs.objectDir() + " or " + zfs.objectDir().resolve("module") + ": the ZFS "
                        + "modules were not built there (Lustre's configure would disable the zfs backend)");
        Files.createDirectories(zfs.objectDir().resolve("module"));
        Files.writeString(zfs.objectDir().resolve("module/Module.symvers"), "");
        assertThat(ZfsTree.problems(zfs.sourceDir(), Optional.of(zfs.objectDir()), KERNEL, "x86_64")).hasSize(1);
    }

    @Test
    void aDkmsSourceHasItsObjectsUnderTheKernelAndArchitecture() throws Exception {
        // /var/lib/dkms/zfs/<ver>/source and /var/lib/dkms/zfs/<ver>/<kernel>/<arch>
        Path dkms = tmp.resolve("var/lib/dkms/zfs/2.1.15");
        Path source = Files.createDirectories(dkms.resolve("source"));
        Files.writeString(source.resolve("zfs.release.in"), "@VERSION@\n");
        Path obj = Files.createDirectories(dkms.resolve(KERNEL).resolve("x86_64"));
        Files.writeString(obj.resolve("zfs_config.h"), "#define ZFS_META_VERSION \"2.1.15\"\n");
        Files.writeString(obj.resolve("Module.symvers"), "");
        assertThat(ZfsTree.candidates(source, KERNEL, "x86_64")).containsExactly(obj);
        assertThat(ZfsTree.problems(source, Optional.empty(), KERNEL, "x86_64")).isEmpty();
    }
}

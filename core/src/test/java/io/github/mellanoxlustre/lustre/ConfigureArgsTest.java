package io.github.mellanoxlustre.lustre;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigureArgsTest {
    private static LustreOptions server(Set<LustreOptions.Backend> b, Optional<Path> zfs, Optional<Path> obj) {
        return new LustreOptions(true, b, zfs, obj, Set.of(LustreOptions.Packaging.KMOD), 4);
    }

    @Test
    void switchesPerBuildKind() {
        assertThat(ConfigureArgs.argv("/k", "/o", new LustreOptions(false, Set.of(), Optional.empty(),
                Optional.empty(), Set.of(LustreOptions.Packaging.KMOD), 1)))
                .containsExactly("./configure", "--with-linux=/k", "--with-o2ib=/o", "--disable-server");
        assertThat(ConfigureArgs.argv("/k", "/o", server(EnumSet.of(LustreOptions.Backend.LDISKFS), Optional.empty(),
                Optional.empty()))).containsExactly("./configure", "--with-linux=/k", "--with-o2ib=/o", "--without-zfs");
        assertThat(ConfigureArgs.argv("/k", "/o", server(EnumSet.of(LustreOptions.Backend.ZFS),
                Optional.of(Path.of("/z")), Optional.empty())))
                .containsExactly("./configure", "--with-linux=/k", "--with-o2ib=/o", "--disable-ldiskfs", "--with-zfs=/z");
        assertThat(ConfigureArgs.argv("/k", "/o", server(EnumSet.allOf(LustreOptions.Backend.class),
                Optional.of(Path.of("/z")), Optional.of(Path.of("/z/obj")))))
                .containsExactly("./configure", "--with-linux=/k", "--with-o2ib=/o", "--with-zfs=/z", "--with-zfs-obj=/z/obj");
    }

    @Test
    void recognisesLustresO2ibWarnings() {
        assertThat(ConfigureArgs.fatalWarning("configure: WARNING: ")).isNull();
        assertThat(ConfigureArgs.fatalWarning("\t* Module.symvers for external o2iblnd was not found."))
                .isEqualTo("Module.symvers for external o2iblnd was not found");
        assertThat(ConfigureArgs.fatalWarning("configure: WARNING: No o2iblnd can be built")).isNotNull();
        assertThat(ConfigureArgs.fatalWarning("configure: WARNING: Module.symvers for in-kernel o2iblnd was not found"))
                .isNull();
    }

    @Test
    void droppedBackendsAreFatalOnlyWhenRequested() {
        LustreOptions client = new LustreOptions(false, Set.of(), Optional.empty(), Optional.empty(),
                Set.of(LustreOptions.Packaging.KMOD), 1);
        assertThat(ConfigureArgs.fatalLines(client)).containsExactlyElementsOf(ConfigureArgs.FATAL_WARNINGS);
        List<String> ldiskfs = ConfigureArgs.fatalLines(server(EnumSet.of(LustreOptions.Backend.LDISKFS),
                Optional.empty(), Optional.empty()));
        // lustre-release config/lustre-build-ldiskfs.m4, as configure prints it
        assertThat(ConfigureArgs.fatalLine("Disabling ldiskfs support because complete ext4 source does not exist.",
                ldiskfs)).isEqualTo(ConfigureArgs.LDISKFS_DISABLED);
        assertThat(ConfigureArgs.fatalLine("checking whether to build ldiskfs... no", ldiskfs)).isNotNull();
        assertThat(ConfigureArgs.fatalLine("checking whether to build ldiskfs... yes", ldiskfs)).isNull();
        assertThat(ConfigureArgs.fatalLine("checking whether to enable zfs... no", ldiskfs)).isNull();
        List<String> zfs = ConfigureArgs.fatalLines(server(EnumSet.of(LustreOptions.Backend.ZFS),
                Optional.of(Path.of("/z")), Optional.empty()));
        assertThat(ConfigureArgs.fatalLine("checking whether to enable zfs... no", zfs)).isNotNull();
        assertThat(ConfigureArgs.fatalLine("Disabling optional zfs osd due to missing development headers.", zfs))
                .isEqualTo(ConfigureArgs.ZFS_DISABLED);
        assertThat(ConfigureArgs.fatalLine("checking whether to build ldiskfs... no", zfs)).isNull();
    }

    @Test
    void makeTargets() {
        assertThat(ConfigureArgs.makeArgv(8, LustreOptions.Packaging.KMOD)).containsExactly("make", "-j8", "rpms");
        assertThat(ConfigureArgs.makeArgv(1, LustreOptions.Packaging.DKMS)).containsExactly("make", "-j1", "dkms-rpms");
    }
}

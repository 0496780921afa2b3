package io.github.mellanoxlustre.lustre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.lustre.LustreOptions.Backend;
import io.github.mellanoxlustre.lustre.LustreOptions.Packaging;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LustreOptionsTest {
    static final Optional<Path> ZFS = Optional.of(Path.of("/usr/src/zfs-2.1.15"));

    @Test
    void validCombinations() {
        LustreOptions ldiskfs = new LustreOptions(true, Set.of(Backend.LDISKFS), Optional.empty(), Optional.empty(),
                Set.of(Packaging.KMOD), 8);
        assertThat(ldiskfs.backends()).containsExactly(Backend.LDISKFS);
        LustreOptions both = new LustreOptions(true, EnumSet.allOf(Backend.class), ZFS,
                Optional.of(Path.of("/usr/src/zfs-2.1.15/4.18.0")), EnumSet.allOf(Packaging.class), 1);
        assertThat(both.backends()).containsExactlyInAnyOrder(Backend.LDISKFS, Backend.ZFS);
        assertThatThrownBy(() -> both.backends().add(Backend.ZFS)).isInstanceOf(UnsupportedOperationException.class);
        LustreOptions client = new LustreOptions(false, Set.of(), Optional.empty(), Optional.empty(),
                Set.of(Packaging.DKMS), 1024);
        assertThat(client.backends()).isEmpty();
    }

    @Test
    void inconsistentOptionsNameTheField() {
        Set<Packaging> kmod = Set.of(Packaging.KMOD);
        assertThatThrownBy(() -> new LustreOptions(true, Set.of(), Optional.empty(), Optional.empty(), kmod, 1))
                .hasMessageStartingWith("backends: a server build needs");
        assertThatThrownBy(() -> new LustreOptions(false, Set.of(Backend.LDISKFS), Optional.empty(), Optional.empty(),
                kmod, 1)).hasMessageStartingWith("backends: a client-only build has no OSD backend");
        assertThatThrownBy(() -> new LustreOptions(true, Set.of(Backend.ZFS), Optional.empty(), Optional.empty(),
                kmod, 1)).hasMessageStartingWith("zfsSource: the zfs backend needs");
        assertThatThrownBy(() -> new LustreOptions(true, Set.of(Backend.LDISKFS), ZFS, Optional.empty(), kmod, 1))
                .hasMessageStartingWith("zfsSource: given without the zfs backend");
        assertThatThrownBy(() -> new LustreOptions(true, Set.of(Backend.LDISKFS), Optional.empty(), Optional.empty(),
                Set.of(), 1)).hasMessageStartingWith("packaging: choose kmod, dkms or both");
        for (int jobs : List.of(0, -1, 1025)) {
            assertThatThrownBy(() -> new LustreOptions(false, Set.of(), Optional.empty(), Optional.empty(), kmod, jobs))
                    .hasMessageStartingWith("makeJobs: " + jobs);
        }
        assertThatThrownBy(() -> new LustreOptions(false, null, Optional.empty(), Optional.empty(), kmod, 1))
                .hasMessageContaining("backends");
        assertThatThrownBy(() -> new LustreOptions(false, Set.of(), Optional.empty(), Optional.empty(), null, 1))
                .hasMessageContaining("packaging");
    }

    @Test
    void parsing() {
        assertThat(Backend.parse("zfs")).isEqualTo(Backend.ZFS);
        assertThat(Packaging.parse("dkms")).isEqualTo(Packaging.DKMS);
        assertThat(Backend.LDISKFS.id()).isEqualTo("ldiskfs");
        assertThatThrownBy(() -> Backend.parse("btrfs"))
                .hasMessage("backends: 'btrfs' is not an OSD backend; expected ldiskfs, zfs or both");
        assertThatThrownBy(() -> Packaging.parse("KMOD"))
                .hasMessage("packaging: 'KMOD' is not a packaging; expected kmod, dkms or both");
    }
}

package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RebuildMethodTest {
    @Test
    void rebuildMethodIds() {
        assertThat(RebuildMethod.parse("add-kernel-support")).isEqualTo(RebuildMethod.ADD_KERNEL_SUPPORT);
        assertThat(RebuildMethod.parse("srpm-rebuild")).isEqualTo(RebuildMethod.SRPM_REBUILD);
        assertThat(RebuildMethod.parse("doca-kernel-support")).isEqualTo(RebuildMethod.DOCA_KERNEL_SUPPORT);
        assertThat(RebuildMethod.SRPM_REBUILD.id()).isEqualTo("srpm-rebuild");
        assertThatThrownBy(() -> RebuildMethod.parse("ADD_KERNEL_SUPPORT"))
                .hasMessage("ofedRebuild: 'ADD_KERNEL_SUPPORT' is not a rebuild method; expected add-kernel-support, "
                        + "srpm-rebuild or doca-kernel-support");
        assertThatThrownBy(() -> RebuildMethod.parse(null)).hasMessageContaining("ofedRebuild: 'null'");
    }
}

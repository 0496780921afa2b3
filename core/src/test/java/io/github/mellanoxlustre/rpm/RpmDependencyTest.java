package io.github.mellanoxlustre.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RpmDependencyTest {

    @Test
    void printsLikeRpm() {
        assertThat(new RpmDependency("lustre", 0, "")).hasToString("lustre");
        assertThat(new RpmDependency("zfs-dkms", RpmDependency.GREATER | RpmDependency.EQUAL, "0.6.5"))
                .hasToString("zfs-dkms >= 0.6.5");
        assertThat(new RpmDependency("ksym(ib_register_client)", RpmDependency.EQUAL, "0x1234abcd"))
                .hasToString("ksym(ib_register_client) = 0x1234abcd");
        assertThat(new RpmDependency("kernel", RpmDependency.LESS, "")).hasToString("kernel <");
        assertThat(new RpmDependency("odd", 0, "1.0")).hasToString("odd 1.0");
    }

    @Test
    void operatorAndKernelSymbols() {
        assertThat(new RpmDependency("a", RpmDependency.LESS | RpmDependency.EQUAL, "2").operator()).isEqualTo("<=");
        assertThat(new RpmDependency("kernel(__ib_alloc_pd)", RpmDependency.EQUAL, "0x1").isKernelSymbol()).isTrue();
        assertThat(new RpmDependency("ksym(rdma_create_id)", RpmDependency.EQUAL, "0x1").isKernelSymbol()).isTrue();
        assertThat(new RpmDependency("kernel", 0, "").isKernelSymbol()).isFalse();
    }
}

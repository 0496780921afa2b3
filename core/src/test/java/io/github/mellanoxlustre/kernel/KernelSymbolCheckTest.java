package io.github.mellanoxlustre.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.rpm.RpmDependency;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSymbolCheckTest {
    private static final String K = "4.18.0-477.10.1.el8_lustre.x86_64";

    private static RpmDependency eq(String name, String version) {
        return new RpmDependency(name, RpmDependency.EQUAL, version);
    }

    private static RpmPackage pkg(String name, List<RpmDependency> requires, List<RpmDependency> provides,
                                  List<String> files) {
        return new RpmPackage(name, OptionalInt.empty(), "2.15.5", "1.el8", "x86_64", "GPL-2.0-only", false,
                name + "-2.15.5-1.src.rpm", requires, provides, files, "xz", 0);
    }

    private final RpmPackage ofed = pkg("kmod-mlnx-ofa_kernel", List.of(),
            List.of(eq("ksym(ib_register_client)", "0x11111111"), eq("ksym(__ib_alloc_pd)", "0x22222222"),
                    eq("kmod-mlnx-ofa_kernel", "5.8-OFED")),
            List.of("/lib/modules/" + K + "/extra/mlnx-ofa_kernel/drivers/infiniband/core/ib_core.ko"));
    private final ModuleSymvers symvers = new ModuleSymvers(Map.of("ib_register_client", "0x11111111",
            "__ib_alloc_pd", "0x22222222", "mlx5_core_create_mkey", "0x33333333"));

    @Test
    void matchingSymbolsPass() {
        RpmPackage lustre = pkg("kmod-lustre", List.of(eq("ksym(ib_register_client)", "0x11111111"),
                eq("kernel(printk)", "0xdeadbeef"), new RpmDependency("kmod-mlnx-ofa_kernel", 0, "")),
                List.of(), List.of("/lib/modules/" + K + "/extra/lustre/net/ko2iblnd.ko"));
        assertThat(KernelSymbolCheck.verify(List.of(lustre), List.of(ofed), symvers, K)).isEmpty();
    }

    @Test
    void crcMismatchIsReportedAsRpmWould() {
        RpmPackage lustre = pkg("kmod-lustre", List.of(eq("ksym(__ib_alloc_pd)", "0x99999999")), List.of(),
                List.of());
        assertThat(KernelSymbolCheck.verify(List.of(lustre), List.of(ofed), symvers, K)).containsExactly(
                "kmod-lustre-2.15.5-1.el8.x86_64 was built against another __ib_alloc_pd: it requires "
                        + "ksym(__ib_alloc_pd) = 0x99999999, but OFED's Module.symvers exports __ib_alloc_pd = "
                        + "0x22222222 (its modules would not load next to these OFED modules: disagrees about version "
                        + "of symbol __ib_alloc_pd)");
    }

    @Test
    void crcMismatchWithModuleSymversFailsEvenWhenTheMetadataAgrees() {
        // packages whose provides were generated from other modules than the Module.symvers staged
        RpmPackage lustre = pkg("kmod-lustre", List.of(eq("ksym(__ib_alloc_pd)", "0x99999999")), List.of(),
                List.of());
        RpmPackage lying = pkg("kmod-mlnx-ofa_kernel", List.of(), List.of(eq("ksym(__ib_alloc_pd)", "0x99999999")),
                List.of());
        assertThat(KernelSymbolCheck.verify(List.of(lustre), List.of(lying), symvers, K)).singleElement().asString()
                .contains("was built against another __ib_alloc_pd", "exports __ib_alloc_pd = 0x22222222");
    }

    @Test
    void rightCrcWithoutProvidesIsAMetadataProblemWithItsRemedy() {
        RpmPackage lustre = pkg("kmod-lustre", List.of(eq("ksym(__ib_alloc_pd)", "0x22222222")), List.of(),
                List.of());
        RpmPackage bare = pkg("kmod-mlnx-ofa_kernel", List.of(), List.of(), List.of());
        assertThat(KernelSymbolCheck.verify(List.of(lustre), List.of(bare), symvers, K)).singleElement().asString()
                .startsWith("nothing provides ksym(__ib_alloc_pd) = 0x22222222 needed by kmod-lustre")
                .contains("the CRC is OFED's, so the module loads", "find-provides.ksyms");
    }

    @Test
    void missingInfiniBandSymbolIsReportedEvenWhenOfedDoesNotKnowIt() {
        RpmPackage lustre = pkg("kmod-lustre", List.of(eq("kernel(rdma_create_qp)", "0x1"),
                eq("kernel(mlx5_core_create_mkey)", "0x33333333"), eq("kernel(unrelated_sym)", "0x5")), List.of(),
                List.of());
        List<String> problems = KernelSymbolCheck.verify(List.of(lustre), List.of(ofed), symvers, K);
        assertThat(problems).containsExactly(
                "nothing provides kernel(rdma_create_qp) = 0x1 needed by kmod-lustre-2.15.5-1.el8.x86_64",
                "nothing provides kernel(mlx5_core_create_mkey) = 0x33333333 needed by kmod-lustre-2.15.5-1.el8.x86_64 "
                        + "(the CRC is OFED's, so the module loads; but no OFED package provides "
                        + "kernel(mlx5_core_create_mkey), so dnf refuses the install: rebuild mlnx-ofa_kernel as KMP "
                        + "with EL's kmod dependency generators (redhat-rpm-config, kernel-rpm-macros: "
                        + "find-provides.ksyms) so that kmod-mlnx-ofa_kernel provides ksym(mlx5_core_create_mkey))");
    }

    @Test
    void requirementOnKmpPackageNeedsIt() {
        RpmPackage nonKmp = pkg("mlnx-ofa_kernel-modules", List.of(), List.of(), List.of());
        RpmPackage lustre = pkg("kmod-lustre", List.of(new RpmDependency("kmod-mlnx-ofa_kernel", 0, "")), List.of(),
                List.of());
        assertThat(KernelSymbolCheck.verify(List.of(lustre), List.of(nonKmp), new ModuleSymvers(Map.of()), K))
                .singleElement().asString().contains("nothing provides kmod-mlnx-ofa_kernel needed by kmod-lustre")
                .contains("KMP");
    }

    @Test
    void modulesForAnotherKernelAreReported() {
        RpmPackage lustre = pkg("kmod-lustre", List.of(), List.of(),
                List.of("/lib/modules/4.18.0-999.el8.x86_64/extra/lustre/fs/lustre.ko"));
        assertThat(KernelSymbolCheck.verify(List.of(lustre), List.of(ofed), symvers, K)).containsExactly(
                "kmod-lustre-2.15.5-1.el8.x86_64 has kernel modules for 4.18.0-999.el8.x86_64, not for the target "
                        + "kernel " + K);
    }

    @Test
    void readsModuleSymvers(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("Module.symvers");
        Files.writeString(f, "0x1a2b3c4d\tib_register_client\tdrivers/infiniband/core/ib_core\tEXPORT_SYMBOL\t\n"
                + "garbage line\n0x00000001\t__rdma_create_id\tdrivers/infiniband/core/rdma_cm\tEXPORT_SYMBOL_GPL\n");
        assertThat(ModuleSymvers.read(f).crcs()).containsExactly(
                Map.entry("ib_register_client", "0x1a2b3c4d"), Map.entry("__rdma_create_id", "0x00000001"));
    }
}

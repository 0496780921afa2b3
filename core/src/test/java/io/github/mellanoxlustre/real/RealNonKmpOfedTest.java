package io.github.mellanoxlustre.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.kernel.KernelSymbolCheck;
import io.github.mellanoxlustre.kernel.ModuleSymvers;
import io.github.mellanoxlustre.ofed.OfedKernelPackages;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The third real-toolchain run (docs/real-toolchain.md): the real 24.10 source RPM rebuilt non-KMP,
 * and the real Lustre 2.17.0 client kmod built against it (resources/real/ofed-24.10-nonkmp, see
 * its README). Lustre's kmod requires {@code kmod-mlnx-ofa_kernel}, which only a KMP rebuild makes.
 */
class RealNonKmpOfedTest {
    private static final String KERNEL = "6.1.0-57.deb12.x86_64";

    private static RpmPackage dump(String dir, String name) throws Exception {
        return RealOfedPackagesTest.read(Path.of(RealNonKmpOfedTest.class.getResource("/real/" + dir + "/" + name
                + ".rpm-qp.txt").toURI()));
    }

    @Test
    void theNonKmpModulesPackageCarriesTheModulesButNotTheNameLustreRequires() throws Exception {
        RpmPackage modules = dump("ofed-24.10-nonkmp", "mlnx-ofa_kernel-modules");
        assertThat(OfedKernelPackages.modulePackages(List.of(new io.github.mellanoxlustre.ofed.OfedRpm(Path.of("m"),
                modules)))).hasSize(1);
        assertThat(modules.files()).filteredOn(f -> f.endsWith(".ko")).hasSize(39)
                .allMatch(f -> f.startsWith("/lib/modules/" + KERNEL + "/extra/mlnx-ofa_kernel/"));
        assertThat(modules.provides()).extracting(d -> d.name()).noneMatch(n -> n.equals("kmod-mlnx-ofa_kernel"));
        RpmPackage lustre = dump("ofed-24.10-nonkmp", "kmod-lustre-client");
        assertThat(lustre.requires()).extracting(d -> d.name()).contains("kmod-mlnx-ofa_kernel");
    }

    @Test
    void phase8RefusesTheRealLustreKmodWithTheNonKmpOfedAndTakesItWithTheKmpOne() throws Exception {
        RpmPackage lustre = dump("ofed-24.10-nonkmp", "kmod-lustre-client");
        ModuleSymvers symvers = ModuleSymvers.read(Path.of(RealNonKmpOfedTest.class.getResource(
                "/real/ofed-24.10/Module.symvers").toURI()));
        List<String> nonKmp = KernelSymbolCheck.verify(List.of(lustre),
                List.of(dump("ofed-24.10-nonkmp", "mlnx-ofa_kernel-modules")), symvers, KERNEL);
        assertThat(nonKmp).anyMatch(p -> p.startsWith("nothing provides kmod-mlnx-ofa_kernel needed by "
                + "kmod-lustre-client-2.17.0-1.el9.x86_64 (only a KMP rebuild of mlnx-ofa_kernel makes "
                + "kmod-mlnx-ofa_kernel)"));
        List<String> kmp = KernelSymbolCheck.verify(List.of(lustre),
                List.of(dump("ofed-24.10", "kmod-mlnx-ofa_kernel")), symvers, KERNEL);
        assertThat(kmp).noneMatch(p -> p.contains("kmod-mlnx-ofa_kernel needed by"));
    }
}

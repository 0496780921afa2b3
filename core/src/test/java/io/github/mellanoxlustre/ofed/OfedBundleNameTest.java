package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OfedBundleNameTest {

    @ParameterizedTest
    @CsvSource({
        "MLNX_OFED_LINUX-4.4-2.0.7.0-rhel7.5-x86_64.tgz, 4.4-2.0.7.0, rhel7.5, x86_64",
        "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz, 5.8-3.0.7.0, rhel8.7, x86_64",
        "MLNX_OFED_LINUX-23.10-1.1.9.0-rhel9.2-x86_64.tgz, 23.10-1.1.9.0, rhel9.2, x86_64",
        "MLNX_OFED_LINUX-5.8-1.1.2.1-sles15sp4-x86_64.tgz, 5.8-1.1.2.1, sles15sp4, x86_64",
        "MLNX_OFED_LINUX-5.8-3.0.7.0-ol8.8-aarch64.tgz, 5.8-3.0.7.0, ol8.8, aarch64",
        "MLNX_OFED_LINUX-24.10-0.7.0.0-rhel9.4-ppc64le.tgz, 24.10-0.7.0.0, rhel9.4, ppc64le",
        "MLNX_OFED_LINUX-5.8-3.0.7.0-ubuntu22.04-x86_64.tgz, 5.8-3.0.7.0, ubuntu22.04, x86_64",
        "MLNX_OFED_LINUX-4.9-7.1.0.0-rhel7.9-x86_64.tar.gz, 4.9-7.1.0.0, rhel7.9, x86_64",
    })
    void parsesRealBundleNames(String file, String version, String distro, String arch) {
        OfedBundleName name = OfedBundleName.parse(file);
        assertThat(name).isEqualTo(new OfedBundleName(version, distro, arch));
        assertThat(name.baseName()).isEqualTo("MLNX_OFED_LINUX-" + version + "-" + distro + "-" + arch);
        assertThat(name.fileName()).isEqualTo(name.baseName() + ".tgz");
        assertThat(name.extBaseName()).isEqualTo(name.baseName() + "-ext");
    }

    @ParameterizedTest
    @CsvSource({
        "MLNX_OFED_LINUX-4.4-2.0.7.0-rhel7.5-x86_64.tgz, 4, 4, false",
        "MLNX_OFED_LINUX-5.4-3.6.8.1-rhel8.4-x86_64.tgz, 5, 4, false",
        "MLNX_OFED_LINUX-5.5-1.0.3.2-rhel8.5-x86_64.tgz, 5, 5, true",
        "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz, 5, 8, true",
        "MLNX_OFED_LINUX-23.10-1.1.9.0-rhel9.2-x86_64.tgz, 23, 10, true",
    })
    void versionDecidesTheDevelTreeLayout(String file, int major, int minor, boolean perKernel) {
        OfedBundleName name = OfedBundleName.parse(file);
        assertThat(name.majorMinor()).containsExactly(major, minor);
        assertThat(name.hasPerKernelDevelTree()).isEqualTo(perKernel);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.iso",
        "MLNX_OFED_LINUX-5.8-rhel8.7-x86_64.tgz",
        "MLNX_OFED_LINUX-5.8-3.0.7.0-x86_64.tgz",
        "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-i686.tgz",
        "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64-ext.tgz",
        "mlnx_ofed_linux-5.8-3.0.7.0-rhel8.7-x86_64.tgz",
        "MLNX_OFED_SRC-5.8-3.0.7.0.tgz",
        "dir/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz",
        "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz.sha256",
        "MLNX_OFED_LINUX-5.8-3.0.7.0-RHEL8.7-x86_64.tgz",
    })
    void refusesOtherNamesShowingTheForm(String file) {
        assertThatThrownBy(() -> OfedBundleName.parse(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + file + "'")
                .hasMessageContaining("MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz");
    }

    @Test
    void componentsAreRequired() {
        assertThatThrownBy(() -> new OfedBundleName(null, "rhel8.7", "x86_64")).hasMessageContaining("version");
    }
}

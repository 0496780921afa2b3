package io.github.mellanoxlustre.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class KernelTargetTest {
    @ParameterizedTest
    @ValueSource(strings = {"4.18.0-477.10.1.el8_lustre.x86_64", "5.14.0-362.24.1.el9_3.x86_64",
        "3.10.0-1160.el7.x86_64", "6.1.0-18-amd64", "5.14.21-150400.24.46-default", "4.18.0-553.el8_10.x86_64+debug",
        "6.8.0-1~rc1"})
    void acceptsRealReleases(String release) {
        assertThat(KernelTarget.checkRelease(release)).isEqualTo(release);
        assertThat(new KernelTarget(Optional.of(release), Optional.empty()).release()).contains(release);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"../../etc", "4.18.0/../x", "4.18.0 x", "-rf", "el8.4.18", "4..18", " 4.18",
        "4.18.0;reboot", "4.18.0$(id)", "4.18", "6.1", "5", "4.18-477.el8"})
    void refusesOthersNamingTheField(String release) {
        assertThatThrownBy(() -> KernelTarget.checkRelease(release))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kernelRelease: '" + release + "' is not a kernel release");
    }

    @Test
    void boundsLength() {
        assertThat(KernelTarget.checkRelease("4.18.0" + "a".repeat(122))).hasSize(128);
        assertThatThrownBy(() -> KernelTarget.checkRelease("4.18.0" + "a".repeat(123))).hasMessageContaining("kernelRelease");
    }

    @Test
    void detectLeavesBothOpen() {
        assertThat(KernelTarget.detect()).isEqualTo(new KernelTarget(Optional.empty(), Optional.empty()));
        assertThatThrownBy(() -> new KernelTarget(Optional.of("x"), Optional.of(Path.of("/k"))))
                .hasMessageContaining("kernelRelease: 'x'");
    }
}

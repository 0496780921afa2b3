package io.github.mellanoxlustre.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildRequestSettingsTest {
    private static BuildRequest request(Path out, Path work, BuildSettings s) {
        return new BuildRequest(BundleLocation.parse("/b/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz", null),
                Optional.empty(), KernelTarget.detect(), RebuildMethod.SRPM_REBUILD,
                new LustreSource.Local(Path.of("/src/lustre")), new LustreOptions(true, Set.of(LustreOptions.Backend.LDISKFS),
                Optional.empty(), Optional.empty(), Set.of(LustreOptions.Packaging.KMOD), 2), "distribute", out, work,
                Path.of("/cache"), s);
    }

    @Test
    void withheldDefaultsToWithheldBesideTheOutput() {
        BuildRequest r = request(Path.of("/srv/rpms/lustre"), Path.of("/tmp/w"), BuildSettings.defaults());
        assertThat(r.withheldDir()).isEqualTo(Path.of("/srv/rpms/withheld"));
        assertThat(request(Path.of("/srv/rpms/lustre"), Path.of("/tmp/w"),
                BuildSettings.defaults().withWithheldDir(Path.of("/srv/held"))).withheldDir()).isEqualTo(Path.of("/srv/held"));
    }

    @Test
    void withheldMayNotBeInsideOrAroundTheOutputOrWork() {
        assertThatThrownBy(() -> request(Path.of("/srv/out"), Path.of("/tmp/w"),
                BuildSettings.defaults().withWithheldDir(Path.of("/srv/out/withheld"))))
                .hasMessageStartingWith("withheldDir: ");
        assertThatThrownBy(() -> request(Path.of("/srv/out"), Path.of("/tmp/w"),
                BuildSettings.defaults().withWithheldDir(Path.of("/srv"))))
                .hasMessageStartingWith("withheldDir: ");
        assertThatThrownBy(() -> request(Path.of("/srv/out"), Path.of("/tmp/w"),
                BuildSettings.defaults().withWithheldDir(Path.of("/tmp/w/held"))))
                .hasMessageStartingWith("withheldDir: ");
    }

    @Test
    void environmentNamesAreValidated() {
        assertThat(BuildSettings.defaults().withEnvironment(Map.of("PATH", "/x:/y", "LC_ALL", "C")).environment())
                .containsEntry("PATH", "/x:/y");
        assertThatThrownBy(() -> BuildSettings.defaults().withEnvironment(Map.of("1BAD", "x")))
                .hasMessageStartingWith("environment: '1BAD'");
        assertThatThrownBy(() -> BuildSettings.defaults().withMinFreeMiB(-1)).hasMessageStartingWith("minFreeMiB:");
        assertThatThrownBy(() -> SudoMode.parse("sometimes")).hasMessageContaining("expected auto, always or never");
    }

    @Test
    void plannedCommandsReadLikeAShellLine() {
        assertThat(new PlannedCommand("/w", List.of("rpm2cpio", "<ofed-rpms>/x-*.rpm", "|", "cpio", "-idm")).display())
                .isEqualTo("rpm2cpio <ofed-rpms>/x-*.rpm | cpio -idm");
        assertThat(new PlannedCommand("/w", List.of("rpmbuild", "--define", "KVERSION 4.18", "a|b")).display())
                .isEqualTo("rpmbuild --define 'KVERSION 4.18' 'a|b'");
    }

    @Test
    void planRunsNothingAndShowsPlaceholders() {
        BuildPlan plan = new BuildEngine().plan(request(Path.of("/nonexistent/out"), Path.of("/nonexistent/work"),
                BuildSettings.defaults()));
        assertThat(plan.phases()).hasSize(9).extracting(PlannedPhase::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(plan.render()).contains("<kernel>", "/lib/modules/<kernel>/build", "copy /src/lustre to /nonexistent/work/lustre");
        assertThat(Path.of("/nonexistent")).doesNotExist();
    }
}

package io.github.mellanoxlustre.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.engine.BuildEngine;
import io.github.mellanoxlustre.engine.BuildPlan;
import io.github.mellanoxlustre.engine.phase.PlannedCommand;
import io.github.mellanoxlustre.engine.phase.PlannedPhase;
import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ssh.SshAuth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildRequestSettingsTest {
    private static BuildRequest request(Path out, Path work, BuildSettings s) {
        return request(out, work, s, new LustreSource.Local(Path.of("/src/lustre")));
    }

    private static BuildRequest request(Path out, Path work, BuildSettings s, LustreSource lustre) {
        return new BuildRequest(bundleSource("/b/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz", null),
                Optional.empty(), KernelTarget.detect(), RebuildMethod.SRPM_REBUILD,
                lustre, new LustreOptions(true, Set.of(LustreOptions.Backend.LDISKFS),
                Optional.empty(), Optional.empty(), Set.of(LustreOptions.Packaging.KMOD), 2), "distribute", out, work,
                Path.of("/cache"), s);
    }

    @Test
    void withheldDefaultsToTheOutputsOwnWithheldDirectoryBesideIt() {
        // issue 10: the CLI used <parent>/withheld (shared by every output in that directory), the plugin
        // <output>-withheld; both now get the latter
        BuildRequest r = request(Path.of("/srv/rpms/lustre"), Path.of("/tmp/w"), BuildSettings.defaults());
        assertThat(r.withheldDir()).isEqualTo(Path.of("/srv/rpms/lustre-withheld"));
        assertThat(request(Path.of("/srv/rpms/lustre-el9"), Path.of("/tmp/w"), BuildSettings.defaults()).withheldDir())
                .isNotEqualTo(r.withheldDir());
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

    private static BuildRequest withOutput(String out) {
        return request(Path.of(out), Path.of("/tmp/w"), BuildSettings.defaults());
    }

    private static BuildRequest withWithheld(String withheld) {
        return request(Path.of("/srv/rpms/out"), Path.of("/tmp/w"),
                BuildSettings.defaults().withWithheldDir(Path.of(withheld)));
    }

    /** --output '' was the current directory, and --replace-output deleted what it held. */
    @Test
    void theOutputIsNeverTheCurrentDirectoryTheRootTheHomeOrAroundThem() {
        Path cwd = Path.of("").toAbsolutePath();
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath();
        assertThatThrownBy(() -> withOutput("")).hasMessageStartingWith("outputDir: the empty path is the current "
                + "directory").hasMessageContaining("expected a directory of its own");
        for (String cwdLike : List.of(".", "./", cwd.toString(), cwd + "/sub/..", cwd.getParent().toString())) {
            assertThatThrownBy(() -> withOutput(cwdLike)).as(cwdLike)
                    .hasMessageStartingWith("outputDir: '" + Path.of(cwdLike) + "' is the current directory " + cwd);
        }
        assertThatThrownBy(() -> withOutput("/")).hasMessageStartingWith("outputDir: '/' is the root directory");
        assertThatThrownBy(() -> withOutput(home.toString()))
                .hasMessageStartingWith("outputDir: '" + home + "' is the home directory " + home + ",");
        if (home.getParent() != null && home.getParent().getParent() != null && !cwd.startsWith(home.getParent())) {
            assertThatThrownBy(() -> withOutput(home.getParent().toString()))
                    .hasMessageStartingWith("outputDir: '" + home.getParent() + "' is the home directory " + home
                            + " or contains it");
        }
        // the work and cache directories and what is around them
        assertThatThrownBy(() -> withOutput("/tmp")).hasMessageStartingWith("outputDir: ");
        assertThatThrownBy(() -> withOutput("/tmp/w")).hasMessageStartingWith("outputDir: ");
        assertThatThrownBy(() -> withOutput("/cache")).hasMessageStartingWith("outputDir: ");
        // a directory of its own is fine
        assertThat(withOutput("/srv/rpms/lustre").outputDir()).isEqualTo(Path.of("/srv/rpms/lustre"));
    }

    @Test
    void theWithheldDirectoryIsNeverTheCurrentDirectoryTheRootTheHomeOrAroundThem() {
        Path cwd = Path.of("").toAbsolutePath();
        String home = Path.of(System.getProperty("user.home")).toAbsolutePath().toString();
        assertThatThrownBy(() -> withWithheld("")).hasMessageStartingWith("withheldDir: the empty path is the current "
                + "directory");
        assertThatThrownBy(() -> withWithheld(".")).hasMessageStartingWith("withheldDir: '.' is the current directory");
        assertThatThrownBy(() -> withWithheld(cwd.getParent().toString())).hasMessageStartingWith("withheldDir: ");
        assertThatThrownBy(() -> withWithheld("/")).hasMessageStartingWith("withheldDir: '/' is the root directory");
        assertThatThrownBy(() -> withWithheld(home)).hasMessageStartingWith("withheldDir: '" + home
                + "' is the home directory");
        assertThatThrownBy(() -> withWithheld("/cache")).hasMessageStartingWith("withheldDir: ");
        assertThatThrownBy(() -> withWithheld("/tmp")).hasMessageStartingWith("withheldDir: ");
    }

    @Test
    void toolsGetTheAllowlistThePassedNamesAndTheExplicitVariablesButNoSecret() {
        Map<String, String> inherited = new java.util.HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/b",
                "LC_ALL", "C", "https_proxy", "http://proxy:3128", "CCACHE_DIR", "/var/ccache",
                "MLNX_LUSTRE_GIT_KEY_PASSPHRASE", "pass-phrase-1", "AWS_SECRET_ACCESS_KEY", "aws-secret-2",
                "JENKINS_API_TOKEN", "jenkins-token-3", "SITE_CFLAGS", "-O2"));
        inherited.put("bad name", "x");
        BuildSettings s = BuildSettings.defaults().withInherited(inherited)
                .withPassEnvironment(Set.of("SITE_CFLAGS", "NOT_SET")).withEnvironment(Map.of("LC_ALL", "en_US.UTF-8"));
        assertThat(s.toolEnvironment()).containsExactlyInAnyOrderEntriesOf(Map.of("PATH", "/usr/bin:/bin",
                "HOME", "/home/b", "LC_ALL", "en_US.UTF-8", "https_proxy", "http://proxy:3128",
                "CCACHE_DIR", "/var/ccache", "SITE_CFLAGS", "-O2"));
        assertThat(s.toString()).doesNotContain("pass-phrase-1", "aws-secret-2", "jenkins-token-3", "/home/b");
        assertThat(s.inheritedSecrets()).containsExactly("pass-phrase-1");
    }

    @Test
    void noPassphraseVariableIsPassedOrSet() {
        assertThatThrownBy(() -> BuildSettings.defaults().withPassEnvironment(Set.of("MLNX_LUSTRE_GIT_KEY_PASSPHRASE")))
                .hasMessageStartingWith("toolEnvironment: MLNX_LUSTRE_GIT_KEY_PASSPHRASE holds a key passphrase");
        assertThatThrownBy(() -> BuildSettings.defaults().withPassEnvironment(Set.of("1X")))
                .hasMessageStartingWith("toolEnvironment: '1X' is not a variable name");
        assertThatThrownBy(() -> BuildSettings.defaults().withEnvironment(Map.of("MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE",
                "x"))).hasMessageStartingWith("environment: MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE holds a key passphrase");
    }

    @Test
    void aVariableHoldingTheKeysPassphraseIsRefused() {
        io.github.mellanoxlustre.ssh.SshAuth auth = new io.github.mellanoxlustre.ssh.SshAuth(Path.of("/k/id"),
                "correct-horse".toCharArray(), Path.of("/k/known_hosts"));
        LustreSource git = new LustreSource.Git("ssh://git@review.local/lustre", "b2_15", Optional.of(auth));
        BuildSettings explicit = BuildSettings.defaults().withEnvironment(Map.of("GIT_PASS", "correct-horse"));
        assertThatThrownBy(() -> request(Path.of("/srv/out"), Path.of("/tmp/w"), explicit, git))
                .hasMessageStartingWith("environment: GIT_PASS holds a key passphrase")
                .hasMessageNotContaining("correct-horse");
        BuildSettings passed = BuildSettings.defaults().withInherited(Map.of("KEYPASS", "correct-horse"))
                .withPassEnvironment(Set.of("KEYPASS"));
        assertThatThrownBy(() -> request(Path.of("/srv/out"), Path.of("/tmp/w"), passed, git))
                .hasMessageStartingWith("toolEnvironment: KEYPASS holds a key passphrase");
        BuildSettings fromVariable = BuildSettings.defaults()
                .withInherited(Map.of("MLNX_LUSTRE_GIT_KEY_PASSPHRASE", "tr0ub4dor&3"))
                .withEnvironment(Map.of("COPY", "tr0ub4dor&3"));
        assertThatThrownBy(() -> request(Path.of("/srv/out"), Path.of("/tmp/w"), fromVariable))
                .hasMessageStartingWith("environment: COPY holds a key passphrase");
    }

    @Test
    void thePlanMasksEverySecretTheRequestKnows() {
        BuildSettings s = BuildSettings.defaults().withInherited(Map.of("MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE",
                "Hunter2Secret", "PATH", "/usr/bin"));
        BuildRequest r = request(Path.of("/srv/Hunter2Secret/out"), Path.of("/tmp/w"), s);
        String plan = new BuildEngine().plan(r).render();
        assertThat(plan).doesNotContain("Hunter2Secret").contains("/srv/****/out");
    }

    private static OfedSource bundleSource(String location, String sha256) {
        return new OfedSource.Bundle(BundleLocation.parse(location, sha256));
    }
}

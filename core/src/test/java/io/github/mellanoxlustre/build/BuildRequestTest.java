package io.github.mellanoxlustre.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ofed.SshAuth;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildRequestTest {
    static final String NAME = "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";
    static final LustreOptions CLIENT = new LustreOptions(false, Set.of(), Optional.empty(), Optional.empty(),
            Set.of(LustreOptions.Packaging.KMOD), 2);
    static final LustreSource LUSTRE = new LustreSource.Git(LustreSource.DEFAULT_URL, "b2_15", Optional.empty());

    static BuildRequest request(BundleLocation bundle, Optional<SshAuth> ssh, String policy, Path out, Path work) {
        return new BuildRequest(bundle, ssh, KernelTarget.detect(), RebuildMethod.SRPM_REBUILD, LUSTRE, CLIENT, policy,
                out, work, Path.of("/var/cache/mlnx-lustre"));
    }

    @Test
    void valid() {
        BuildRequest r = request(BundleLocation.parse("/srv/" + NAME, null), Optional.empty(), "distribute",
                Path.of("/out/repo"), Path.of("/work/job1"));
        assertThat(r.policy()).isEqualTo("distribute");
    }

    @Test
    void sshBundleNeedsCredentials() {
        BundleLocation sftp = BundleLocation.parse("sftp://u@h/x/" + NAME, null);
        assertThatThrownBy(() -> request(sftp, Optional.empty(), "distribute", Path.of("/out"), Path.of("/work")))
                .hasMessage("bundleCredentials: an sftp:// bundle needs an SSH private key and a known_hosts file");
        SshAuth auth = new SshAuth(Path.of("/k"), null, Path.of("/kh"));
        assertThat(request(sftp, Optional.of(auth), "internal", Path.of("/out"), Path.of("/work")).bundleSsh())
                .contains(auth);
    }

    @Test
    void outputAndWorkMustBeApart() {
        BundleLocation local = BundleLocation.parse("/srv/" + NAME, null);
        assertThatThrownBy(() -> request(local, Optional.empty(), "distribute", Path.of("/work/out"), Path.of("/work")))
                .hasMessageStartingWith("outputDir: '/work/out' and workDir '/work' must not contain one another");
        assertThatThrownBy(() -> request(local, Optional.empty(), "distribute", Path.of("/a"), Path.of("/a/b/../w")))
                .hasMessageStartingWith("outputDir:");
        assertThatThrownBy(() -> request(local, Optional.empty(), " ", Path.of("/out"), Path.of("/work")))
                .hasMessageStartingWith("policy: expected distribute, internal or a policy file path");
    }
}

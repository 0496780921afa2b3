package io.github.mellanoxlustre.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ssh.SshAuth;
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
        return new BuildRequest(new OfedSource.Bundle(bundle), ssh, KernelTarget.detect(), RebuildMethod.SRPM_REBUILD, LUSTRE, CLIENT, policy,
                out, work, Path.of("/var/cache/mlnx-lustre"));
    }

    @Test
    void valid() {
        BuildRequest r = request(BundleLocation.parse("/srv/" + NAME, null), Optional.empty(), "distribute",
                Path.of("/out/repo"), Path.of("/work/job1"));
        assertThat(r.policy()).isEqualTo("distribute");
    }

    @Test
    void publishingCannotReplaceItsOwnInputs() {
        OfedSource local = new OfedSource.Bundle(BundleLocation.parse("/srv/" + NAME, null));
        // the cache inside the output (or around it): --replace-output would delete it
        assertThatThrownBy(() -> new BuildRequest(local, Optional.empty(), KernelTarget.detect(),
                RebuildMethod.SRPM_REBUILD, LUSTRE, CLIENT, "distribute", Path.of("/srv/rpms"), Path.of("/work"),
                Path.of("/srv/rpms/cache")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("outputDir: '/srv/rpms' and cacheDir '/srv/rpms/cache' must not contain");
        assertThatThrownBy(() -> new BuildRequest(local, Optional.empty(), KernelTarget.detect(),
                RebuildMethod.SRPM_REBUILD, LUSTRE, CLIENT, "distribute", Path.of("/var/cache/x/rpms"),
                Path.of("/work"), Path.of("/var/cache")))
                .hasMessageStartingWith("outputDir: '/var/cache/x/rpms' and cacheDir '/var/cache'");
        // the withheld directory (default: <output>-withheld beside the output) around the cache
        assertThatThrownBy(() -> new BuildRequest(local, Optional.empty(), KernelTarget.detect(),
                RebuildMethod.SRPM_REBUILD, LUSTRE, CLIENT, "distribute", Path.of("/srv/rpms"), Path.of("/work"),
                Path.of("/srv/rpms-withheld/cache")))
                .hasMessageStartingWith("withheldDir: '/srv/rpms-withheld' and cacheDir");
        // a local bundle inside the output
        BundleLocation inside = BundleLocation.parse("/srv/rpms/" + NAME, null);
        assertThatThrownBy(() -> request(inside, Optional.empty(), "distribute", Path.of("/srv/rpms"), Path.of("/work")))
                .hasMessageStartingWith("outputDir: '/srv/rpms' must not contain the OFED input '/srv/rpms/" + NAME + "'");
        // a local Lustre tree inside the output
        for (String src : new String[] {"/srv/rpms/lustre-release", "/srv/rpms"}) {
            assertThatThrownBy(() -> new BuildRequest(local, Optional.empty(), KernelTarget.detect(),
                    RebuildMethod.SRPM_REBUILD, new LustreSource.Local(Path.of(src)), CLIENT, "distribute",
                    Path.of("/srv/rpms"), Path.of("/work"), Path.of("/var/cache/mlnx-lustre")))
                    .hasMessageStartingWith("outputDir: '/srv/rpms' must not contain the Lustre source directory '"
                            + src + "'");
        }
        // the output inside the Lustre tree (a Jenkins workspace checked out from lustre-release) is fine:
        // replacing the output removes only the output
        assertThat(new BuildRequest(local, Optional.empty(), KernelTarget.detect(), RebuildMethod.SRPM_REBUILD,
                new LustreSource.Local(Path.of("/ws")), CLIENT, "distribute", Path.of("/ws/rpms"),
                Path.of("/ws@tmp/work"), Path.of("/var/cache/mlnx-lustre")).outputDir()).isEqualTo(Path.of("/ws/rpms"));
        // beside one another is fine
        assertThat(new BuildRequest(local, Optional.empty(), KernelTarget.detect(), RebuildMethod.SRPM_REBUILD,
                new LustreSource.Local(Path.of("/src/lustre")), CLIENT, "distribute", Path.of("/srv/rpms"),
                Path.of("/work"), Path.of("/srv/cache")).cacheDir()).isEqualTo(Path.of("/srv/cache"));
    }

    @Test
    void sshBundleNeedsCredentials() {
        BundleLocation sftp = BundleLocation.parse("sftp://u@h/x/" + NAME, null);
        assertThatThrownBy(() -> request(sftp, Optional.empty(), "distribute", Path.of("/out"), Path.of("/work")))
                .hasMessage("bundleCredentials: an sftp:// OFED location needs an SSH private key and a known_hosts file");
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

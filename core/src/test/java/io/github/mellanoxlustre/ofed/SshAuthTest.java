package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SshAuthTest {
    @Test
    void passphraseNeverInToStringAndDefensivelyCopied() {
        char[] secret = "s3cret-pass".toCharArray();
        SshAuth auth = new SshAuth(Path.of("/keys/id_ed25519"), secret, Path.of("/keys/known_hosts"));
        assertThat(auth.toString()).doesNotContain("s3cret").contains("****").contains("/keys/id_ed25519")
                .contains("/keys/known_hosts");
        secret[0] = 'X';
        assertThat(auth.passphrase()).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("s3cret-pass"));
        auth.passphrase().get()[0] = 'Y';
        assertThat(new String(auth.passphrase().get())).isEqualTo("s3cret-pass");
    }

    @Test
    void withoutPassphrase() {
        SshAuth auth = new SshAuth(Path.of("k"), null, Path.of("kh"));
        assertThat(auth.passphrase()).isEmpty();
        assertThat(auth.toString()).contains("passphrase=none");
        assertThatThrownBy(() -> new SshAuth(null, null, Path.of("kh"))).hasMessageContaining("privateKey");
        assertThatThrownBy(() -> new SshAuth(Path.of("k"), null, null)).hasMessageContaining("knownHosts");
    }

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

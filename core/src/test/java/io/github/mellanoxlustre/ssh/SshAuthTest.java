package io.github.mellanoxlustre.ssh;

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
}

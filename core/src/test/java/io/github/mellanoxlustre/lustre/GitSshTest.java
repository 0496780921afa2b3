package io.github.mellanoxlustre.lustre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.ssh.SshAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSshTest {
    @TempDir
    Path dir;

    private static String run(Path dir, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }

    @Test
    void aKeyWithAPassphraseIsDecryptedIntoAPrivateFileThatCloseDeletes() throws Exception {
        Path key = dir.resolve("id_ed25519");
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret pass", "-C", "t", "-f", key.toString());
        Path kh = Files.writeString(dir.resolve("known_hosts"), "");
        String pub = run(dir, "ssh-keygen", "-y", "-P", "s3cret pass", "-f", key.toString()).trim();
        Path copy;
        try (GitSsh ssh = GitSsh.prepare(new SshAuth(key, "s3cret pass".toCharArray(), kh), dir.resolve("scratch"))) {
            copy = ssh.keyFile();
            assertThat(copy).isNotEqualTo(key);
            assertThat(Files.getPosixFilePermissions(copy)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(copy.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            // ssh-keygen reads the copy without a passphrase: it is the same key, unencrypted
            String fromCopy = run(dir, "ssh-keygen", "-y", "-P", "", "-f", copy.toString()).trim();
            assertThat(fromCopy.split(" ")[1]).isEqualTo(pub.split(" ")[1]);
            assertThat(ssh.sshCommand()).isEqualTo("ssh -i " + copy + " -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"
                    + " -o UserKnownHostsFile=" + kh.toAbsolutePath() + " -o BatchMode=yes");
            assertThat(ssh.sshCommand()).doesNotContain("s3cret");
        }
        assertThat(copy).doesNotExist();
        assertThat(copy.getParent()).doesNotExist();
    }

    @Test
    void aWrongPassphraseIsAClearError() throws Exception {
        Path key = dir.resolve("id_ed25519");
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "right", "-f", key.toString());
        Path kh = Files.writeString(dir.resolve("known_hosts"), "");
        assertThatThrownBy(() -> GitSsh.prepare(new SshAuth(key, "wrong".toCharArray(), kh), dir.resolve("s")))
                .hasMessageContaining("lustreKey: cannot decrypt").hasMessageNotContaining("wrong");
        try (var s = Files.list(dir.resolve("s"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void pathsAreQuotedForTheShellGitRuns() throws Exception {
        Path key = Files.writeString(Files.createDirectories(dir.resolve("it's a dir")).resolve("id"), "k");
        Path kh = Files.writeString(dir.resolve("kh"), "");
        try (GitSsh ssh = GitSsh.prepare(new SshAuth(key, null, kh), dir)) {
            assertThat(ssh.keyFile()).isEqualTo(key.toAbsolutePath());
            // the shell gives ssh exactly the path back
            String echoed = run(dir, "sh", "-c", "printf '%s\\n' " + ssh.sshCommand().substring(4));
            assertThat(echoed.lines().toList()).startsWith("-i", key.toAbsolutePath().toString());
        }
        Path spaced = Files.writeString(dir.resolve("known hosts"), "");
        assertThatThrownBy(() -> GitSsh.prepare(new SshAuth(key, null, spaced), dir))
                .hasMessageContaining("white space");
    }

    @Test
    void percentInPathsIsRefusedBecauseSshExpandsIt() throws Exception {
        Path key = Files.writeString(Files.createDirectories(dir.resolve("job%2Fbranch")).resolve("id"), "k");
        Path kh = Files.writeString(dir.resolve("kh"), "");
        assertThatThrownBy(() -> GitSsh.prepare(new SshAuth(key, null, kh), dir))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("lustreKey: ").hasMessageContaining("'%'");
        Path percentKh = Files.writeString(dir.resolve("kh%q"), "");
        Path plainKey = Files.writeString(dir.resolve("id"), "k");
        assertThatThrownBy(() -> GitSsh.prepare(new SshAuth(plainKey, null, percentKh), dir))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("lustreKnownHosts: ").hasMessageContaining("'%'");
        // what ssh itself does with such a path: a fatal token error, not a host key check
        Process ssh = new ProcessBuilder("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + percentKh, "-p", "1", "127.0.0.1", "true")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ssh.waitFor()).isNotZero();
        assertThat(out).contains("unknown key %q");
    }

    @Test
    void environmentReferencesInPathsAreRefusedBecauseSshExpandsThem() throws Exception {
        Path key = Files.writeString(Files.createDirectories(dir.resolve("${HOME}")).resolve("id"), "k");
        Path kh = Files.writeString(dir.resolve("kh"), "");
        assertThatThrownBy(() -> GitSsh.prepare(new SshAuth(key, null, kh), dir))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("lustreKey: ").hasMessageContaining("'${'");
        Path envKh = Files.writeString(dir.resolve("kh${USER}"), "");
        Path plainKey = Files.writeString(dir.resolve("id"), "k");
        assertThatThrownBy(() -> GitSsh.prepare(new SshAuth(plainKey, null, envKh), dir))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("lustreKnownHosts: ");
    }

    @Test
    void mirrorNamesAreStableAndDistinct() {
        GitMirror m = new GitMirror(dir);
        Path a = m.mirrorDir("https://github.com/lustre/lustre-release.git");
        assertThat(a.getFileName().toString()).startsWith("lustre-release-").endsWith(".git");
        assertThat(a).isEqualTo(m.mirrorDir("https://github.com/lustre/lustre-release.git"));
        assertThat(List.of(m.mirrorDir("ssh://review.whamcloud.com:29418/fs/lustre-release"),
                m.mirrorDir("git@github.com:me/lustre-release.git"))).doesNotContain(a).doesNotHaveDuplicates();
    }
}

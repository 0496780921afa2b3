package io.github.mellanoxlustre.lustre;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.ssh.SshAuth;
import io.github.mellanoxlustre.testing.LoopbackSshServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real git and OpenSSH client, driven by {@link GitSsh#environment()}, against a real SSH server
 * on loopback: the key (decrypted from its passphrase) is used, and the host key is verified against
 * exactly the given known_hosts file: unknown and changed keys are refused and never added.
 */
class GitSshLoopbackTest {
    @TempDir
    Path dir;

    private LoopbackSshServer server;
    private String url;

    @BeforeEach
    void serveARepository() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        Path work = Files.createDirectories(dir.resolve("work"));
        git(work, Map.of(), "init", "-q", "-b", "b2_15");
        Files.writeString(work.resolve("lustre.spec.in"), "Name: lustre\n");
        git(work, Map.of(), "add", ".");
        git(work, Map.of(), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "one");
        git(dir, Map.of(), "clone", "-q", "--bare", work.toString(), served.resolve("lustre.git").toString());
        server = LoopbackSshServer.start(served);
        url = "ssh://" + LoopbackSshServer.USER + "@127.0.0.1:" + server.port() + "/lustre.git";
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void fetchesWithTheKeyWhenTheHostKeyIsKnown() throws Exception {
        try (GitSsh ssh = GitSsh.prepare(server.clientAuth(), dir.resolve("scratch"))) {
            Result r = git(dir, ssh.environment(), "ls-remote", url);
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("refs/heads/b2_15");
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedAndNotRecorded() throws Exception {
        Path empty = Files.writeString(dir.resolve("known_hosts_empty"), "");
        try (GitSsh ssh = GitSsh.prepare(new io.github.mellanoxlustre.ssh.SshAuth(server.clientKey(),
                server.clientKeyPassphrase(), empty), dir.resolve("scratch"))) {
            Result r = git(dir, ssh.environment(), "ls-remote", url);
            assertThat(r.exit()).isNotZero();
            assertThat(r.output()).contains("Host key verification failed");
            assertThat(r.output()).doesNotContain("refs/heads/b2_15");
        }
        assertThat(Files.readString(empty)).isEmpty();
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        Path other = dir.resolve("other_host_key");
        LoopbackSshServer.sshKeygen("-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        Path wrong = server.writeKnownHosts(dir.resolve("known_hosts_wrong"), Path.of(other + ".pub"));
        try (GitSsh ssh = GitSsh.prepare(new io.github.mellanoxlustre.ssh.SshAuth(server.clientKey(),
                server.clientKeyPassphrase(), wrong), dir.resolve("scratch"))) {
            Result r = git(dir, ssh.environment(), "ls-remote", url);
            assertThat(r.exit()).isNotZero();
            assertThat(r.output()).contains("Host key verification failed");
            assertThat(r.output()).doesNotContain("refs/heads/b2_15");
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result git(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>();
        argv.add("git");
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("git " + String.join(" ", args) + " did not finish: " + out);
        }
        if (env.isEmpty() && p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}

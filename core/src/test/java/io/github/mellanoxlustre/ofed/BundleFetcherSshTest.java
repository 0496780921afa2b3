package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.ssh.HostKeyRejectedException;
import io.github.mellanoxlustre.ssh.SshAuth;
import io.github.mellanoxlustre.testing.LoopbackSshServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** sftp:// and scp:// bundles from a real SSH server on loopback. */
class BundleFetcherSshTest {
    static final String NAME = "MLNX_OFED_LINUX-23.10-1.1.9.0-rhel9.2-x86_64.tgz";

    @TempDir
    static Path shared;
    static LoopbackSshServer ssh;
    static byte[] content;
    static String sum;

    @TempDir
    Path tmp;
    Path dest;
    final List<String> log = new CopyOnWriteArrayList<>();
    final BundleFetcher fetcher = new BundleFetcher(
            new BundleFetcher.Settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 512 * 1024));

    @BeforeAll
    static void server() throws Exception {
        Path served = Files.createDirectories(shared.resolve("served/pub/ofed"));
        content = new byte[2 * 1024 * 1024 + 3];
        new Random(7).nextBytes(content);
        Files.write(served.resolve(NAME), content);
        sum = BundleFetcherTest.sha256(content);
        ssh = LoopbackSshServer.start(shared.resolve("served"));
    }

    @AfterAll
    static void stop() throws IOException {
        ssh.close();
    }

    @BeforeEach
    void dest() {
        dest = tmp.resolve("work");
        ssh.stallAfter(-1);
    }

    private BundleLocation at(String scheme, String sha) {
        return BundleLocation.parse(ssh.url(scheme, "pub/ofed/" + NAME), sha);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sftp", "scp"})
    void fetchesWithEncryptedEd25519Key(String scheme) throws Exception {
        FetchedBundle got = fetcher.fetch(at(scheme, sum), Optional.of(ssh.clientAuth()), dest, log::add);
        assertThat(got).isEqualTo(new FetchedBundle(dest.resolve(NAME), sum, content.length));
        assertThat(got.file()).hasBinaryContent(content);
        String hostFingerprint = fingerprint(ssh.hostPublicKey());
        assertThat(log).anyMatch(l -> l.contains("connected to 127.0.0.1 port " + ssh.port() + " as tester")
                && l.contains("ssh-ed25519 " + hostFingerprint));
        assertThat(log).filteredOn(l -> l.matches("bundle: \\d\\.\\d MiB of 2\\.0 MiB \\(\\d+%\\)")).hasSizeGreaterThan(2);
        assertThat(log).last().asString().contains("matches the expected checksum");
        assertThat(String.join("\n", log)).doesNotContain(new String(ssh.clientKeyPassphrase()));
    }

    @Test
    void fetchesWithPemRsaKey() throws Exception {
        Path key = tmp.resolve("id_rsa");
        LoopbackSshServer.sshKeygen("-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "pem pass", "-f", key.toString());
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----").contains("ENCRYPTED");
        ssh.authorize(tmp.resolve("id_rsa.pub"));
        SshAuth auth = new SshAuth(key, "pem pass".toCharArray(), ssh.knownHosts());
        assertThat(fetcher.fetch(at("sftp", null), Optional.of(auth), dest, log::add).sha256()).isEqualTo(sum);
        assertThat(log).last().asString().contains("no checksum was given");
    }

    @Test
    void fetchesWithUnencryptedKeyAndNoPassphrase() throws Exception {
        Path key = tmp.resolve("id_ecdsa");
        LoopbackSshServer.sshKeygen("-q", "-t", "ecdsa", "-N", "", "-f", key.toString());
        ssh.authorize(tmp.resolve("id_ecdsa.pub"));
        assertThat(fetcher.fetch(at("scp", sum), Optional.of(new SshAuth(key, null, ssh.knownHosts())), dest, log::add)
                .size()).isEqualTo(content.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sftp", "scp"})
    void unknownHostKeyIsRefused(String scheme) throws Exception {
        Path empty = Files.writeString(tmp.resolve("known_hosts"), "# nothing yet\n");
        SshAuth auth = new SshAuth(ssh.clientKey(), ssh.clientKeyPassphrase(), empty);
        String fp = fingerprint(ssh.hostPublicKey());
        assertThatThrownBy(() -> fetcher.fetch(at(scheme, sum), Optional.of(auth), dest, log::add))
                .isInstanceOf(HostKeyRejectedException.class)
                .hasMessageContaining("host key of 127.0.0.1 port " + ssh.port())
                .hasMessageContaining("ssh-ed25519 " + fp)
                .hasMessageContaining("is not in the known_hosts file " + empty)
                .hasMessageContaining("add its key")
                .satisfies(e -> {
                    HostKeyRejectedException h = (HostKeyRejectedException) e;
                    assertThat(h.host()).isEqualTo("127.0.0.1");
                    assertThat(h.port()).isEqualTo(ssh.port());
                    assertThat(h.fingerprint()).isEqualTo("ssh-ed25519 " + fp);
                });
        assertThat(Files.readString(empty)).isEqualTo("# nothing yet\n"); // nothing was added
        assertThat(dest).isEmptyDirectory();
    }

    @Test
    void keyKnownForAnotherPortIsUnknownHere() throws Exception {
        String line = Files.readString(ssh.knownHosts()).replace("]:" + ssh.port() + " ", "]:2" + " ");
        Path other = Files.writeString(tmp.resolve("known_hosts"), line);
        assertThatThrownBy(() -> fetcher.fetch(at("sftp", sum),
                Optional.of(new SshAuth(ssh.clientKey(), ssh.clientKeyPassphrase(), other)), dest, log::add))
                .isInstanceOf(HostKeyRejectedException.class)
                .hasMessageContaining("is not in the known_hosts file");
    }

    @Test
    void changedHostKeyIsRefused() throws Exception {
        Path otherKey = tmp.resolve("other_host_key");
        LoopbackSshServer.sshKeygen("-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString());
        Path changed = ssh.writeKnownHosts(tmp.resolve("known_hosts"), tmp.resolve("other_host_key.pub"));
        String before = Files.readString(changed);
        SshAuth auth = new SshAuth(ssh.clientKey(), ssh.clientKeyPassphrase(), changed);
        assertThatThrownBy(() -> fetcher.fetch(at("sftp", sum), Optional.of(auth), dest, log::add))
                .isInstanceOf(HostKeyRejectedException.class)
                .hasMessageContaining("ssh-ed25519 " + fingerprint(ssh.hostPublicKey()))
                .hasMessageContaining("DIFFERS from the one recorded in " + changed)
                .hasMessageContaining(fingerprint(tmp.resolve("other_host_key.pub")));
        assertThat(Files.readString(changed)).isEqualTo(before);
    }

    @Test
    void missingKnownHostsFileIsAnError() {
        SshAuth auth = new SshAuth(ssh.clientKey(), ssh.clientKeyPassphrase(), tmp.resolve("no_known_hosts"));
        assertThatThrownBy(() -> fetcher.fetch(at("sftp", sum), Optional.of(auth), dest, log::add))
                .hasMessageContaining("known_hosts file " + tmp.resolve("no_known_hosts") + " does not exist");
    }

    @Test
    void wrongPassphraseErrorDoesNotLeakIt() {
        String wrong = "Wrong-Passphrase-123";
        SshAuth auth = new SshAuth(ssh.clientKey(), wrong.toCharArray(), ssh.knownHosts());
        assertThat(auth.toString()).doesNotContain(wrong).contains("****");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> fetcher.fetch(at("sftp", sum), Optional.of(auth), dest, log::add));
        assertThat(t).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read the SSH private key " + ssh.clientKey())
                .hasMessageContaining("wrong passphrase");
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(wrong).doesNotContain(new String(ssh.clientKeyPassphrase()));
        assertThat(String.join("\n", log)).doesNotContain(wrong);
    }

    @Test
    void encryptedKeyWithoutPassphrase() {
        SshAuth auth = new SshAuth(ssh.clientKey(), null, ssh.knownHosts());
        assertThatThrownBy(() -> fetcher.fetch(at("sftp", sum), Optional.of(auth), dest, log::add))
                .hasMessageContaining("cannot read the SSH private key")
                .hasMessageContaining("give its passphrase");
    }

    @Test
    void encryptedPkcs8KeyIsExplained() throws Exception {
        Path key = tmp.resolve("id_pkcs8");
        LoopbackSshServer.sshKeygen("-q", "-t", "ecdsa", "-m", "PKCS8", "-N", "p8 pass", "-f", key.toString());
        SshAuth auth = new SshAuth(key, "p8 pass".toCharArray(), ssh.knownHosts());
        assertThatThrownBy(() -> fetcher.fetch(at("sftp", sum), Optional.of(auth), dest, log::add))
                .hasMessageContaining("encrypted PKCS#8").hasMessageContaining("ssh-keygen -p -f");
    }

    @Test
    void keyTheServerDoesNotKnowIsRejected() throws Exception {
        Path key = tmp.resolve("id_stranger");
        LoopbackSshServer.sshKeygen("-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        SshAuth auth = new SshAuth(key, null, ssh.knownHosts());
        assertThatThrownBy(() -> fetcher.fetch(at("sftp", sum), Optional.of(auth), dest, log::add))
                .hasMessageContaining("tester@127.0.0.1 port " + ssh.port() + " did not accept the SSH key " + key)
                .hasMessageContaining("ssh-ed25519 " + fingerprint(tmp.resolve("id_stranger.pub")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sftp", "scp"})
    void missingRemoteFile(String scheme) {
        BundleLocation loc = BundleLocation.parse(ssh.url(scheme, "pub/" + NAME), null);
        assertThatThrownBy(() -> fetcher.fetch(loc, Optional.of(ssh.clientAuth()), dest, log::add))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(loc.toString());
        assertThat(dest).isEmptyDirectory();
    }

    @Test
    void badChecksumOverSftpDeletesTheCopy() {
        String zero = "0".repeat(64);
        assertThatThrownBy(() -> fetcher.fetch(at("sftp", zero), Optional.of(ssh.clientAuth()), dest, log::add))
                .isInstanceOf(BundleChecksumException.class)
                .hasMessageContaining(zero).hasMessageContaining(sum);
        assertThat(dest).isEmptyDirectory();
    }

    @Test
    void stalledTransferIsAbandoned() {
        ssh.stallAfter(300_000);
        BundleFetcher quick = new BundleFetcher(new BundleFetcher.Settings(Duration.ofSeconds(10), Duration.ofMillis(800), 0));
        assertThatThrownBy(() -> quick.fetch(at("sftp", sum), Optional.of(ssh.clientAuth()), dest, log::add))
                .hasMessageContaining("sent nothing for 800 ms");
        assertThat(dest).isEmptyDirectory();
    }

    @Test
    void interruptClosesTheConnectionAndDeletesThePartialFile() throws Exception {
        ssh.stallAfter(300_000);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                fetcher.fetch(at("sftp", sum), Optional.of(ssh.clientAuth()), dest, log::add);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        Path part = dest.resolve(NAME + ".part");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(part) && Files.size(part) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long interrupted = System.nanoTime();
        worker.interrupt();
        worker.join(10_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(5));
        assertThat(failure.get()).isInstanceOf(InterruptedIOException.class).hasMessageContaining("interrupted");
        assertThat(part).doesNotExist();
    }

    @Test
    void sshLocationWithoutCredentials() {
        assertThatThrownBy(() -> fetcher.fetch(at("sftp", sum), Optional.empty(), dest, log::add))
                .hasMessageContaining("bundleCredentials");
    }

    /** The SHA256:... fingerprint the real ssh-keygen computes. */
    static String fingerprint(Path publicKey) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return out.split("\\s+")[1];
    }
}

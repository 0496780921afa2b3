package io.github.mellanoxlustre.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.scp.client.ScpClient;
import org.apache.sshd.scp.client.ScpClientCreator;
import org.apache.sshd.scp.common.ScpTransferEventListener;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Reads a file over {@code sftp} or {@code scp} with the Apache MINA SSHD client (how OFED bundles,
 * source RPMs and DOCA source archives are fetched from {@code sftp://} and {@code scp://} locations).
 *
 * <ul>
 *   <li>The server's host key must be in the given known_hosts file (OpenSSH format, hashed or plain
 *       host names, {@code [host]:port} for other ports). An unknown or changed key is refused with a
 *       {@link HostKeyRejectedException} naming the host and the presented key's fingerprint; nothing
 *       is ever added to the file and no key is accepted blindly.</li>
 *   <li>Authentication is public key only, with the given private key file (OpenSSH format, or PEM
 *       {@code BEGIN RSA/EC PRIVATE KEY}, optionally encrypted; Ed25519, ECDSA and RSA keys). Nothing
 *       is read from {@code ~/.ssh}: neither config, nor default keys, nor an agent.</li>
 *   <li>Connecting and authenticating each have the connect timeout; a
 *       transfer that receives nothing for the read timeout is abandoned.</li>
 *   <li>The transfer runs on a helper thread: an interrupt of the calling thread (an aborted build)
 *       closes the connection at once, whatever the SSH library does with interrupts.</li>
 *   <li>The passphrase is handed to the key decoder only; it is not logged and appears in no message.</li>
 * </ul>
 */
public final class SshDownload {
    private static final int BUFFER = 1 << 16;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /**
     * @param connectTimeout for connecting and for authenticating, each
     * @param readTimeout    how long a transfer may receive nothing before it is abandoned
     */
    public SshDownload(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    }

    /**
     * Writes {@code location}'s bytes to {@code sink}; {@code log} gets the connection line (host, user,
     * the host key found in known_hosts). An interrupt aborts the transfer.
     *
     * @throws HostKeyRejectedException when the server's key is not the one known_hosts has for it
     * @throws IOException              when the key, the connection, the login or the transfer fails
     */
    public void download(RemoteFile location, SshAuth auth, DownloadSink sink, Consumer<String> log)
            throws IOException {
        checkReadable(auth.knownHosts(), "known_hosts file");
        checkReadable(auth.privateKey(), "SSH private key");
        List<KeyPair> keys = loadKeys(auth);

        SshClient client = SshClient.setUpDefaultClient();
        RejectingKnownHosts verifier = new RejectingKnownHosts(location, auth.knownHosts());
        client.setServerKeyVerifier(verifier);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setPasswordIdentityProvider(null);
        CoreModuleProperties.AUTH_TIMEOUT.set(client, connectTimeout);
        client.start();
        FutureTask<Void> task = new FutureTask<>(() -> {
            transfer(client, verifier, location, auth, keys, sink, log);
            return null;
        });
        Thread worker = new Thread(task, "bundle-" + location.scheme());
        worker.setDaemon(true);
        try {
            worker.start();
            task.get();
        } catch (InterruptedException e) {
            client.stop(); // closes the session: the helper thread's blocked read fails
            joinQuietly(worker);
            Thread.currentThread().interrupt();
            throw interrupted(location, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("bundle: reading " + location + " failed: " + describe(cause), cause);
        } finally {
            client.stop();
        }
    }

    private void transfer(SshClient client, RejectingKnownHosts verifier, RemoteFile location, SshAuth auth,
                          List<KeyPair> keys, DownloadSink sink, Consumer<String> log) throws IOException {
        Duration connect = connectTimeout;
        ClientSession session;
        try {
            session = client.connect(location.user(), location.host(), location.port()).verify(connect).getSession();
        } catch (IOException | RuntimeException e) {
            verifier.throwIfRejected(e);
            throw new IOException("bundle: cannot connect to " + location.host() + " port " + location.port() + ": "
                    + describe(e), e);
        }
        try (session) {
            for (KeyPair key : keys) {
                session.addPublicKeyIdentity(key);
            }
            try {
                session.auth().verify(connect);
            } catch (IOException | RuntimeException e) {
                verifier.throwIfRejected(e);
                throw new IOException("bundle: " + location.user() + "@" + location.host() + " port " + location.port()
                        + " did not accept the SSH key " + auth.privateKey() + " (" + KeyUtils.getKeyType(keys.get(0).getPublic())
                        + " " + KeyUtils.getFingerPrint(keys.get(0).getPublic()) + "): " + describe(e), e);
            }
            verifier.throwIfRejected(null);
            log.accept("bundle: connected to " + location.host() + " port " + location.port() + " as " + location.user()
                    + ", host key " + verifier.acceptedKey() + " found in " + auth.knownHosts());
            try (StallWatchdog watchdog = new StallWatchdog(location.scheme(), readTimeout, sink::count,
                    () -> session.close(true))) {
                try {
                    if ("scp".equals(location.scheme())) {
                        scp(session, location, sink);
                    } else {
                        sftp(session, location, sink);
                    }
                } catch (IOException | RuntimeException e) {
                    if (watchdog.stalled()) {
                        throw new IOException("bundle: " + location + " sent nothing for "
                                + seconds(readTimeout) + " after " + sink.count()
                                + " bytes; transfer abandoned", e);
                    }
                    throw e;
                }
            }
        }
    }

    private static void sftp(ClientSession session, RemoteFile location, DownloadSink sink) throws IOException {
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            SftpClient.Attributes attributes;
            try {
                attributes = sftp.stat(location.path());
            } catch (SftpException e) {
                if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                    throw new IOException("bundle: no such file on the server: " + location, e);
                }
                throw new IOException("bundle: cannot read " + location + ": " + describe(e), e);
            }
            if (!attributes.isRegularFile()) {
                throw new IOException("bundle: " + location + " is not a regular file");
            }
            sink.expectedSize(attributes.getSize());
            try (InputStream in = sftp.read(location.path())) {
                copy(in, sink.stream());
            }
        }
    }

    private static void scp(ClientSession session, RemoteFile location, DownloadSink sink) throws IOException {
        ScpTransferEventListener sizes = new ScpTransferEventListener() {
            @Override
            public void startFileEvent(Session s, FileOperation op, Path file, long length,
                                       Set<PosixFilePermission> perms) {
                sink.expectedSize(length);
            }
        };
        ScpClient scp = ScpClientCreator.instance().createScpClient(session, sizes);
        try {
            scp.download(location.path(), sink.stream());
        } catch (IOException e) {
            if (e instanceof InterruptedIOException) {
                throw e;
            }
            throw new IOException("bundle: scp of " + location + " failed: " + describe(e), e);
        }
    }

    /** Loads the key pair(s) from the key file; errors never show the passphrase. */
    static List<KeyPair> loadKeys(SshAuth auth) throws IOException {
        Path file = auth.privateKey();
        String head;
        try (InputStream in = Files.newInputStream(file)) {
            head = new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
        }
        if (head.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IOException("bundleCredentials: the SSH private key " + file + " is an encrypted PKCS#8 key, "
                    + "which is not supported; convert it to the OpenSSH format with 'ssh-keygen -p -f <key>'");
        }
        Optional<char[]> passphrase = auth.passphrase();
        FilePasswordProvider provider = passphrase.isPresent()
                ? FilePasswordProvider.of(new String(passphrase.get()))
                : FilePasswordProvider.EMPTY;
        passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, provider);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            String why = passphrase.isPresent()
                    ? "wrong passphrase, or not an OpenSSH or PEM private key"
                    : "it may be encrypted (give its passphrase), or it is not an OpenSSH or PEM private key";
            // The cause carries only the decoder's finding (never the passphrase).
            throw new IOException("bundleCredentials: cannot read the SSH private key " + file + ": " + why + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (keys.isEmpty()) {
            throw new IOException("bundleCredentials: no private key found in " + file
                    + "; expected an OpenSSH ('BEGIN OPENSSH PRIVATE KEY') or PEM private key");
        }
        return keys;
    }

    private static void checkReadable(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("bundleCredentials: the " + what + " " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("bundleCredentials: the " + what + " " + file + " is not readable");
        }
    }

    private static InterruptedIOException interrupted(RemoteFile location, Exception cause) {
        InterruptedIOException e = new InterruptedIOException("bundle: transfer of " + location
                + " interrupted (build aborted)");
        e.initCause(cause);
        return e;
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * known_hosts verification whose delegate rejects everything: an unknown or changed host key is
     * refused, and the reason (host and fingerprint) kept for the error message.
     */
    static final class RejectingKnownHosts extends KnownHostsServerKeyVerifier {
        private final RemoteFile location;
        private final Path file;
        private volatile HostKeyRejectedException rejection;
        private volatile String accepted;

        RejectingKnownHosts(RemoteFile location, Path file) {
            super(RejectAllServerKeyVerifier.INSTANCE, file);
            this.location = location;
            this.file = file;
        }

        @Override
        public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
            boolean ok = super.verifyServerKey(session, remote, serverKey);
            if (ok) {
                accepted = describe(serverKey);
            } else if (rejection == null) {
                reject(serverKey, "was refused by the known_hosts check (revoked or unreadable entry)");
            }
            return ok;
        }

        @Override
        protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
            reject(serverKey, "is not in the known_hosts file " + file + ". If this is the right server (check the "
                    + "fingerprint with its administrator), add its key to that file, e.g. with 'ssh-keyscan"
                    + (location.port() == 22 ? "" : " -p " + location.port()) + " " + location.host() + "' or by "
                    + "connecting once with ssh");
            return false;
        }

        @Override
        public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
                                               PublicKey expected, PublicKey actual) {
            reject(actual, "DIFFERS from the one recorded in " + file + " (" + describe(expected) + "). Someone may "
                    + "be intercepting the connection, or the server was reinstalled: confirm the new fingerprint "
                    + "with its administrator before replacing the entry");
            return false;
        }

        @Override
        protected boolean acceptIncompleteHostKeys(ClientSession session, SocketAddress remote, PublicKey serverKey,
                                                   Throwable reason) {
            reject(serverKey, "could not be checked: the known_hosts file " + file + " cannot be read ("
                    + SshDownload.describe(reason) + ")");
            return false;
        }

        private void reject(PublicKey key, String why) {
            String fingerprint = describe(key);
            rejection = new HostKeyRejectedException(location.host(), location.port(), fingerprint,
                    "bundle: the SSH host key of " + location.host() + " port " + location.port() + " (" + fingerprint
                            + ") " + why + "; connection refused");
        }

        private static String describe(PublicKey key) {
            return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
        }

        String acceptedKey() {
            return accepted;
        }

        void throwIfRejected(Throwable cause) throws HostKeyRejectedException {
            HostKeyRejectedException r = rejection;
            if (r != null) {
                HostKeyRejectedException copy = new HostKeyRejectedException(r.host(), r.port(), r.fingerprint(),
                        r.getMessage());
                if (cause != null) {
                    copy.initCause(cause);
                }
                throw copy;
            }
        }
    }
}

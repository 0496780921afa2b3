package io.github.mellanoxlustre.testing;

import io.github.mellanoxlustre.ssh.SshAuth;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.scp.server.ScpCommandFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * A real SSH server on 127.0.0.1 (random port), Apache MINA SSHD with SFTP, SCP and
 * {@code git-upload-pack} (for git's ssh transport), serving the files
 * under a directory ({@code sftp://tester@127.0.0.1:<port>/<relative path>}). Keys are made with the
 * real {@code ssh-keygen}: an Ed25519 host key, written to a known_hosts file for clients, and an
 * Ed25519 client key in OpenSSH format encrypted with {@link #clientKeyPassphrase()}, the only key
 * in the server's authorized_keys (publickey authentication only).
 *
 * <pre>{@code
 * try (LoopbackSshServer ssh = LoopbackSshServer.start(dir)) {
 *     BundleLocation loc = BundleLocation.parse(ssh.url("sftp", "MLNX_OFED_LINUX-....tgz"), null);
 *     fetcher.fetch(loc, Optional.of(ssh.clientAuth()), work, log);
 * }
 * }</pre>
 */
public final class LoopbackSshServer implements AutoCloseable {
    /** The user name the server accepts. */
    public static final String USER = "tester";

    private static final String PASSPHRASE = "loopback-passphrase-7c1e";

    private final Path keys;
    private final Path knownHosts;
    private final Path clientKey;
    private final Path authorizedKeys;
    private final Path hostKey;
    private final SshServer server;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile long stallAfter = -1;

    private LoopbackSshServer(Path root) throws IOException {
        Path served = root.toAbsolutePath().normalize();
        keys = Files.createTempDirectory("loopback-ssh");
        hostKey = keys.resolve("ssh_host_ed25519_key");
        clientKey = keys.resolve("id_ed25519");
        authorizedKeys = keys.resolve("authorized_keys");
        knownHosts = keys.resolve("known_hosts");
        sshKeygen("-q", "-t", "ed25519", "-N", "", "-C", "loopback host", "-f", hostKey.toString());
        sshKeygen("-q", "-t", "ed25519", "-N", PASSPHRASE, "-C", "loopback client", "-f", clientKey.toString());
        Files.copy(keys.resolve("id_ed25519.pub"), authorizedKeys);

        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new FileKeyPairProvider(hostKey));
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys) {
            @Override
            protected boolean isValidUsername(String username, org.apache.sshd.server.session.ServerSession session) {
                return USER.equals(username);
            }
        });
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setFileSystemFactory(new VirtualFileSystemFactory(served));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder()
                .withFileSystemAccessor(new StallingAccessor())
                .build()));
        server.setCommandFactory(new ScpCommandFactory.Builder().withDelegate(gitCommands(served)).build());
        server.start();
        writeKnownHosts(knownHosts, hostKey.resolveSibling("ssh_host_ed25519_key.pub"));
    }

    /**
     * Exec requests other than scp: only {@code git-upload-pack '<path>'} (what git's ssh transport
     * sends for a fetch or clone), run as the real {@code git-upload-pack} (argv, no shell) on the
     * repository below the served root.
     */
    private static CommandFactory gitCommands(Path served) {
        return (channel, command) -> {
            List<String> words = CommandFactory.split(command);
            if (words.size() != 2 || !"git-upload-pack".equals(words.get(0))) {
                throw new IOException("loopback server: unsupported command " + command);
            }
            String path = words.get(1).replaceAll("^'(.*)'$", "$1").replaceAll("^/+", "");
            Path repo = served.resolve(path).normalize();
            if (!repo.startsWith(served)) {
                throw new IOException("loopback server: " + path + " is outside the served directory");
            }
            return new ProcessShellFactory("git-upload-pack", "git-upload-pack", repo.toString()).createShell(channel);
        };
    }

    /** Starts serving the files under {@code root}. */
    public static LoopbackSshServer start(Path root) throws IOException {
        return new LoopbackSshServer(root);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getPort();
    }

    /** {@code <scheme>://tester@127.0.0.1:<port>/<path>}. */
    public String url(String scheme, String path) {
        return scheme + "://" + USER + "@127.0.0.1:" + port() + "/" + (path.startsWith("/") ? path.substring(1) : path);
    }

    /** A known_hosts file holding this server's host key ({@code [127.0.0.1]:<port> ssh-ed25519 ...}). */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The server's public host key file (OpenSSH {@code .pub} format). */
    public Path hostPublicKey() {
        return hostKey.resolveSibling("ssh_host_ed25519_key.pub");
    }

    /** The authorized client's private key: Ed25519, OpenSSH format, encrypted. */
    public Path clientKey() {
        return clientKey;
    }

    /** The client key's passphrase (a fresh copy). */
    public char[] clientKeyPassphrase() {
        return PASSPHRASE.toCharArray();
    }

    /** Credentials that work: the client key, its passphrase and the known_hosts file. */
    public SshAuth clientAuth() {
        return new SshAuth(clientKey, clientKeyPassphrase(), knownHosts);
    }

    /** Also accepts the public key in {@code publicKeyFile} (OpenSSH {@code .pub} format). */
    public LoopbackSshServer authorize(Path publicKeyFile) throws IOException {
        Files.writeString(authorizedKeys, Files.readString(publicKeyFile), StandardOpenOption.APPEND);
        return this;
    }

    /**
     * Writes a known_hosts file for this server's address that holds {@code publicKeyFile}'s key
     * instead of the real one (a "changed host key").
     */
    public Path writeKnownHosts(Path file, Path publicKeyFile) throws IOException {
        String[] parts = Files.readString(publicKeyFile).trim().split("\\s+");
        Files.writeString(file, "[127.0.0.1]:" + port() + " " + parts[0] + " " + parts[1] + "\n");
        return file;
    }

    /** SFTP reads of any file stop after {@code bytes} bytes until the server is closed. */
    public LoopbackSshServer stallAfter(long bytes) {
        stallAfter = bytes;
        return this;
    }

    /** Runs the real ssh-keygen (argv, no shell). */
    public static void sshKeygen(String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>();
        argv.add("ssh-keygen");
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("ssh-keygen failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        try {
            server.stop(true);
        } finally {
            Files.walkFileTree(keys, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    /** Serves files normally, or stalls reads past {@link #stallAfter(long)}. */
    private final class StallingAccessor implements SftpFileSystemAccessor {
        @Override
        public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file,
                                            String handle, Set<? extends OpenOption> options,
                                            FileAttribute<?>... attrs) throws IOException {
            SeekableByteChannel real = SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle,
                    options, attrs);
            return new SeekableByteChannel() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    long limit = stallAfter;
                    if (limit >= 0 && real.position() >= limit) {
                        try {
                            closing.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new IOException("server closing");
                    }
                    if (limit >= 0 && real.position() + dst.remaining() > limit) {
                        ByteBuffer slice = dst.slice();
                        slice.limit((int) (limit - real.position()));
                        int n = real.read(slice);
                        dst.position(dst.position() + Math.max(n, 0));
                        return n;
                    }
                    return real.read(dst);
                }

                @Override
                public int write(ByteBuffer src) throws IOException {
                    return real.write(src);
                }

                @Override
                public long position() throws IOException {
                    return real.position();
                }

                @Override
                public SeekableByteChannel position(long p) throws IOException {
                    real.position(p);
                    return this;
                }

                @Override
                public long size() throws IOException {
                    return real.size();
                }

                @Override
                public SeekableByteChannel truncate(long size) throws IOException {
                    real.truncate(size);
                    return this;
                }

                @Override
                public boolean isOpen() {
                    return real.isOpen();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }
    }
}

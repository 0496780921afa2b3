package io.github.mellanoxlustre.lustre;

import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.process.ShellQuote;
import io.github.mellanoxlustre.ssh.SshAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * SSH for git: the {@code GIT_SSH_COMMAND} that makes git's ssh use exactly one key and verify the
 * server against one known_hosts file:
 * {@code ssh -i <key> -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=<kh>
 * -o BatchMode=yes}. Git runs that value through a shell, so each path is single-quoted
 * ({@link ShellQuote}); the known_hosts path may not contain white space, which ssh would split, and
 * neither path may contain {@code %}, which ssh expands as a token (an unknown one is fatal).
 *
 * <p>A key with a passphrase is decrypted here (Apache MINA SSHD reads OpenSSH and PEM keys) and
 * written unencrypted to a 0600 file in a 0700 directory that {@link #close()} deletes, so ssh
 * never prompts ({@code BatchMode=yes} makes it fail instead of hanging).
 */
public final class GitSsh implements AutoCloseable {
    private final Path keyFile;
    private final Path knownHosts;
    private final Optional<Path> tempDir;

    private GitSsh(Path keyFile, Path knownHosts, Optional<Path> tempDir) {
        this.keyFile = keyFile;
        this.knownHosts = knownHosts;
        this.tempDir = tempDir;
    }

    /**
     * Prepares the key. With a passphrase the decrypted copy goes into a fresh directory below
     * {@code scratch}.
     *
     * @throws IOException when the key or known_hosts file cannot be read, the passphrase is wrong or
     *                     the known_hosts path has white space
     */
    public static GitSsh prepare(SshAuth auth, Path scratch) throws IOException {
        Path kh = auth.knownHosts().toAbsolutePath();
        if (kh.toString().chars().anyMatch(Character::isWhitespace)) {
            throw new IOException("lustreKnownHosts: '" + kh + "' contains white space, which ssh's "
                    + "UserKnownHostsFile would split; use a path without spaces");
        }
        if (!Files.isRegularFile(kh)) {
            throw new IOException("lustreKnownHosts: '" + kh + "' is not a file");
        }
        checkNotExpanded("lustreKnownHosts", kh);
        Path key = auth.privateKey().toAbsolutePath();
        checkNotExpanded("lustreKey", key);
        if (!Files.isRegularFile(key)) {
            throw new IOException("lustreKey: '" + key + "' is not a file");
        }
        Optional<char[]> pass = auth.passphrase();
        if (pass.isEmpty()) {
            return new GitSsh(key, kh, Optional.empty());
        }
        Files.createDirectories(scratch);
        Path dir = Files.createTempDirectory(scratch, "git-ssh-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            KeyPair pair = decrypt(key, pass.get());
            Path out = dir.resolve("id");
            try (OutputStream os = Files.newOutputStream(Files.createFile(out,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    StandardOpenOption.WRITE)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "mlnx-lustre",
                        (org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext) null, os);
            }
            checkNotExpanded("lustreKey", out);
            return new GitSsh(out, kh, Optional.of(dir));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            FileTrees.deleteQuietly(dir);
            throw new IOException("lustreKey: cannot decrypt '" + key + "' with the given passphrase ("
                    + e.getClass().getSimpleName() + ")", e);
        } finally {
            java.util.Arrays.fill(pass.get(), '\0');
        }
    }

    /**
     * ssh expands {@code %}-tokens and (OpenSSH 8.4 and later) {@code ${VAR}} environment references in
     * IdentityFile and UserKnownHostsFile paths, so such a path would make ssh fail or read another file.
     */
    private static void checkNotExpanded(String field, Path path) throws IOException {
        String p = path.toString();
        if (p.indexOf('%') >= 0 || p.contains("${")) {
            throw new IOException(field + ": '" + p + "' contains '%' or '${', which ssh would expand as a "
                    + "token or environment variable; use a path (and work directory) without them");
        }
    }

    private static KeyPair decrypt(Path key, char[] passphrase) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(key)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.toString()),
                    in, FilePasswordProvider.of(new String(passphrase)));
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new GeneralSecurityException("no key in " + key);
            }
            return it.next();
        }
    }

    /** The key file ssh uses (the decrypted copy when the key has a passphrase). */
    public Path keyFile() {
        return keyFile;
    }

    /** The value of {@code GIT_SSH_COMMAND}. */
    public String sshCommand() {
        return "ssh -i " + ShellQuote.quote(keyFile.toString()) + " -o IdentitiesOnly=yes"
                + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + ShellQuote.quote(knownHosts.toString())
                + " -o BatchMode=yes";
    }

    /** The environment git needs. */
    public Map<String, String> environment() {
        return Map.of("GIT_SSH_COMMAND", sshCommand());
    }

    /** Deletes the decrypted key, if one was made. */
    @Override
    public void close() {
        tempDir.ifPresent(FileTrees::deleteQuietly);
    }
}

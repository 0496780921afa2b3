package io.github.mellanoxlustre.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away GPG signing key in its own {@code GNUPGHOME}, for signing test RPMs with the real
 * {@code rpmsign --addsign}. The key has no passphrase and lives only in a 0700 temporary
 * directory that {@link #close()} stops gpg-agent in and deletes.
 *
 * <pre>{@code
 * try (TestSigner signer = TestSigner.create(tempDir)) {
 *     signer.sign(rpm);
 * }
 * }</pre>
 */
public final class TestSigner implements AutoCloseable {
    /** The user id of every generated key. */
    public static final String KEY_NAME = "Mellanox Lustre Test Signer <signer@example.invalid>";

    private final Path home;

    private TestSigner(Path home) {
        this.home = home;
    }

    /** Generates a 2048-bit RSA signing key in a new GNUPGHOME under {@code parent}. */
    public static TestSigner create(Path parent) throws IOException, InterruptedException {
        Files.createDirectories(parent);
        // gpg-agent's socket path must stay short, so the home is a short-named sibling.
        Path home = Files.createTempDirectory(parent, "gpg",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        TestSigner signer = new TestSigner(home);
        try {
            signer.run(List.of("gpg", "--homedir", home.toString(), "--batch", "--pinentry-mode", "loopback",
                    "--passphrase", "", "--quick-gen-key", KEY_NAME, "rsa2048", "sign", "never"));
        } catch (IOException | InterruptedException | RuntimeException e) {
            signer.close();
            throw e;
        }
        return signer;
    }

    /** The GNUPGHOME holding the key. */
    public Path home() {
        return home;
    }

    /** Signs {@code rpm} in place with {@code rpmsign --addsign}. */
    public void sign(Path rpm) throws IOException, InterruptedException {
        run(List.of("rpmsign", "--addsign",
                "--define", "_gpg_name " + KEY_NAME,
                "--define", "_gpg_path " + home,
                "--define", "__gpg " + gpgExecutable(),
                rpm.toString()));
    }

    /** rpm's default {@code __gpg} is {@code /usr/bin/gpg2}, which Debian does not ship: use gpg from PATH. */
    private static String gpgExecutable() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            for (String name : List.of("gpg", "gpg2")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw new IOException("gpg not found on PATH");
    }

    private void run(List<String> cmd) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(cmd);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("GNUPGHOME", home.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(argv.get(0) + " failed (" + rc + "): " + out);
        }
    }

    /** Stops the gpg-agent of this home and deletes the key material. */
    @Override
    public void close() throws IOException {
        try {
            Process p = new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            TestRpm.deleteTree(home);
        }
    }
}

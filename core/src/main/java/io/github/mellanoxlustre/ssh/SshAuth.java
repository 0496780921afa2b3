package io.github.mellanoxlustre.ssh;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to authenticate an SSH connection: a private key file (the Jenkins plugin writes agent-side key
 * material into a 0600 temp file and deletes it afterwards), an optional passphrase, and the
 * known_hosts file the server's host key is verified against. Host keys are never skipped.
 *
 * <p>{@link #toString()} never shows the passphrase.
 */
public final class SshAuth {
    private final Path privateKey;
    private final char[] passphrase;
    private final Path knownHosts;

    public SshAuth(Path privateKey, char[] passphrase, Path knownHosts) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.passphrase = passphrase == null ? null : passphrase.clone();
        this.knownHosts = Objects.requireNonNull(knownHosts, "knownHosts");
    }

    public Path privateKey() {
        return privateKey;
    }

    /** A copy of the passphrase, if the key has one. */
    public Optional<char[]> passphrase() {
        return Optional.ofNullable(passphrase).map(char[]::clone);
    }

    public Path knownHosts() {
        return knownHosts;
    }

    @Override
    public String toString() {
        return "SshAuth[privateKey=" + privateKey + ", passphrase=" + (passphrase == null ? "none" : "****")
                + ", knownHosts=" + knownHosts + "]";
    }
}

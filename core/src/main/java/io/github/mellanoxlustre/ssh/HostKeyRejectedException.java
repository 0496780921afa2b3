package io.github.mellanoxlustre.ssh;

import java.io.IOException;

/**
 * An SSH server's host key is not in the known_hosts file, or differs from the one recorded there.
 * The connection was refused before any credential was sent.
 */
public final class HostKeyRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final String fingerprint;

    public HostKeyRejectedException(String host, int port, String fingerprint, String message) {
        super(message);
        this.host = host;
        this.port = port;
        this.fingerprint = fingerprint;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The presented key's type and SHA-256 fingerprint, e.g. {@code ssh-ed25519 SHA256:...}. */
    public String fingerprint() {
        return fingerprint;
    }
}

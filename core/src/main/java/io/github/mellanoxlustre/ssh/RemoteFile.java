package io.github.mellanoxlustre.ssh;

import java.util.Objects;

/**
 * A file on an SSH server, as {@link SshDownload} reads it.
 *
 * @param scheme  {@code sftp} or {@code scp}
 * @param user    the login name
 * @param host    the server's host name or address
 * @param port    the server's port
 * @param path    the file's absolute path on the server
 * @param display how messages name it (the location as the user wrote it, without secrets)
 */
public record RemoteFile(String scheme, String user, String host, int port, String path, String display) {
    public RemoteFile {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(display, "display");
        if (!"sftp".equals(scheme) && !"scp".equals(scheme)) {
            throw new IllegalArgumentException("scheme: '" + scheme + "' is neither sftp nor scp");
        }
    }

    @Override
    public String toString() {
        return display;
    }
}

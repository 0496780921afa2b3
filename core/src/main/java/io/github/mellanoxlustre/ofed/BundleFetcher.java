package io.github.mellanoxlustre.ofed;

import io.github.mellanoxlustre.ssh.HostKeyRejectedException;
import io.github.mellanoxlustre.ssh.SshAuth;
import io.github.mellanoxlustre.ssh.SshDownload;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Phase 2, first half: brings the MLNX_OFED bundle into the build's work directory and computes its
 * SHA-256 on the way.
 *
 * <ul>
 *   <li>A local path is <em>copied</em> (not used in place), so that the checksum the manifest records
 *       describes exactly the bytes that are extracted, even when the original sits on a share that
 *       changes under the build.</li>
 *   <li>{@code http(s)://} is downloaded with the JDK HTTP client: redirects are followed except from
 *       https to http, any final status but 200 is an error naming the URL and the status, the
 *       connection has {@link Settings#connectTimeout()} and a body that stops arriving for
 *       {@link Settings#readTimeout()} is abandoned. The query string of a URL (which may hold a
 *       pre-signed token) is never printed.</li>
 *   <li>{@code sftp://} and {@code scp://} are read with the Apache MINA SSHD client, the server's host
 *       key verified against the given known_hosts file (see {@link SshDownload}).</li>
 * </ul>
 *
 * <p>The bytes are written to {@code <destDir>/<bundle>.tgz.part} and moved to
 * {@code <destDir>/<bundle>.tgz} only once complete and verified: when the location names a SHA-256 and
 * the received bytes do not have it, the partial file is deleted and a {@link BundleChecksumException}
 * names both sums. Any failure or an interrupt (an aborted build) deletes the partial file too.
 */
public final class BundleFetcher {

    /**
     * Transfer settings.
     *
     * @param connectTimeout    connecting to an HTTP or SSH server (and SSH authentication)
     * @param readTimeout       how long a transfer may receive nothing before it is abandoned
     * @param progressStepBytes a progress line every this many bytes (0: none)
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, long progressStepBytes) {
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
                    || readTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (progressStepBytes < 0) {
                throw new IllegalArgumentException("progressStepBytes: must not be negative");
            }
        }

        /** 30 s to connect, 120 s without data, a progress line every 64 MiB. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(120), 64L << 20);
        }
    }

    private static final int BUFFER = 128 * 1024;

    private final Settings settings;

    public BundleFetcher() {
        this(Settings.defaults());
    }

    public BundleFetcher(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Fetches the bundle into {@code destDir} (created if missing), replacing a file of the same name.
     *
     * @param location where the bundle is
     * @param ssh      the SSH credentials, required for {@code sftp://} and {@code scp://}
     * @param destDir  the directory that receives {@code <bundle>.tgz}
     * @param log      receives progress lines (never secrets)
     * @return the local file, its SHA-256 and size
     * @throws BundleChecksumException when the location's SHA-256 does not match
     * @throws HostKeyRejectedException when an SSH server's host key is unknown or changed
     * @throws InterruptedIOException when the thread is interrupted (the interrupt flag stays set)
     * @throws IOException any other failure, with a message naming the location
     */
    public FetchedBundle fetch(BundleLocation location, Optional<SshAuth> ssh, Path destDir, Consumer<String> log)
            throws IOException {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(ssh, "ssh");
        Objects.requireNonNull(destDir, "destDir");
        Objects.requireNonNull(log, "log");
        Files.createDirectories(destDir);
        String fileName = location.fileName();
        Path dest = destDir.resolve(fileName);
        Path part = destDir.resolve(fileName + ".part");
        Files.deleteIfExists(part);
        long started = System.nanoTime();
        log.accept("bundle: fetching " + location + " to " + dest);
        boolean done = false;
        try {
            TransferSink sink;
            try (OutputStream file = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                sink = new TransferSink(new BufferedOutputStream(file, BUFFER), "bundle", settings.progressStepBytes(), log);
                if (location instanceof BundleLocation.Local local) {
                    copyLocal(local, sink);
                } else if (location instanceof BundleLocation.Http http) {
                    download(http, sink);
                } else if (location instanceof BundleLocation.Ssh remote) {
                    SshAuth auth = ssh.orElseThrow(() -> new IOException("bundleCredentials: " + remote.scheme()
                            + "://" + " needs an SSH private key and a known_hosts file"));
                    new SshDownload(settings.connectTimeout(), settings.readTimeout()).download(remote.remoteFile(), auth, sink,
                            log);
                } else {
                    throw new IllegalStateException("unknown location type " + location.getClass());
                }
                sink.flush();
            } catch (ClosedByInterruptException e) {
                throw interrupted(location, e);
            }
            long size = sink.count();
            long announced = sink.expectedSize();
            if (announced >= 0 && announced != size) {
                throw new IOException("bundle: " + location + " announced " + announced + " bytes but " + size
                        + " arrived; the transfer was cut short");
            }
            String sha256 = sink.sha256();
            Optional<String> expected = location.sha256();
            if (expected.isPresent() && !expected.get().equals(sha256)) {
                throw new BundleChecksumException(location.toString(), expected.get(), sha256);
            }
            move(part, dest);
            done = true;
            double seconds = (System.nanoTime() - started) / 1e9;
            log.accept(String.format(Locale.ROOT, "bundle: %s, %d bytes in %.1f s, SHA-256 %s (%s)", fileName, size,
                    seconds, sha256, expected.isPresent() ? "matches the expected checksum"
                            : "no checksum was given to compare; recorded in the manifest"));
            return new FetchedBundle(dest, sha256, size);
        } finally {
            if (!done) {
                Files.deleteIfExists(part);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void copyLocal(BundleLocation.Local local, TransferSink sink) throws IOException {
        Path path = local.path();
        if (Files.isDirectory(path)) {
            throw new IOException("bundle: " + path + " is a directory; expected the bundle file "
                    + OfedBundleName.FORM);
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "bundle: no such bundle file");
        }
        sink.expectedSize(Files.size(path));
        try (InputStream in = Files.newInputStream(path)) {
            copy(in, sink);
        }
    }

    private void download(BundleLocation.Http http, TransferSink sink) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(http.uri())
                .header("User-Agent", "mellanox-lustre")
                .GET()
                .build();
        // No HttpRequest.timeout(): on Java 17 it can cut a body that is still streaming. The wait for
        // the response headers is bounded here, the body by HttpBodyQueue.
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = pending.get(settings.connectTimeout().plus(settings.readTimeout()).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("bundle: " + http + " did not answer within "
                    + seconds(settings.connectTimeout().plus(settings.readTimeout())), e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw interrupted(http, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                throw new IOException("bundle: cannot download " + http + ": no connection within "
                        + seconds(settings.connectTimeout()), cause);
            }
            throw new IOException("bundle: cannot download " + http + ": " + describe(cause), cause);
        }
        HttpBodyQueue body = new HttpBodyQueue();
        response.body().subscribe(body);
        int status = response.statusCode();
        if (status != 200) {
            body.cancel();
            String where = response.uri().equals(http.uri()) ? http.toString()
                    : http + " (redirected to " + BundleLocation.Http.redact(response.uri()) + ")";
            String hint = status / 100 == 3
                    ? "; a redirect from https to http is not followed, and the mirror must serve the file itself"
                    : "";
            throw new IOException("bundle: GET " + where + " answered HTTP " + status + hint);
        }
        response.headers().firstValueAsLong("Content-Length").ifPresent(sink::expectedSize);
        try {
            body.copyTo(sink, settings.readTimeout());
        } catch (SocketTimeoutException e) {
            throw new IOException("bundle: " + http + " sent nothing for " + seconds(settings.readTimeout())
                    + " after " + sink.count() + " bytes; download abandoned", e);
        } catch (InterruptedIOException e) {
            throw interrupted(http, e);
        } catch (IOException e) {
            throw new IOException("bundle: download of " + http + " failed after " + sink.count() + " bytes: "
                    + describe(e), e);
        }
    }

    static InterruptedIOException interrupted(BundleLocation location, Exception cause) {
        InterruptedIOException e = new InterruptedIOException("bundle: transfer of " + location
                + " interrupted (build aborted)");
        e.initCause(cause);
        return e;
    }

    static void copy(InputStream in, TransferSink sink) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            sink.write(buffer, 0, n);
        }
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

}

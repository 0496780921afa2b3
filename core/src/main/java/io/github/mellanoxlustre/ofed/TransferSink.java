package io.github.mellanoxlustre.ofed;

import io.github.mellanoxlustre.ssh.DownloadSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where fetched bundle bytes go: writes them to the local file while computing their SHA-256, counting
 * them and printing a progress line every {@code progressStep} bytes (with the percentage when the
 * total is known). An interrupt of the writing thread (an aborted build) stops the transfer with an
 * {@link InterruptedIOException}.
 */
final class TransferSink extends OutputStream implements DownloadSink {
    private final OutputStream out;
    private final MessageDigest digest;
    private final String label;
    private final long progressStep;
    private final Consumer<String> log;
    private volatile long expectedSize = -1;
    private volatile long count;
    private long nextReport;

    TransferSink(OutputStream out, String label, long progressStep, Consumer<String> log) {
        this.out = Objects.requireNonNull(out, "out");
        this.label = Objects.requireNonNull(label, "label");
        this.progressStep = progressStep;
        this.log = Objects.requireNonNull(log, "log");
        this.nextReport = progressStep;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The total the transfer announced (Content-Length, SFTP/SCP size), when known. */
    @Override
    public void expectedSize(long size) {
        this.expectedSize = size;
    }

    long expectedSize() {
        return expectedSize;
    }

    /** Bytes written so far. */
    @Override
    public OutputStream stream() {
        return this;
    }

    @Override
    public long count() {
        return count;
    }

    /** The SHA-256 of everything written, lowercase hex; call once, at the end. */
    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(label + ": transfer interrupted (build aborted)");
        }
        out.write(b, off, len);
        digest.update(b, off, len);
        count += len;
        if (progressStep > 0 && count >= nextReport) {
            while (nextReport <= count) {
                nextReport += progressStep;
            }
            log.accept(label + ": " + progress(count, expectedSize));
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    static String progress(long done, long total) {
        if (total > 0) {
            return mib(done) + " of " + mib(total) + " (" + Math.min(100, done * 100 / total) + "%)";
        }
        return mib(done) + " received";
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}

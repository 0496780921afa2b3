package io.github.mellanoxlustre.ssh;

import java.io.OutputStream;

/** Where {@link SshDownload} writes a file: a stream that counts what it was given. */
public interface DownloadSink {
    /** The stream the file's bytes are written to. */
    OutputStream stream();

    /** The bytes written so far (read by the stall watchdog from another thread). */
    long count();

    /** The file's size as the server announced it, before the first byte. */
    void expectedSize(long bytes);
}

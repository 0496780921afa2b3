package io.github.mellanoxlustre.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and strings, as lowercase hex (the form {@code sha256sum} prints). */
public final class Sha256 {
    private Sha256() {
    }

    /** The file's SHA-256. Stops with {@link InterruptedIOException} when the thread is interrupted. */
    public static String of(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            int chunks = 0;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                if ((++chunks & 63) == 0 && Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while hashing " + file);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The SHA-256 of a string's UTF-8 bytes. */
    public static String ofText(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}

package io.github.mellanoxlustre.ofed;

import java.io.IOException;

/** The fetched bundle's SHA-256 is not the expected one; the fetched copy has been deleted. */
public final class BundleChecksumException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    public BundleChecksumException(String source, String expected, String actual) {
        super("bundle: SHA-256 mismatch for " + source + ": expected " + expected + " but the fetched file has "
                + actual + "; the fetched copy was deleted. Check the bundle checksum field against the "
                + "mirror's published checksum, or fetch the bundle again.");
        this.expected = expected;
        this.actual = actual;
    }

    /** The SHA-256 the request asked for. */
    public String expected() {
        return expected;
    }

    /** The SHA-256 of the bytes actually received. */
    public String actual() {
        return actual;
    }
}

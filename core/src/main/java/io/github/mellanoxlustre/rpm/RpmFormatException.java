package io.github.mellanoxlustre.rpm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The one checked exception reading an RPM ends in: the file could not be read, or it is not a
 * well-formed RPM package. The message names the file and what is wrong with it.
 */
public class RpmFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String reason;

    public RpmFormatException(Path file, String reason) {
        this(file, reason, null);
    }

    public RpmFormatException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = String.valueOf(file);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The file that could not be read. */
    public String getFile() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String getReason() {
        return reason;
    }
}

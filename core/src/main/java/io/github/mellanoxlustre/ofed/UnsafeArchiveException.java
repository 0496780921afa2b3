package io.github.mellanoxlustre.ofed;

import java.io.IOException;

/**
 * An archive entry that may not be extracted (it would leave the target directory, is a device or
 * FIFO, goes through a symbolic link, exceeds a limit, ...). Extraction stopped there and the
 * partially extracted target was removed.
 */
public final class UnsafeArchiveException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String entry;

    public UnsafeArchiveException(String archive, String entry, String reason) {
        super("unsafe archive " + archive + ": entry '" + entry + "' " + reason
                + "; extraction stopped and the partly extracted directory was removed");
        this.entry = entry;
    }

    /** The offending entry's name as the archive gives it. */
    public String entry() {
        return entry;
    }
}

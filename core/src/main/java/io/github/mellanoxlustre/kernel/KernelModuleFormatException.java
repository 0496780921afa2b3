package io.github.mellanoxlustre.kernel;

/** A kernel module file that cannot be read; the message names the file. */
public final class KernelModuleFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public KernelModuleFormatException(String file, String reason) {
        super(file + ": " + reason);
        this.reason = reason;
    }

    /** What is wrong, without the file name. */
    public String getReason() {
        return reason;
    }
}

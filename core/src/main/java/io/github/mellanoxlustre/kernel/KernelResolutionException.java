package io.github.mellanoxlustre.kernel;

import java.io.IOException;

/** The target kernel cannot be determined from the request and the machine; the message says why. */
public final class KernelResolutionException extends IOException {
    private static final long serialVersionUID = 1L;

    public KernelResolutionException(String message) {
        super(message);
    }
}

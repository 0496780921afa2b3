package io.github.mellanoxlustre.process;

/**
 * The build was aborted (the engine thread was interrupted or its {@link Cancellation} cancelled)
 * while a tool or phase was running. Whatever was running has been killed with its whole process
 * tree by the time this is thrown. It is an {@link InterruptedException}, so code that handles
 * interruption handles it.
 */
public class AbortedException extends InterruptedException {
    private static final long serialVersionUID = 1L;

    private final String phase;

    public AbortedException(String phase, String message) {
        super(message);
        this.phase = phase;
    }

    /** The phase that was running. */
    public String phase() {
        return phase;
    }
}

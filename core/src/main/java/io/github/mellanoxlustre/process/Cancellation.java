package io.github.mellanoxlustre.process;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle another thread uses to abort a build: {@link #cancel()} marks it cancelled and
 * interrupts the thread that owns it; the tool runner then kills the running tool's process tree.
 * Interrupting the owner thread directly has the same effect.
 */
public final class Cancellation {
    private final Thread owner;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    private Cancellation(Thread owner) {
        this.owner = owner;
    }

    /** A handle for the calling thread. */
    public static Cancellation forCurrentThread() {
        return new Cancellation(Thread.currentThread());
    }

    /** Aborts: marks the handle and interrupts its owner thread. Idempotent. */
    public void cancel() {
        cancelled.set(true);
        owner.interrupt();
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Throws when the build should stop: cancelled, or the current thread was interrupted (the
     * interrupt flag is consumed).
     */
    public void check(String phase) throws AbortedException {
        if (Thread.interrupted() || cancelled.get()) {
            cancelled.set(true);
            throw new AbortedException(phase, "aborted during " + phase);
        }
    }
}

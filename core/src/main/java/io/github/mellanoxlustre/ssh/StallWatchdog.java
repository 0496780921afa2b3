package io.github.mellanoxlustre.ssh;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Watches a transfer's byte counter and runs {@code onStall} (closing the SSH session, which makes
 * the blocked read fail) when it has not moved for {@code timeout}: a server that stops sending
 * mid-file must not hang a build forever.
 */
final class StallWatchdog implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stalled;
    private volatile boolean closed;

    StallWatchdog(String name, Duration timeout, LongSupplier counter, Runnable onStall) {
        Objects.requireNonNull(counter, "counter");
        Objects.requireNonNull(onStall, "onStall");
        long timeoutNanos = timeout.toNanos();
        long tick = Math.max(10, Math.min(200, timeout.toMillis() / 4));
        thread = new Thread(() -> {
            long last = counter.getAsLong();
            long since = System.nanoTime();
            while (!closed) {
                try {
                    Thread.sleep(tick);
                } catch (InterruptedException e) {
                    return;
                }
                long now = counter.getAsLong();
                if (now != last) {
                    last = now;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since >= timeoutNanos && !closed) {
                    stalled = true;
                    onStall.run();
                    return;
                }
            }
        }, "stall-watchdog-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the transfer was cut because it stalled. */
    boolean stalled() {
        return stalled;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}

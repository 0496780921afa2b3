package io.github.mellanoxlustre.process;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adds up the wall time spent waiting for child processes, so the engine's own time (total minus
 * tool time) can be measured by the benchmark harness.
 */
public final class ToolClock {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();

    void add(long elapsedNanos) {
        nanos.addAndGet(elapsedNanos);
        runs.incrementAndGet();
    }

    /** Total wall time spent inside child processes. */
    public Duration toolTime() {
        return Duration.ofNanos(nanos.get());
    }

    /** How many child processes (pipelines count each process once per run) were run. */
    public long runs() {
        return runs.get();
    }
}

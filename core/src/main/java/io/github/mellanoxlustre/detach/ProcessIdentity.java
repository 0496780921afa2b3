package io.github.mellanoxlustre.detach;

import io.github.mellanoxlustre.process.ProcessTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which process a control directory's engine is, so that a pid the kernel gave to another process
 * after the engine died is never taken for it (and never killed).
 *
 * @param pid       the process id
 * @param startTime the process's start time in clock ticks after boot, field 22 of
 *                  {@code /proc/<pid>/stat} (Linux); -1 where there is no {@code /proc}
 * @param bootId    {@code /proc/sys/kernel/random/boot_id} when it started (a start time is only
 *                  unique within one boot); empty where there is none
 * @param started   when it started, as {@link ProcessHandle.Info#startInstant()} says (the check where
 *                  there is no {@code /proc}); null when unknown
 */
public record ProcessIdentity(long pid, long startTime, String bootId, Instant started) {
    private static final Path PROC = Path.of("/proc");
    private static final Path BOOT_ID = PROC.resolve("sys/kernel/random/boot_id");

    public ProcessIdentity {
        Objects.requireNonNull(bootId, "bootId");
    }

    /** The identity of a running process, read now; empty when it is gone. */
    public static Optional<ProcessIdentity> of(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return Optional.empty();
        }
        Instant started = h.get().info().startInstant().orElse(null);
        long ticks = startTicks(pid);
        if (ticks < 0 && Files.isDirectory(PROC)) {
            return Optional.empty();
        }
        return Optional.of(new ProcessIdentity(pid, ticks, currentBootId(), started));
    }

    /** The process this identity names, when it is still running (not a zombie, not a recycled pid). */
    public Optional<ProcessHandle> handle() {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !ProcessTree.isAlive(h.get())) {
            return Optional.empty();
        }
        if (startTime >= 0 || Files.isDirectory(PROC)) {
            if (!bootId.equals(currentBootId()) || startTicks(pid) != startTime) {
                return Optional.empty();
            }
        } else if (started != null && !started.equals(h.get().info().startInstant().orElse(null))) {
            return Optional.empty();
        }
        return h;
    }

    /** Whether the process still runs. */
    public boolean stillRunning() {
        return handle().isPresent();
    }

    /** Field 22 (starttime) of {@code /proc/<pid>/stat}, or -1. */
    static long startTicks(long pid) {
        try {
            String text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            int close = text.lastIndexOf(')');
            // after "pid (comm) ": state is field 3, so starttime (22) is index 19
            String[] f = text.substring(close + 2).trim().split(" ");
            return Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String currentBootId() {
        try {
            return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}

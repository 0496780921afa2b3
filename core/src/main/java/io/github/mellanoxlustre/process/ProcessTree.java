package io.github.mellanoxlustre.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The processes a tool consists of, and how they are killed.
 *
 * <p>A tool is started in its own session and process group ({@code setsid}, see {@link ToolRunner}),
 * so its pid is also its process-group and session id. Its members are the union of
 * <ul>
 *   <li>the tool process and {@link ProcessHandle#descendants()} (children, grandchildren, ...), and</li>
 *   <li>on Linux, every process whose process group or session is the tool's (read from
 *       {@code /proc/<pid>/stat}): this finds grandchildren that were re-parented to init when their
 *       parent exited, which {@code descendants()} no longer sees.</li>
 *   <li>when the tool runs in a {@link PidNamespace}, every process in that namespace but its holder:
 *       a process that left the tool's session and was re-parented by a double fork (a daemon)
 *       is re-parented to the namespace's init, so it is found here and cannot escape.</li>
 * </ul>
 * Killing collects the members again and again while it works (a dying {@code make} may still start
 * a job), sends SIGTERM ({@link ProcessHandle#destroy()}) deepest first and the tool last, waits a
 * grace period, then SIGKILLs ({@link ProcessHandle#destroyForcibly()}) whatever is left. Every
 * process ever seen is remembered, so one that escaped a later scan is still killed.
 *
 * <p>Public so that a detached engine process (a session leader of its own) can be killed as a tree
 * by a watcher in another JVM (see {@code io.github.mellanoxlustre.detach}).
 */
public final class ProcessTree {
    private static final Path PROC = Path.of("/proc");
    private static final long POLL_MILLIS = 20;

    private final ProcessHandle root;
    private final boolean ownGroup;
    private final Optional<PidNamespace> namespace;
    private final Map<Long, ProcessHandle> seen = new LinkedHashMap<>();

    /**
     * @param root     the tool process
     * @param ownGroup whether it was started as the leader of its own session/process group
     */
    public ProcessTree(ProcessHandle root, boolean ownGroup) {
        this(root, ownGroup, Optional.empty());
    }

    /**
     * @param root      the tool process ({@code nsenter} when it runs in a namespace)
     * @param ownGroup  whether it was started as the leader of its own session/process group
     * @param namespace the PID namespace it runs in, if any
     */
    ProcessTree(ProcessHandle root, boolean ownGroup, Optional<PidNamespace> namespace) {
        this.root = root;
        this.ownGroup = ownGroup;
        this.namespace = namespace;
        seen.put(root.pid(), root);
    }

    /** Scans for members and returns the ones alive now (tool included if alive). */
    public synchronized List<ProcessHandle> scan() {
        root.descendants().forEach(h -> seen.putIfAbsent(h.pid(), h));
        if (ownGroup) {
            for (long pid : groupMembers(root.pid())) {
                ProcessHandle.of(pid).ifPresent(h -> seen.putIfAbsent(h.pid(), h));
            }
        }
        namespace.ifPresent(ns -> ns.members().forEach(h -> seen.putIfAbsent(h.pid(), h)));
        List<ProcessHandle> alive = new ArrayList<>();
        for (ProcessHandle h : seen.values()) {
            if (isAlive(h)) {
                alive.add(h);
            }
        }
        return alive;
    }

    /**
     * Kills every member: SIGTERM (children before parents), up to {@code grace} for them to go,
     * then SIGKILL. Returns the number of processes that were alive when killing began.
     */
    public synchronized int kill(Duration grace) {
        List<ProcessHandle> first = scan();
        int count = first.size();
        long deadline = System.nanoTime() + grace.toNanos();
        List<ProcessHandle> alive = first;
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            for (ProcessHandle h : deepestFirst(alive)) {
                h.destroy();
            }
            sleepQuietly();
            alive = scan();
        }
        long hardDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!alive.isEmpty() && System.nanoTime() < hardDeadline) {
            for (ProcessHandle h : deepestFirst(alive)) {
                h.destroyForcibly();
            }
            sleepQuietly();
            alive = scan();
        }
        return count;
    }

    /** Kills members left behind after the tool itself exited (background jobs it started). */
    synchronized int killLeftovers(Duration grace) {
        List<ProcessHandle> alive = scan();
        if (alive.isEmpty()) {
            return 0;
        }
        return kill(grace);
    }

    private List<ProcessHandle> deepestFirst(List<ProcessHandle> handles) {
        List<ProcessHandle> sorted = new ArrayList<>(handles);
        sorted.sort(Comparator.comparingInt(ProcessTree::depth).reversed());
        return sorted;
    }

    private static int depth(ProcessHandle h) {
        int d = 0;
        Optional<ProcessHandle> p = h.parent();
        while (p.isPresent() && d < 64) {
            d++;
            p = p.get().parent();
        }
        return d;
    }

    private static void sleepQuietly() {
        // Killing must finish even when the thread was interrupted (that is why we are killing).
        long end = System.nanoTime() + POLL_MILLIS * 1_000_000;
        boolean interrupted = false;
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Alive and not a zombie (a zombie has exited; only its parent's wait is missing). */
    public static boolean isAlive(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        Optional<String[]> stat = stat(h.pid());
        if (stat.isEmpty()) {
            // Without /proc trust isAlive(); with /proc an unreadable stat means it is gone.
            return !Files.isDirectory(PROC);
        }
        String state = stat.get()[0];
        return !"Z".equals(state) && !"X".equals(state);
    }

    /** Pids whose process group or session is {@code group}, read from /proc (Linux); empty elsewhere. */
    static List<Long> groupMembers(long group) {
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return pids;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path d : dirs) {
                long pid = Long.parseLong(d.getFileName().toString());
                Optional<String[]> stat = stat(pid);
                if (stat.isPresent() && stat.get().length > 3) {
                    OptionalLong pgrp = parse(stat.get()[2]);
                    OptionalLong session = parse(stat.get()[3]);
                    if ((pgrp.isPresent() && pgrp.getAsLong() == group)
                            || (session.isPresent() && session.getAsLong() == group)) {
                        pids.add(pid);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc changed under us or is unreadable: descendants() still applies.
        }
        return pids;
    }

    /** Fields after "pid (comm) " of /proc/pid/stat: state, ppid, pgrp, session, ... */
    private static Optional<String[]> stat(long pid) {
        try {
            String text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            int close = text.lastIndexOf(')');
            if (close < 0 || close + 2 > text.length()) {
                return Optional.empty();
            }
            return Optional.of(text.substring(close + 2).trim().split(" "));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static OptionalLong parse(String s) {
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}

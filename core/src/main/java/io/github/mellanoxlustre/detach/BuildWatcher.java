package io.github.mellanoxlustre.detach;

import io.github.mellanoxlustre.engine.BuildResult;
import io.github.mellanoxlustre.process.ProcessTree;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Watches a detached engine process through its control directory: streams its log, reports its
 * progress and how it ended, notices when it died without saying, and aborts it. Holds nothing but
 * the directory's path, so a watcher in a JVM started after the previous watcher's died picks up
 * where that one left off: the caller keeps the log offset {@link #copyLog} returns.
 *
 * <pre>{@code
 * BuildWatcher w = BuildWatcher.attach(controlDir);
 * long offset = savedOffset;
 * while (w.status() instanceof BuildWatcher.Running) {
 *     offset = w.copyLog(offset, listener.getLogger());
 *     Thread.sleep(1000);
 * }
 * offset = w.copyLog(offset, listener.getLogger());
 * }</pre>
 */
public final class BuildWatcher {
    /** Lines of the log a {@link Died} status carries. */
    public static final int TAIL_LINES = 50;
    /** How long killing the leftovers of an abort waits between SIGTERM and SIGKILL. */
    static final Duration KILL_GRACE = Duration.ofSeconds(3);
    private static final long POLL_MILLIS = 100;

    private final ControlDir control;

    private BuildWatcher(ControlDir control) {
        this.control = control;
    }

    /** A watcher on an existing control directory (made by {@link EngineLauncher}). */
    public static BuildWatcher attach(Path controlDir) throws NoSuchFileException {
        if (!Files.isDirectory(controlDir)) {
            throw new NoSuchFileException(controlDir.toString(), null, "controlDir: no such directory");
        }
        return new BuildWatcher(ControlDir.of(controlDir));
    }

    public Path controlDir() {
        return control.dir();
    }

    /** Where the engine is: one of the records below. */
    public sealed interface Status permits Starting, Running, Finished, Died {
    }

    /** The launcher has not recorded the process yet (or died before it could). */
    public record Starting() implements Status {
    }

    /** The process runs; its last recorded progress. */
    public record Running(ProcessIdentity process, Optional<Progress> progress) implements Status {
    }

    /** The process wrote its exit status; the result when the build completed. */
    public record Finished(ExitStatus exit, Optional<BuildResult> result) implements Status {
    }

    /**
     * The process is gone without an exit status (killed with SIGKILL, out of memory, the machine
     * rebooted): the last {@value #TAIL_LINES} lines of its log, and the progress it had recorded.
     */
    public record Died(ProcessIdentity process, Optional<Progress> progress, String logTail) implements Status {
    }

    /** The engine's status now. */
    public Status status() throws IOException {
        Optional<ExitStatus> exit = exitStatus();
        if (exit.isPresent()) {
            return new Finished(exit.get(), result());
        }
        Optional<ProcessIdentity> id = process();
        if (id.isEmpty()) {
            return new Starting();
        }
        if (id.get().stillRunning()) {
            return new Running(id.get(), progress());
        }
        // it may have written its exit status and ended since we looked
        exit = exitStatus();
        if (exit.isPresent()) {
            return new Finished(exit.get(), result());
        }
        // a process that never read its secrets, or died holding key files, must not leave them behind
        Files.deleteIfExists(control.file(ControlDir.SECRETS));
        KeyFiles.deleteAll(control);
        return new Died(id.get(), progress(), logTail(TAIL_LINES));
    }

    /** Waits until the engine is no longer running (or starting), polling; returns its final status. */
    public Status await(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Status s = status();
        while ((s instanceof Running || s instanceof Starting) && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
            s = status();
        }
        return s;
    }

    /** The process the launcher recorded. */
    public Optional<ProcessIdentity> process() throws IOException {
        return read(ControlDir.PID, ProcessIdentity.class);
    }

    /** The last progress the engine recorded. */
    public Optional<Progress> progress() throws IOException {
        return read(ControlDir.PROGRESS, Progress.class);
    }

    /** The exit status, once written. */
    public Optional<ExitStatus> exitStatus() throws IOException {
        return read(ControlDir.EXIT, ExitStatus.class);
    }

    /** What the build published, once it completed. */
    public Optional<BuildResult> result() throws IOException {
        return read(ControlDir.RESULT, BuildResult.class);
    }

    /**
     * Copies the log from byte {@code offset} to its current end onto {@code out} and returns the new
     * offset: give it to the next call, or to a new watcher's after this JVM died, to continue exactly
     * where this left off.
     */
    public long copyLog(long offset, OutputStream out) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " is negative; expected a byte offset, 0 or more");
        }
        Path log = control.file(ControlDir.LOG);
        if (!Files.exists(log)) {
            return offset;
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long end = f.length();
            if (offset >= end) {
                return Math.max(offset, end);
            }
            f.seek(offset);
            byte[] buf = new byte[64 * 1024];
            long pos = offset;
            while (pos < end) {
                int n = f.read(buf, 0, (int) Math.min(buf.length, end - pos));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                pos += n;
            }
            out.flush();
            return pos;
        }
    }

    /**
     * Bytes of the log from {@code offset}, at most {@code maxBytes}: whole lines only (up to the last
     * line end read), unless {@code toEnd} (the build is over: its last line too, with or without an
     * end) or one line alone is longer than {@code maxBytes}. A consumer that maps lines (Jenkins'
     * console, which renames fields line by line) then never holds part of a line that a restart
     * would lose; it keeps {@link LogChunk#next()} as its offset.
     */
    public LogChunk readLog(long offset, int maxBytes, boolean toEnd) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " is negative; expected a byte offset, 0 or more");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + "; expected 1 or more");
        }
        Path log = control.file(ControlDir.LOG);
        if (!Files.exists(log)) {
            return new LogChunk(new byte[0], offset);
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long available = Math.max(0, f.length() - offset);
            int n = (int) Math.min(available, maxBytes);
            byte[] buf = new byte[n];
            f.seek(offset);
            f.readFully(buf);
            int keep = n;
            boolean rest = available > n;
            if (rest || !toEnd) {
                int lastEnd = lastIndexOf(buf, (byte) '\n');
                if (lastEnd >= 0) {
                    keep = lastEnd + 1;
                } else if (!(rest && n == maxBytes)) {
                    keep = 0;
                }
            }
            return new LogChunk(keep == n ? buf : java.util.Arrays.copyOf(buf, keep), offset + keep);
        }
    }

    private static int lastIndexOf(byte[] buf, byte b) {
        for (int i = buf.length - 1; i >= 0; i--) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Bytes of the log and the offset after them ({@link #readLog}). */
    public record LogChunk(byte[] bytes, long next) {
        /** Whether there are no bytes. */
        public boolean isEmpty() {
            return bytes.length == 0;
        }
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) throws IOException {
        Path log = control.file(ControlDir.LOG);
        if (!Files.exists(log)) {
            return "";
        }
        Deque<String> tail = new ArrayDeque<>();
        try (var reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                tail.addLast(line);
                if (tail.size() > lines) {
                    tail.removeFirst();
                }
            }
        }
        return tail.isEmpty() ? "" : String.join("\n", tail) + "\n";
    }

    /**
     * Aborts the build: SIGTERM to the engine process, which cancels the engine (the running tool's
     * process tree is killed, staging output removed, nothing published) and writes its exit status;
     * after {@code grace}, whatever is left of the process tree (the engine, its children and their
     * descendants, everything in its session) is killed: SIGTERM, then SIGKILL. When the engine did
     * not write an exit status, the watcher writes {@link Outcome#ABORTED} for it. A build that has
     * already ended is left as it is. Returns the final status.
     */
    public Status abort(Duration grace) throws IOException, InterruptedException {
        Objects.requireNonNull(grace, "grace");
        Status s = status();
        if (!(s instanceof Running running)) {
            return s;
        }
        Optional<ProcessHandle> engine = running.process().handle();
        if (engine.isEmpty()) {
            return status();
        }
        ProcessTree tree = new ProcessTree(engine.get(), true);
        tree.scan();
        engine.get().destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        while (running.process().stillRunning() && System.nanoTime() < deadline) {
            tree.scan();
            Thread.sleep(POLL_MILLIS);
        }
        List<ProcessHandle> left = tree.scan();
        int killed = left.isEmpty() ? 0 : tree.kill(KILL_GRACE);
        if (exitStatus().isEmpty()) {
            control.writeAtomically(ControlDir.EXIT, EngineJson.MAPPER.writeValueAsBytes(ExitStatus.of(
                    Outcome.ABORTED, "aborted; the engine process did not end within " + grace.toSeconds()
                            + " s of SIGTERM and was killed with " + killed + " process(es) of its tree",
                    ExitStatus.WATCHER)));
        }
        Files.deleteIfExists(control.file(ControlDir.SECRETS));
        KeyFiles.deleteAll(control);
        return status();
    }

    private <T> Optional<T> read(String name, Class<T> type) throws IOException {
        Path f = control.file(name);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(EngineJson.MAPPER.readValue(bytes, type));
    }

    @Override
    public String toString() {
        return "BuildWatcher[" + control + "]";
    }
}

package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmFormatException;
import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Checks RPM files against a {@link DistributionPolicy}: the public entry point the CLI, the
 * Jenkins plugin and the build engine call.
 *
 * <pre>{@code
 * CheckReport report = RpmCheck.run(List.of(Path.of("RPMS")), DistributionPolicy.resolve("distribute"));
 * System.exit(report.exitCode());
 * }</pre>
 *
 * Each path is an RPM file (read whatever its name) or a directory searched recursively for
 * {@code *.rpm} files, visited in sorted order; the other files found there are skipped and
 * counted. One bad file never hides the others: an unreadable file becomes a result with verdict
 * {@link Verdict#ERROR} and the reason; so does a file the checker itself fails on (out of memory,
 * a bug), marked {@link PackageResult#internal()}. A path that does not exist, a directory that
 * cannot be listed or that holds no {@code *.rpm} file is an ERROR too, but not a file
 * ({@link PackageResult#pathError()}).
 * A file reached twice is checked once. Of each package only its identity and findings are kept,
 * and {@link #run(List, DistributionPolicy, Consumer)} keeps not even those.
 */
public final class RpmCheck {
    /** Reader threads: the cores, at most two (reading is bound by memory and the disk beyond that). */
    static final int READERS = Math.min(2, Runtime.getRuntime().availableProcessors());
    /**
     * Consecutive files a reader thread reads as one task: the threads meet once per batch, not once
     * per file (at 30,000 files, a hand-over per file cost a context switch or two each).
     */
    static final int BATCH = 16;
    /** Batches each reader may be ahead of the result being handed over. */
    static final int BATCHES_PER_READER = 2;

    private RpmCheck() {
    }

    /** Reads and evaluates every RPM the paths name, in order. */
    public static CheckReport run(List<Path> paths, DistributionPolicy policy) {
        List<PackageResult> results = new ArrayList<>();
        long[] skipped = {0};
        run(paths, policy, results::add, n -> skipped[0] += n);
        return CheckReport.of(policy, results, skipped[0]);
    }

    /** {@link #run(List, DistributionPolicy, Consumer, LongConsumer)} without counting skipped files. */
    public static void run(List<Path> paths, DistributionPolicy policy, Consumer<PackageResult> sink) {
        run(paths, policy, sink, n -> { });
    }

    /**
     * Reads and evaluates every RPM the paths name and hands each result to {@code sink} in the
     * paths' order, on the calling thread, once it, every result before it and the rest of its
     * batch are known. Up to {@link #READERS} threads read files ahead of the one being handed
     * over, in batches of {@link #BATCH}, at most {@link #BATCHES_PER_READER} batches each: what
     * stays in memory is the list of paths to visit and the results of that window (each package
     * is dropped once evaluated). A failure of the checker itself while listing a path (out of memory, a bug)
     * becomes an internal-failure result for that path, and the next path is visited; a file that
     * ran out of memory while others were being read beside it is read again alone before its
     * result is given; what {@code sink} throws ends the run. {@code skipped} is told, once per
     * directory that has any, how many files found there were not checked because their names do
     * not end in {@code .rpm}.
     */
    public static void run(List<Path> paths, DistributionPolicy policy, Consumer<PackageResult> sink,
                           LongConsumer skipped) {
        run(paths, policy, sink, skipped, READERS);
    }

    /** {@link #run(List, DistributionPolicy, Consumer, LongConsumer)} with this many reader threads (1: none). */
    static void run(List<Path> paths, DistributionPolicy policy, Consumer<PackageResult> sink,
                    LongConsumer skipped, int readers) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(skipped, "skipped");
        RpmReader reader = new RpmReader();
        // Only paths given more than once, or below two arguments, can be reached twice.
        Set<String> seen = paths.size() > 1 ? new HashSet<>() : null;
        try (Window window = new Window(readers, reader, policy, sink)) {
            for (Path path : paths) {
                for (Target t : listed(path, skipped)) {
                    if (t.result() != null) {
                        window.add(t.result());
                    } else if (seen == null || seen.add(t.path().toAbsolutePath().normalize().toString())) {
                        window.add(t.path(), t.attrs());
                    }
                }
            }
            window.finish();
        }
    }

    /** The files a path names; when listing it failed, one internal-failure result instead. */
    private static List<Target> listed(Path path, LongConsumer skipped) {
        try {
            return expand(path, skipped);
        } catch (OutOfMemoryError e) {
            return List.of(Target.of(PackageResult.internalPathError(path.toString(), "out of memory listing this path"
                    + " (raise the Java heap, -Xmx; now " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)")));
        } catch (RuntimeException | StackOverflowError e) {
            return List.of(Target.of(PackageResult.internalPathError(path.toString(),
                    "could not be listed (" + describe(e) + ")")));
        }
    }

    /** One file's result, and whether it is an out-of-memory failure (worth one more try alone). */
    private record Checked(PackageResult result, boolean outOfMemory) {
    }

    private static Checked check(RpmReader reader, Path file, BasicFileAttributes attrs, DistributionPolicy policy) {
        String shown = file.toString();
        try {
            RpmPackage pkg = attrs == null ? reader.read(file) : reader.read(file, attrs);
            // Only the identity and the findings are kept: the package's lists go with it.
            return new Checked(PackageResult.evaluated(shown, pkg, policy.evaluate(pkg)), false);
        } catch (RpmFormatException e) {
            return new Checked(PackageResult.error(shown, e.getReason()), false);
        } catch (OutOfMemoryError e) {
            // What the file needed is unreachable once this frame is left: the next file has the memory back.
            return new Checked(PackageResult.internalError(shown, "out of memory reading or checking this file"
                    + " (raise the Java heap, -Xmx; now " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)"),
                    true);
        } catch (RuntimeException | StackOverflowError e) {
            return new Checked(PackageResult.internalError(shown, "could not be checked (" + describe(e) + ")"), false);
        }
    }

    /**
     * Files being read ahead by the reader threads, in batches of up to {@link #BATCH} consecutive
     * files (one hand-over between threads per batch, not per file), and the results before them, in
     * the order they were added: results leave in that order whichever read ends first. With one
     * reader, each file is read when added, on the calling thread.
     */
    private static final class Window implements AutoCloseable {
        private final RpmReader reader;
        private final DistributionPolicy policy;
        private final Consumer<PackageResult> sink;
        private final ExecutorService pool;
        /** Batches that may be read ahead of the one being handed over. */
        private final int size;
        private final Deque<Entry> entries = new ArrayDeque<>();
        private List<Path> files = new ArrayList<>();
        private List<BasicFileAttributes> attrs = new ArrayList<>();

        /** Files (none for a result known at once) and their results to come, in the same order. */
        private record Entry(List<Path> files, Future<List<Checked>> checked) {
        }

        Window(int readers, RpmReader reader, DistributionPolicy policy, Consumer<PackageResult> sink) {
            this.reader = reader;
            this.policy = policy;
            this.sink = sink;
            this.pool = readers > 1 ? Executors.newFixedThreadPool(readers, Window::daemon) : null;
            // With no reader threads nothing waits: a known result goes out at once, as a file's does.
            this.size = pool == null ? 0 : readers * BATCHES_PER_READER;
        }

        private static Thread daemon(Runnable r) {
            Thread t = new Thread(r, "mlnx-lustre-reader");
            t.setDaemon(true);
            return t;
        }

        void add(PackageResult known) {
            submit();
            entries.add(new Entry(List.of(), CompletableFuture.completedFuture(List.of(new Checked(known, false)))));
            handOver(size);
        }

        void add(Path file, BasicFileAttributes attrs) {
            if (pool == null) {
                sink.accept(check(reader, file, attrs, policy).result());
                return;
            }
            files.add(file);
            this.attrs.add(attrs);
            if (files.size() == BATCH) {
                submit();
                handOver(size);
            }
        }

        /** The files added since the last batch, as one batch for a reader thread. */
        private void submit() {
            if (files.isEmpty()) {
                return;
            }
            List<Path> batch = files;
            List<BasicFileAttributes> batchAttrs = attrs;
            files = new ArrayList<>();
            attrs = new ArrayList<>();
            entries.add(new Entry(batch, pool.submit(() -> {
                List<Checked> out = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    out.add(check(reader, batch.get(i), batchAttrs.get(i), policy));
                }
                return out;
            })));
        }

        void finish() {
            if (pool != null) {
                submit();
            }
            handOver(0);
        }

        /** Hands results over, oldest first, until at most {@code keep} batches are still to come. */
        private void handOver(int keep) {
            while (entries.size() > keep) {
                Entry e = entries.removeFirst();
                List<Checked> checked = await(e.checked());
                for (int i = 0; i < checked.size(); i++) {
                    Checked c = checked.get(i);
                    if (c.outOfMemory()) {
                        // It shared the heap with the other reads: once they are done, it gets the heap alone.
                        entries.forEach(other -> await(other.checked()));
                        c = check(reader, e.files().get(i), null, policy);
                    }
                    sink.accept(c.result());
                }
            }
        }

        private static <T> T await(Future<T> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for a file being read");
            } catch (ExecutionException e) {
                // check() turns every failure worth a result into one: what is left is thrown as is.
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** One file to read (with its attributes when they are known), or a result known without reading. */
    private record Target(Path path, BasicFileAttributes attrs, PackageResult result) {
        static Target file(Path path, BasicFileAttributes attrs) {
            return new Target(path, attrs, null);
        }

        static Target of(PackageResult result) {
            return new Target(null, null, result);
        }

        static Target error(Path path, String reason) {
            return new Target(path, null, PackageResult.pathError(path.toString(), reason));
        }
    }

    private static List<Target> expand(Path path, LongConsumer skipped) {
        BasicFileAttributes attrs;
        try {
            // One stat for "does it exist", "is it a directory" and what the reader needs.
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return List.of(Target.error(path, Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                    ? "broken symbolic link" : "no such file or directory"));
        }
        if (!attrs.isDirectory()) {
            return List.of(Target.file(path, attrs));
        }
        List<Path> rpms = new ArrayList<>();
        List<Target> errors = new ArrayList<>();
        long[] others = {0};
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    // attrs are the link's own: a link is followed to see what it names.
                    if (file.getFileName().toString().endsWith(".rpm")
                            && (attrs.isRegularFile() || attrs.isSymbolicLink() && Files.isRegularFile(file))) {
                        rpms.add(file);
                    } else {
                        others[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    errors.add(Target.error(file, "cannot be listed: " + describe(e)));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            errors.add(Target.error(path, "cannot be listed: " + describe(e)));
        }
        List<Target> out = new ArrayList<>();
        rpms.stream().sorted(Comparator.comparing(Path::toString)).forEach(p -> out.add(Target.file(p, null)));
        errors.stream().sorted(Comparator.comparing(t -> t.path().toString())).forEach(out::add);
        if (others[0] > 0) {
            skipped.accept(others[0]);
        }
        if (out.isEmpty()) {
            out.add(Target.error(path, others[0] == 0 ? "empty directory: no *.rpm file to check"
                    : "directory holds no *.rpm file (" + others[0] + " other file" + (others[0] == 1 ? "" : "s")
                    + " skipped)"));
        }
        return out;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m;
    }
}

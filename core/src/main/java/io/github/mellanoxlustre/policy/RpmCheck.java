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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
     * Reads and evaluates every RPM the paths name, in order, and hands each result to {@code sink}
     * as soon as it is known, keeping none: what stays in memory is the list of paths to visit.
     * A failure of the checker itself while listing a path (out of memory, a bug) becomes an
     * internal-failure result for that path, and the next path is visited; what {@code sink} throws
     * ends the run. {@code skipped} is told, once per directory that has any, how many files found
     * there were not checked because their names do not end in {@code .rpm}.
     */
    public static void run(List<Path> paths, DistributionPolicy policy, Consumer<PackageResult> sink,
                           LongConsumer skipped) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(skipped, "skipped");
        RpmReader reader = new RpmReader();
        // Only paths given more than once, or below two arguments, can be reached twice.
        Set<String> seen = paths.size() > 1 ? new HashSet<>() : null;
        for (Path path : paths) {
            for (Target t : listed(path, sink, skipped)) {
                if (t.error() != null) {
                    sink.accept(PackageResult.pathError(t.path().toString(), t.error()));
                } else if (seen == null || seen.add(t.path().toAbsolutePath().normalize().toString())) {
                    sink.accept(check(reader, t.path(), policy));
                }
            }
        }
    }

    /** The files a path names; none when listing it failed, which {@code sink} is told. */
    private static List<Target> listed(Path path, Consumer<PackageResult> sink, LongConsumer skipped) {
        try {
            return expand(path, skipped);
        } catch (OutOfMemoryError e) {
            sink.accept(PackageResult.internalPathError(path.toString(), "out of memory listing this path"
                    + " (raise the Java heap, -Xmx; now " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)"));
        } catch (RuntimeException | StackOverflowError e) {
            sink.accept(PackageResult.internalPathError(path.toString(), "could not be listed (" + describe(e) + ")"));
        }
        return List.of();
    }

    private static PackageResult check(RpmReader reader, Path file, DistributionPolicy policy) {
        String shown = file.toString();
        try {
            RpmPackage pkg = reader.read(file);
            // Only the identity and the findings are kept: the package's lists go with it.
            return PackageResult.evaluated(shown, pkg, policy.evaluate(pkg));
        } catch (RpmFormatException e) {
            return PackageResult.error(shown, e.getReason());
        } catch (OutOfMemoryError e) {
            // What the file needed is unreachable once this frame is left: the next file has the memory back.
            return PackageResult.internalError(shown, "out of memory reading or checking this file"
                    + " (raise the Java heap, -Xmx; now " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)");
        } catch (RuntimeException | StackOverflowError e) {
            return PackageResult.internalError(shown, "could not be checked (" + describe(e) + ")");
        }
    }

    /** One file to read, or a path that yields an error instead. */
    private record Target(Path path, String error) {
    }

    private static List<Target> expand(Path path, LongConsumer skipped) {
        if (!Files.exists(path)) {
            return List.of(new Target(path, Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                    ? "broken symbolic link" : "no such file or directory"));
        }
        if (!Files.isDirectory(path)) {
            return List.of(new Target(path, null));
        }
        List<Path> rpms = new ArrayList<>();
        List<Target> errors = new ArrayList<>();
        long[] others = {0};
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (file.getFileName().toString().endsWith(".rpm") && Files.isRegularFile(file)) {
                        rpms.add(file);
                    } else {
                        others[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    errors.add(new Target(file, "cannot be listed: " + describe(e)));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            errors.add(new Target(path, "cannot be listed: " + describe(e)));
        }
        List<Target> out = new ArrayList<>();
        rpms.stream().sorted(Comparator.comparing(Path::toString)).forEach(p -> out.add(new Target(p, null)));
        errors.stream().sorted(Comparator.comparing(t -> t.path().toString())).forEach(out::add);
        if (others[0] > 0) {
            skipped.accept(others[0]);
        }
        if (out.isEmpty()) {
            out.add(new Target(path, others[0] == 0 ? "empty directory: no *.rpm file to check"
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

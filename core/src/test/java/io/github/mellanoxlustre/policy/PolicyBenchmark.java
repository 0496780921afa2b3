package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import io.github.mellanoxlustre.testing.TestRpm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Benchmark harness (not a test): per package, what reading its headers costs against what the
 * {@code distribute} policy costs to evaluate it, in this warm JVM on one thread.
 *
 * <pre>
 * mvn -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.mellanoxlustre.policy.PolicyBenchmark [-Dexec.args="CORPUS_DIR"]
 * </pre>
 *
 * <p>The corpus (default {@code core/target/policy-bench-corpus}, kept between runs) is
 * {@value #PACKAGES} packages built by rpmbuild, shaped like a Lustre build's output: 1 to 400
 * files each, every fourth with a kernel module below {@code /lib/modules}, some CDDL. After
 * {@value #WARMUP_SECONDS} s of warm-up, {@value #PASSES} timed passes each read every file
 * (headers only) and evaluate every package; the medians are printed.
 */
public final class PolicyBenchmark {
    static final int PACKAGES = 40;
    static final int WARMUP_SECONDS = 10;
    static final int PASSES = 15;

    private PolicyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String defaultDir = Files.isRegularFile(Path.of("core", "pom.xml")) ? "core/target/policy-bench-corpus"
                : "target/policy-bench-corpus";
        Path corpus = Path.of(args.length > 0 ? args[0] : defaultDir).toAbsolutePath();
        List<Path> files = corpus(corpus);
        RpmReader reader = new RpmReader();
        DistributionPolicy policy = DistributionPolicy.distribute();
        List<RpmPackage> packages = new ArrayList<>();
        long paths = 0;
        for (Path f : files) {
            RpmPackage p = reader.read(f);
            packages.add(p);
            paths += p.files().size();
        }
        long end = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end) {
            readPass(reader, files);
            evaluatePass(policy, packages);
        }
        List<Double> read = new ArrayList<>();
        List<Double> evaluate = new ArrayList<>();
        for (int i = 0; i < PASSES; i++) {
            read.add(readPass(reader, files) / files.size());
            evaluate.add(evaluatePass(policy, packages) / packages.size());
        }
        System.out.printf(Locale.ROOT, "corpus: %d RPMs, %,d file paths, in %s%n", files.size(), paths, corpus);
        System.out.printf(Locale.ROOT, "load average: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf(Locale.ROOT, "read headers:         median %.1f us per package%n", median(read));
        System.out.printf(Locale.ROOT, "evaluate (distribute): median %.1f us per package (%.2fx reading)%n",
                median(evaluate), median(evaluate) / median(read));
    }

    private static double readPass(RpmReader reader, List<Path> files) throws Exception {
        long t0 = System.nanoTime();
        long sink = 0;
        for (Path f : files) {
            sink += reader.read(f).headerBytes();
        }
        return check(sink, t0);
    }

    private static double evaluatePass(DistributionPolicy policy, List<RpmPackage> packages) {
        long t0 = System.nanoTime();
        long sink = 0;
        for (RpmPackage p : packages) {
            sink += policy.evaluate(p).findings().size() + 1;
        }
        return check(sink, t0);
    }

    /** Microseconds since t0; the sink keeps the work from being optimised away. */
    private static double check(long sink, long t0) {
        double us = (System.nanoTime() - t0) / 1e3;
        if (sink < 0) {
            throw new AssertionError();
        }
        return us;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static List<Path> corpus(Path dir) throws Exception {
        Path done = dir.resolve(".complete-" + PACKAGES);
        if (!Files.exists(done)) {
            System.out.println("building the corpus in " + dir + " (once; kept for later runs)");
            for (int i = 0; i < PACKAGES; i++) {
                TestRpm t = TestRpm.named("bench-policy-" + i).version("2.15." + i)
                        .license(i % 5 == 0 ? "CDDL" : "GPL-2.0-only")
                        .manyFiles("/usr/share/bench-policy/" + i, 1 + (i * 53) % 400)
                        .file("/usr/lib64/bench-policy/" + i + "/lib.so", "x");
                if (i % 4 == 0) {
                    t.file("/lib/modules/5.14/extra/bench/m" + i + ".ko.xz", "elf");
                }
                t.build(dir);
            }
            Files.createFile(done);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".rpm")).sorted().toList();
        }
    }
}

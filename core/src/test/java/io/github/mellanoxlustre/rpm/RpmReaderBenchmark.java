package io.github.mellanoxlustre.rpm;

import io.github.mellanoxlustre.testing.TestRpm;
import io.github.mellanoxlustre.testing.TestRpm.Compressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Benchmark harness (not a test): {@link RpmReader} against {@code rpm -qp} over the same corpus,
 * and the bytes {@link RpmReader} reads per file.
 *
 * <pre>
 * mvn -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.mellanoxlustre.rpm.RpmReaderBenchmark [-Dexec.args="CORPUS_DIR [build-only]"]
 * </pre>
 *
 * <p>The corpus (default {@code core/target/rpm-bench-corpus}, kept between runs) is 1,000 RPMs:
 * {@value #BIG} with a 50 MB incompressible payload, the rest small (1 to 200 files, a few
 * dependencies). {@value #DISTINCT_SMALL} small and {@value #DISTINCT_BIG} big packages are built by
 * rpmbuild, the rest are copies under other names. One more package with 20,000 files measures a
 * large header on its own.
 *
 * <p>RpmReader runs single-threaded in this warm JVM: {@value #WARMUP} untimed passes, then
 * {@value #PASSES} timed passes (best and median reported). rpm runs once per pass as ONE
 * {@code rpm -qp} process given all 1,000 files, with a query format asking for what RpmReader
 * returns (NEVRA, license, requires, provides, file names), once with rpm's default header digest
 * checks (as RpmReader does) and once with {@code --nosignature --nodigest}.
 */
public final class RpmReaderBenchmark {
    static final int TOTAL = 1000;
    static final int BIG = 20;
    static final int DISTINCT_SMALL = 100;
    static final int DISTINCT_BIG = 4;
    static final long BIG_PAYLOAD = 50L * 1024 * 1024;
    static final int WARMUP = 5;
    static final int PASSES = 7;
    private static final String QF = "%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE}\\n"
            + "[%{REQUIRENEVRS}\\n][%{PROVIDENEVRS}\\n][%{FILENAMES}\\n]";

    private RpmReaderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // exec:java runs in Maven's JVM, whose working directory is where mvn was started.
        String defaultDir = Files.isRegularFile(Path.of("core", "pom.xml")) ? "core/target/rpm-bench-corpus"
                : "target/rpm-bench-corpus";
        Path corpus = Path.of(args.length > 0 ? args[0] : defaultDir).toAbsolutePath();
        List<Path> files = corpus(corpus);
        Path manyFiles = manyFilesPackage(corpus.resolve("large-header"));
        if (args.length > 1 && args[1].equals("build-only")) {
            return;
        }
        RpmReader reader = new RpmReader();
        System.out.printf(Locale.ROOT, "corpus: %d RPMs in %s (%d with a 50 MB payload), %.1f MB on disk%n",
                files.size(), corpus, BIG, totalSize(files) / 1e6);

        // Page cache warm for both sides.
        for (Path f : files) {
            reader.read(f);
        }
        rpmPass(files, true);

        for (int i = 0; i < WARMUP; i++) {
            readerPass(reader, files);
        }
        List<Double> readerRates = new ArrayList<>();
        for (int i = 0; i < PASSES; i++) {
            readerRates.add(readerPass(reader, files));
        }
        List<Double> rpmRates = new ArrayList<>();
        List<Double> rpmNoCheckRates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rpmRates.add(rpmPass(files, false));
            rpmNoCheckRates.add(rpmPass(files, true));
        }
        double readerBest = max(readerRates);
        double rpmBest = max(rpmRates);
        System.out.printf(Locale.ROOT, "RpmReader (1 thread, warm JVM): best %,.0f files/s, median %,.0f files/s%n",
                readerBest, median(readerRates));
        System.out.printf(Locale.ROOT, "rpm -qp, one process for all files, digests checked: best %,.0f files/s%n", rpmBest);
        System.out.printf(Locale.ROOT, "rpm -qp --nosignature --nodigest, one process:         best %,.0f files/s%n",
                max(rpmNoCheckRates));
        System.out.printf(Locale.ROOT, "ratio RpmReader / rpm (digests checked): %.1fx (target >= 4x: %s)%n",
                readerBest / rpmBest, readerBest >= 4 * rpmBest ? "met" : "NOT met");

        // Bytes read per RPM, small vs 50 MB payloads.
        long worstOver = 0;
        long[] small = {Long.MAX_VALUE, 0, 0};
        long[] big = {Long.MAX_VALUE, 0, 0};
        for (Path f : files) {
            long size = Files.size(f);
            long[] acc = size > BIG_PAYLOAD ? big : small;
            try (CountingChannel ch = new CountingChannel(Files.newByteChannel(f))) {
                RpmPackage pkg = reader.read(f, ch);
                long over = ch.bytesRead - pkg.headerBytes();
                worstOver = Math.max(worstOver, over);
                acc[0] = Math.min(acc[0], ch.bytesRead);
                acc[1] = Math.max(acc[1], ch.bytesRead);
                acc[2] = Math.max(acc[2], pkg.headerBytes());
            }
        }
        System.out.printf(Locale.ROOT, "bytes read, small RPMs:       %,d .. %,d (largest header %,d)%n", small[0], small[1], small[2]);
        System.out.printf(Locale.ROOT, "bytes read, 50 MB-payload RPMs: %,d .. %,d (largest header %,d)%n", big[0], big[1], big[2]);
        System.out.printf(Locale.ROOT, "most bytes read past the header end: %,d (buffer %,d; target <= 65,536: %s)%n",
                worstOver, RpmReader.BUFFER_BYTES, worstOver <= 65536 ? "met" : "NOT met");

        // One large header on its own.
        RpmPackage many = reader.read(manyFiles);
        int n = 200;
        for (int i = 0; i < n; i++) {
            reader.read(manyFiles);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            reader.read(manyFiles);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / n;
        List<Path> repeated = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            repeated.add(manyFiles);
        }
        double rpmManyRate = rpmPass(repeated, false);
        System.out.printf(Locale.ROOT, "%,d-file package (header %,d bytes): RpmReader %.2f ms/read; rpm -qp %.1f ms/read%n",
                many.files().size(), many.headerBytes(), ms, 1000 / rpmManyRate);
    }

    private static double readerPass(RpmReader reader, List<Path> files) throws IOException {
        long t0 = System.nanoTime();
        long sink = 0;
        for (Path f : files) {
            sink += reader.read(f).files().size();
        }
        long ns = System.nanoTime() - t0;
        if (sink < 0) {
            throw new AssertionError();
        }
        return files.size() / (ns / 1e9);
    }

    /** One {@code rpm -qp} process over all files; files per second. */
    private static double rpmPass(List<Path> files, boolean noChecks) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("rpm", "-qp"));
        if (noChecks) {
            cmd.addAll(List.of("--nosignature", "--nodigest"));
        }
        cmd.addAll(List.of("--qf", QF.replace("\\n", "\n")));
        for (Path f : files) {
            cmd.add(f.toString());
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        long ns = System.nanoTime() - t0;
        if (rc != 0 || out.length == 0) {
            throw new IOException("rpm -qp failed: " + rc);
        }
        return files.size() / (ns / 1e9);
    }

    private static List<Path> corpus(Path dir) throws Exception {
        Path done = dir.resolve(".complete-" + TOTAL + "-" + BIG);
        if (!Files.exists(done)) {
            System.out.println("building the corpus in " + dir + " (once; kept for later runs)");
            Files.createDirectories(dir);
            Path build = dir.resolve("build");
            List<Path> smalls = new ArrayList<>();
            for (int i = 0; i < DISTINCT_SMALL; i++) {
                TestRpm t = TestRpm.named("bench-small-" + i).version("1." + i).release(Integer.toString(i % 7 + 1))
                        .compressor(Compressor.values()[i % Compressor.values().length])
                        .requires("lustre-client >= 2.15." + i).provides("bench-cap-" + i + " = 1.0");
                int nfiles = 1 + (i * 37) % 200;
                if (i % 3 == 0) {
                    t.manyFiles("/usr/share/bench/" + i, nfiles);
                } else {
                    t.file("/usr/lib64/bench/" + i + "/lib.so", "x".repeat(i));
                }
                smalls.add(t.build(build));
            }
            List<Path> bigs = new ArrayList<>();
            for (int i = 0; i < DISTINCT_BIG; i++) {
                bigs.add(TestRpm.named("bench-big-" + i).randomFile("/opt/bench/blob-" + i + ".bin", BIG_PAYLOAD)
                        .compressor(i % 2 == 0 ? Compressor.NONE : Compressor.ZSTD).build(build));
            }
            for (int i = 0; i < TOTAL; i++) {
                boolean isBig = i % (TOTAL / BIG) == 0;
                Path src = isBig ? bigs.get((i / (TOTAL / BIG)) % bigs.size()) : smalls.get(i % smalls.size());
                Files.copy(src, dir.resolve(String.format(Locale.ROOT, "%04d-%s", i, src.getFileName())),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            try (Stream<Path> s = Files.walk(build)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            Files.writeString(done, "complete\n", StandardCharsets.UTF_8);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".rpm")).sorted().toList();
        }
    }

    private static Path manyFilesPackage(Path dir) throws Exception {
        try (Stream<Path> s = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            List<Path> existing = s.filter(p -> p.toString().endsWith(".rpm")).toList();
            if (!existing.isEmpty()) {
                return existing.get(0);
            }
        }
        return TestRpm.named("bench-many-files").manyFiles("/usr/share/bench-many", 20_000)
                .compressor(Compressor.ZSTD).build(dir);
    }

    private static long totalSize(List<Path> files) throws IOException {
        long t = 0;
        for (Path f : files) {
            t += Files.size(f);
        }
        return t;
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return s.get(s.size() / 2);
    }

    /** Counts the bytes a channel hands out. */
    static final class CountingChannel implements SeekableByteChannel {
        private final SeekableByteChannel in;
        long bytesRead;

        CountingChannel(SeekableByteChannel in) {
            this.in = in;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = in.read(dst);
            if (n > 0) {
                bytesRead += n;
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            throw new IOException("read only");
        }

        @Override
        public long position() throws IOException {
            return in.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            in.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return in.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            throw new IOException("read only");
        }

        @Override
        public boolean isOpen() {
            return in.isOpen();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

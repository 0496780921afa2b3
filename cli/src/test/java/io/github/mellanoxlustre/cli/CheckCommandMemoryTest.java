package io.github.mellanoxlustre.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.rpm.BigHeaderRpms;
import io.github.mellanoxlustre.report.ReportFormat;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import io.github.mellanoxlustre.testing.TestRpm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code mlnx-lustre check} in a JVM of its own with a small heap (-Xmx), as users run it: a valid
 * RPM with a million dependencies is read in 256 MB, and a file too big for the heap is reported as
 * an internal failure (exit 3), never as "forbidden" (1), with every other file still reported.
 */
class CheckCommandMemoryTest {
    /** Files in the generated corpus: enough that keeping each one's findings needs more than 32 MB. */
    static final int CORPUS_FILES = 1000;

    @TempDir
    static Path shared;
    static Path good;
    static Path other;

    /** Outcome of one forked run. */
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void buildRpms() throws Exception {
        good = LustreZfsRpms.lustre(shared.resolve("a"));
        other = LustreZfsRpms.zfs(shared.resolve("c"));
    }

    static Run fork(String xmx, Path... files) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        for (Path f : files) {
            args.add(f.toString());
        }
        return fork(xmx, args);
    }

    /** {@code mlnx-lustre check ARGS...} in a JVM of its own with this -Xmx option. */
    static Run fork(String xmx, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                xmx, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "check"));
        cmd.addAll(args);
        Path out = Files.createTempFile(shared, "out", ".txt");
        Path err = Files.createTempFile(shared, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("check did not finish in 120 s: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void aCorpusOfManyFilesCompletesIn32MegabytesInEveryFormat(ReportFormat format) throws Exception {
        Path corpus = forbiddenCorpus();
        Path report = shared.resolve("report-" + format.label());
        Run r = fork("-Xmx32m", List.of("--format", format.label(), "-o", report.toString(), corpus.toString()));
        String summary = "FAIL: " + CORPUS_FILES + " files, 0 distributable, " + CORPUS_FILES + " forbidden, 0 errors";
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("Wrote " + format.label() + " report to " + report + ": " + summary + "\n");
        assertThat(r.code()).isEqualTo(1);
        String entry = switch (format) {
            case TEXT -> "FORBIDDEN      many-modules-1-1.x86_64  (";
            case JSON -> "\"verdict\" : \"FORBIDDEN\"";
            case HTML -> "<tr class=\"forbidden\">";
        };
        long entries;
        long findings;
        try (Stream<String> lines = Files.lines(report)) {
            long[] n = new long[2];
            lines.forEach(l -> {
                n[0] += l.contains(entry) ? 1 : 0;
                n[1] += count(l, "more like the above");
            });
            entries = n[0];
            findings = n[1];
        }
        assertThat(entries).isEqualTo(CORPUS_FILES);
        // Each file's two capped rules each end in one finding that counts the rest.
        assertThat(findings).isEqualTo(2L * CORPUS_FILES);
        if (format == ReportFormat.TEXT) {
            assertThat(tail(report)).endsWith(summary + "\n");
        }
        Files.delete(report);
    }

    /**
     * {@value #CORPUS_FILES} names of one real RPM that ships 150 zfs.ko and 150 osd_zfs.ko: some 200
     * findings per file, which a check that keeps every result until the report is written cannot
     * hold in 32 MB. Hard links: each name is opened and read, the disk holds one file.
     */
    private static Path forbiddenCorpus() throws Exception {
        Path dir = shared.resolve("corpus");
        if (Files.isDirectory(dir)) {
            return dir;
        }
        TestRpm rpm = TestRpm.named("many-modules").version("1").license("CDDL").requires("ksym(dmu_buf_hold) = 0x1");
        for (int i = 0; i < 150; i++) {
            rpm.file("/lib/modules/" + LustreZfsRpms.KVER + "/extra/zfs/" + i + "/zfs.ko", "elf")
                    .file("/lib/modules/" + LustreZfsRpms.KVER + "/extra/osd/" + i + "/osd_zfs.ko", "elf");
        }
        Path built = rpm.build(shared.resolve("built"));
        Files.createDirectories(dir);
        for (int i = 0; i < CORPUS_FILES; i++) {
            Files.createLink(dir.resolve(String.format("many-modules-%05d.rpm", i)), built);
        }
        return dir;
    }

    private static long count(String s, String part) {
        long n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String tail(Path file) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, f.length() - 200);
            byte[] b = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    @Test
    void millionDependenciesAreReadIn256Megabytes() throws Exception {
        // rpm -qp reads this header (1,048,575 one-character requires and provides) in 22 MB.
        Path big = BigHeaderRpms.manyDependencies(shared.resolve("b/many-deps-1-1.x86_64.rpm"),
                BigHeaderRpms.ARRAY_MAX);
        Run r = fork("-Xmx256m", good, big, other);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("DISTRIBUTABLE  lustre-1:2.15.4-1.el8.x86_64")
                .contains("DISTRIBUTABLE  many-deps-1-1.x86_64  (" + big + ")")
                .contains("DISTRIBUTABLE  zfs-2.1.5-1.el8.x86_64")
                .endsWith("PASS: 3 files, 3 distributable, 0 forbidden, 0 errors\n");
        assertThat(r.code()).isZero();
    }

    @Test
    void aFileTooBigForTheHeapIsAnInternalFailureAndHidesNothing() throws Exception {
        // 40 MB of header: under the reader's 64 MiB cap, over a 32 MB heap.
        Path huge = BigHeaderRpms.bigBinary(shared.resolve("h/big-bin-1-1.x86_64.rpm"), 40 * 1024 * 1024);
        Run r = fork("-Xmx32m", good, huge, other);
        assertThat(r.out()).contains("DISTRIBUTABLE  lustre-1:2.15.4-1.el8.x86_64")
                .contains("ERROR          " + huge + ": internal failure: out of memory")
                .contains("DISTRIBUTABLE  zfs-2.1.5-1.el8.x86_64")
                .endsWith("INCOMPLETE: 3 files, 2 distributable, 0 forbidden, 1 error\n");
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(3);

        // The JSON report, written from the spool after the last file, says the same.
        Run json = fork("-Xmx32m", List.of("--format", "json", good.toString(), huge.toString(), other.toString()));
        assertThat(json.out()).contains("\"verdict\" : \"INCOMPLETE\"").contains("\"exitCode\" : 3")
                .contains("\"files\" : 3").contains("\"error\" : \"internal failure: out of memory")
                .contains("\"name\" : \"lustre\"").contains("\"name\" : \"zfs\"");
        assertThat(json.code()).as("exit code; stderr: %s", json.err()).isEqualTo(3);
    }
}

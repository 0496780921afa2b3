package io.github.mellanoxlustre.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.testing.LustreZfsRpms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plainly valid {@code check} command line runs without picocli ({@link LeanCheck}) and answers
 * exactly as picocli's path does; every other command line is left to picocli.
 */
class CheckLeanPathTest {
    @TempDir
    static Path shared;
    static Path mixed;
    static Path lustre;

    /** Outcome of one run. */
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void buildRpms() throws Exception {
        mixed = shared.resolve("mixed");
        LustreZfsRpms.kmodZfs(mixed);
        LustreZfsRpms.zfsDkms(mixed);
        lustre = LustreZfsRpms.lustre(mixed);
        LustreZfsRpms.notAnRpm(mixed, "broken.rpm");
        Files.writeString(shared.resolve("site.yaml"), "name: site\nbase: internal\n");
        Files.writeString(shared.resolve("bad.yaml"), "name: [\n");
    }

    @Test
    void plainCommandLinesAnswerAsPicocliDoes() {
        String out = shared.resolve("out/report.html").toString();
        String policy = shared.resolve("site.yaml").toString();
        List<String[]> lines = List.of(
                args(mixed.toString()),
                args(lustre.toString()),
                args("--policy", "internal", mixed.toString()),
                args("--policy=" + policy, "--format=JSON", mixed.toString(), lustre.toString()),
                args("--format", "html", mixed.toString()),
                args("-o", out, "--format", "html", mixed.toString()),
                args("--output=" + out, mixed.toString()),
                args(shared.resolve("missing.rpm").toString()),
                args("-o", shared.toString(), mixed.toString()));
        for (String[] a : lines) {
            Run lean = lean(a);
            Run picocli = picocli(a);
            assertThat(lean.code()).as(String.join(" ", a)).isEqualTo(picocli.code());
            assertThat(lean.err()).as(String.join(" ", a)).isEqualTo(picocli.err());
            // the HTML header's generation time may fall in another second between the two runs
            assertThat(timeless(lean.out())).as(String.join(" ", a)).isEqualTo(timeless(picocli.out()));
        }
    }

    private static String timeless(String report) {
        return report.replaceAll("Generated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC", "Generated <time> UTC");
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        String m = mixed.toString();
        for (String[] a : List.of(args(), new String[] {"plan", m}, new String[] {"check"}, args("--help"), args("-h", m),
                args("-V"), args("--polcy", "internal", m), args("--policy", "internal", "--policy", "distribute", m),
                args("--format", "xml", m), args("--format", m), args("--policy"), args(m, "--format"),
                args("--policy", shared.resolve("bad.yaml").toString(), m), args("--policy", "strict", m),
                args("@" + m), args("-o=x", m), args("--", m), args("-", m), args("--format", "-o", m))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertThat(LeanCheck.run(new PrintWriter(out), new PrintWriter(err), a)).as(String.join(" ", a)).isEmpty();
            assertThat(out.toString() + err).as(String.join(" ", a)).isEmpty();
        }
        Run r = run(args("--format", "xml", mixed.toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("mlnx-lustre check: Invalid value for option '--format': 'xml' is not a report"
                + " format");
    }

    @Test
    void aPlainCheckLoadsNoPicocliClassAndHelpStillDoes() throws Exception {
        // Verifying Main itself loads the two or three exception classes its methods throw; picocli
        // proper is some 180 classes.
        assertThat(picocliClassesLoaded("check", lustre.toString())).isLessThan(10);
        assertThat(picocliClassesLoaded("check", "--help")).isGreaterThan(100);
    }

    private static long picocliClassesLoaded(String... args) throws Exception {
        Path log = Files.createTempFile(shared, "classes", ".txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        assertThat(p.exitValue()).isZero();
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(" picocli.")).count();
        }
    }

    private static String[] args(String... rest) {
        String[] a = new String[rest.length + 1];
        a[0] = "check";
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    private static Run lean(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var code = LeanCheck.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as("the lean path took " + String.join(" ", args)).isPresent();
        return new Run(code.get(), out.toString(), err.toString());
    }

    private static Run picocli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        int code = Main.commandLine(o, e).execute(args);
        o.flush();
        e.flush();
        return new Run(code, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }
}

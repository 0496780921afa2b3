package io.github.mellanoxlustre.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlnx-lustre check}, run in-process on real RPMs. */
class CheckCommandTest {

    @TempDir
    static Path shared;
    static Path mixed;
    static Path clean;
    static Path broken;
    static Path kmodZfs;

    @TempDir
    Path tmp;

    /** Outcome of one run. */
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void buildRpms() throws Exception {
        mixed = shared.resolve("mixed");
        kmodZfs = LustreZfsRpms.kmodZfs(mixed);
        LustreZfsRpms.kmodLustreOsdZfs(mixed);
        LustreZfsRpms.zfsDkms(mixed);
        LustreZfsRpms.lustre(mixed);
        clean = shared.resolve("clean");
        LustreZfsRpms.distributable(clean);
        broken = LustreZfsRpms.notAnRpm(shared.resolve("broken"), "broken.rpm");
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void forbiddenPackagesExitOneWithATextReport() {
        Run r = run("check", mixed.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Policy: distribute\n")
                .contains("FORBIDDEN      kmod-zfs-2.1.5-1.el8.x86_64  (" + kmodZfs + ")\n")
                .contains("FORBIDDEN      kmod-lustre-osd-zfs-2.15.4-1.el8.x86_64")
                .contains("ksym(dmu_buf_hold) = 0x1a2b3c4d")
                .contains("DISTRIBUTABLE  zfs-dkms-2.1.5-1.el8.noarch")
                .endsWith("FAIL: 4 files, 2 distributable, 2 forbidden, 0 errors\n");
    }

    @Test
    void cleanSetExitsZero() {
        Run r = run("check", "--policy", "distribute", clean.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).endsWith("PASS: 4 files, 4 distributable, 0 forbidden, 0 errors\n");
    }

    @Test
    void unreadableFilesWithoutForbiddenOnesExitTwo() {
        Run r = run("check", clean.toString(), broken.toString(), shared.resolve("missing.rpm").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("ERROR          " + broken + ": ")
                .contains("ERROR          " + shared.resolve("missing.rpm") + ": no such file or directory")
                .endsWith("INCOMPLETE: 5 files, 4 distributable, 0 forbidden, 2 errors\n");   // a missing path is no file
        // ...and forbidden wins over errors.
        assertThat(run("check", broken.toString(), kmodZfs.toString()).code()).isEqualTo(1);
    }

    @Test
    void internalPolicyReportsWarningsAndExitsZero() throws Exception {
        Run r = run("check", "--policy", "internal", "--format", "json", mixed.toString());
        assertThat(r.code()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("policy").asText()).isEqualTo("internal");
        assertThat(root.get("verdict").asText()).isEqualTo("PASS");
        assertThat(root.get("summary").get("warnings").asInt()).isEqualTo(7);
        List<String> verdicts = new ArrayList<>();
        root.get("packages").forEach(p -> verdicts.add(p.get("verdict").asText()));
        assertThat(verdicts).containsOnly("DISTRIBUTABLE");
    }

    @Test
    void jsonToStdoutParsesAndMatchesTheSchema() throws Exception {
        Run r = run("check", "--format=JSON", kmodZfs.toString(), broken.toString());
        assertThat(r.code()).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(root.get("errors").asBoolean()).isTrue();
        JsonNode kmod = root.get("packages").get(0);
        assertThat(kmod.get("file").asText()).isEqualTo(kmodZfs.toString());
        assertThat(kmod.get("name").asText()).isEqualTo("kmod-zfs");
        assertThat(kmod.get("epoch").isNull()).isTrue();
        assertThat(kmod.get("license").asText()).isEqualTo("CDDL");
        assertThat(kmod.get("verdict").asText()).isEqualTo("FORBIDDEN");
        assertThat(kmod.get("findings").get(0).get("rule").asText()).isEqualTo("zfs-kmod-name");
        JsonNode err = root.get("packages").get(1);
        assertThat(err.get("verdict").asText()).isEqualTo("ERROR");
        assertThat(err.get("error").asText()).isNotBlank();
    }

    @Test
    void policyFileExceptionsAppearWithTheirReasons() throws Exception {
        Path policy = Files.writeString(tmp.resolve("partner.yaml"), """
                name: partner-export
                exceptions:
                  - name: "kmod-lustre-osd-zfs"
                    rules: [lustre-osd-zfs-kmod]
                    reason: partner runs the identical ZFS 2.1.5 build (ticket OPS-118)
                """);
        Run r = run("check", "--policy", policy.toString(), "--format", "json", mixed.toString());
        assertThat(r.code()).isEqualTo(1);   // kmod-zfs is still forbidden
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("policy").asText()).isEqualTo("partner-export");
        JsonNode osd = null;
        for (JsonNode p : root.get("packages")) {
            if (p.get("name").asText().equals("kmod-lustre-osd-zfs")) {
                osd = p;
            }
        }
        assertThat(osd).isNotNull();
        assertThat(osd.get("verdict").asText()).isEqualTo("DISTRIBUTABLE");
        assertThat(osd.get("findings")).hasSize(3).allSatisfy(f -> {
            assertThat(f.get("severity").asText()).isEqualTo("allowed");
            assertThat(f.get("exception").asText()).isEqualTo("partner runs the identical ZFS 2.1.5 build (ticket OPS-118)");
        });
        Run text = run("check", "--policy", policy.toString(), mixed.toString());
        assertThat(text.out()).contains("allowed by exception: partner runs the identical ZFS 2.1.5 build (ticket OPS-118)");
        // Three findings allowed, one file: the summary counts files, like its other counts.
        assertThat(text.out()).endsWith("FAIL: 4 files, 3 distributable, 1 forbidden, 0 errors, 1 allowed by exception\n");
        Run html = run("check", "--policy", policy.toString(), "--format", "html", mixed.toString());
        assertThat(html.out()).contains("<div class=\"n\">1</div><div class=\"l\">allowed by exception</div>")
                .contains("(base distribute, policy file " + policy + ")")
                .containsPattern("<p class=\"meta\">Generated \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC on \\S+ by mlnx-lustre ");
    }

    @Test
    void anEmptyDirectoryIsAnErrorButNotAFileInEveryFormat() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Run text = run("check", empty.toString());
        assertThat(text.code()).isEqualTo(2);
        assertThat(text.out()).isEqualTo("Policy: distribute\n"
                + "ERROR          " + empty + ": empty directory: no *.rpm file to check\n"
                + "INCOMPLETE: 0 files, 0 distributable, 0 forbidden, 1 error\n");

        JsonNode root = new ObjectMapper().readTree(run("check", "--format", "json", empty.toString()).out());
        assertThat(root.get("verdict").asText()).isEqualTo("INCOMPLETE");
        assertThat(root.get("summary").get("files").asInt()).isZero();
        assertThat(root.get("summary").get("error").asInt()).isEqualTo(1);
        assertThat(root.get("packages").get(0).get("pathError").asBoolean()).isTrue();

        String html = run("check", "--format", "html", empty.toString()).out();
        assertThat(html).contains("<div class=\"n\">0</div><div class=\"l\">files</div>")
                .contains("no file to check").contains("empty directory: no *.rpm file to check")
                .doesNotContain("No files were checked.");
    }

    @Test
    void filesNotNamedRpmAreSkippedAndTheirCountShownInEveryFormat() throws Exception {
        Path dir = tmp.resolve("repo");
        Path rpm = LustreZfsRpms.lustre(dir);
        Files.writeString(dir.resolve("SHA256SUMS"), "x\n");
        Files.writeString(Files.createDirectories(dir.resolve("repodata")).resolve("repomd.xml"), "<repomd/>\n");
        Path onlyOthers = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(onlyOthers.resolve("README"), "x\n");

        Run text = run("check", dir.toString(), onlyOthers.toString());
        assertThat(text.code()).isEqualTo(2);
        assertThat(text.out()).contains("DISTRIBUTABLE  lustre-").contains("(" + rpm + ")")
                .contains("ERROR          " + onlyOthers + ": directory holds no *.rpm file (1 other file skipped)\n")
                .endsWith("INCOMPLETE: 1 file, 1 distributable, 0 forbidden, 1 error, 3 other files skipped (not *.rpm)\n");

        Run pass = run("check", dir.toString());
        assertThat(pass.code()).isZero();
        assertThat(pass.out()).endsWith("PASS: 1 file, 1 distributable, 0 forbidden, 0 errors,"
                + " 2 other files skipped (not *.rpm)\n");

        JsonNode root = new ObjectMapper().readTree(run("check", "--format", "json", dir.toString()).out());
        assertThat(root.get("summary").get("skipped").asInt()).isEqualTo(2);
        assertThat(root.get("summary").get("files").asInt()).isEqualTo(1);

        Path report = tmp.resolve("r.html");
        Run html = run("check", "--format", "html", "-o", report.toString(), dir.toString());
        assertThat(html.out()).endsWith("2 other files skipped (not *.rpm)\n");
        assertThat(Files.readString(report)).contains("<div class=\"n\">2</div><div class=\"l\">skipped, not *.rpm</div>");
    }

    @Test
    void htmlToAFileWithASummaryLine() throws Exception {
        Path report = tmp.resolve("reports/nested/check.html");
        Run r = run("check", "--format", "html", "--output", report.toString(), mixed.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("Wrote html report to " + report + ": FAIL: 4 files, 2 distributable,"
                + " 2 forbidden, 0 errors\n");
        String html = Files.readString(report);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("kmod-zfs-2.1.5-1.el8.x86_64").endsWith("</html>\n");
        try (var files = Files.list(report.getParent())) {
            assertThat(files).containsExactly(report);   // no temp file left behind
        }
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception {
        assertUsageError(run(), "mlnx-lustre: missing subcommand; one of: check");
        assertUsageError(run("check"), "mlnx-lustre check: Missing required parameter: 'PATH'");
        assertUsageError(run("check", "--format", "xml", clean.toString()),
                "mlnx-lustre check: Invalid value for option '--format': 'xml' is not a report format;"
                        + " expected one of text, json, html");
        assertUsageError(run("check", "--policy", "strict", clean.toString()),
                "mlnx-lustre check: policy: 'strict' is neither distribute, internal nor an existing policy file");
        assertUsageError(run("check", "--frobnicate", clean.toString()),
                "mlnx-lustre check: Unknown option: '--frobnicate'");
        assertUsageError(run("frobnicate"), "mlnx-lustre: Unmatched argument at index 0: 'frobnicate'");
    }

    /** An invalid or unreadable policy file is this machine's problem, as for build and plan: exit 4. */
    @Test
    void anInvalidPolicyFileCannotRunHereAndExitsFour() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "exceptions:\n  - name: kmod-zfs*\n");
        Run r = run("check", "--policy", bad.toString(), clean.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("mlnx-lustre check: cannot run here: policy file " + bad
                + ": exceptions[0].reason: missing; every exception needs a written reason, which appears in the"
                + " report (a non-empty string); nothing checked");
    }

    @Test
    void mistypedSubcommandsAndOptionsGetTheNearestNames() {
        Run chek = run("chek", clean.toString());
        assertUsageError(chek, "mlnx-lustre: Unmatched argument");
        assertThat(chek.err()).contains("did you mean check");
        Run polcy = run("check", "--polcy", "internal", clean.toString());
        assertUsageError(polcy, "mlnx-lustre check: Unknown option: '--polcy'");
        assertThat(polcy.err()).contains("did you mean --policy");
        Run bakend = run("build", "--bundle", "MLNX_OFED_LINUX-24.10-2.1.8.0-rhel9.4-x86_64.tgz", "--output", "out",
                "--bakend", "zfs");
        assertUsageError(bakend, "mlnx-lustre build: Unknown option");
        assertThat(bakend.err()).contains("did you mean --backend");
        assertThat(run("check", "--frobnicate", clean.toString()).err()).doesNotContain("did you mean");
    }

    @Test
    void unwritableOutputIsAnErrorNotAStackTrace() throws Exception {
        Path notADir = Files.writeString(tmp.resolve("file"), "x");
        Run r = run("check", "--output", notADir.resolve("report.txt").toString(), clean.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("mlnx-lustre check: ").doesNotContain("\tat ")
                .contains("a file that is not a directory is in the way");
    }

    @Test
    void aDirectoryAsOutputSaysSoWithoutATempFileName() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("reports"));
        Run r = run("check", "--output", dir.toString(), clean.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mlnx-lustre check: cannot write the report to " + dir
                + ": it is a directory; give a file name\n");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aReportFileGetsTheUmasksModeOrKeepsItsOwn() throws Exception {
        Path reference = Files.createFile(tmp.resolve("made-as-the-shell-would"));
        Path report = tmp.resolve("out/check.txt");
        assertThat(run("check", "--output", report.toString(), clean.toString()).code()).isZero();
        assertThat(Files.getPosixFilePermissions(report)).isEqualTo(Files.getPosixFilePermissions(reference))
                .contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ);

        Files.setPosixFilePermissions(report, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        assertThat(run("check", "--output", report.toString(), clean.toString()).code()).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(report)))
                .isEqualTo("rw-r-----");
    }

    @Test
    void helpAndVersionExitZero() {
        Run help = run("check", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: mlnx-lustre check").contains("--policy=distribute|internal|FILE")
                .contains("--format=text|json|html").contains("Exit codes:");
        Run top = run("help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("check");
        assertThat(run("--version").out()).startsWith("mlnx-lustre ");
    }

    private static void assertUsageError(Run r, String startOfMessage) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(startOfMessage);
        assertThat(r.err().lines()).hasSize(1);
    }
}

package io.github.mellanoxlustre.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.DistributionPolicy;
import io.github.mellanoxlustre.policy.Evaluation;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.PolicyBase;
import io.github.mellanoxlustre.policy.PolicyFile;
import io.github.mellanoxlustre.policy.RpmCheck;
import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import io.github.mellanoxlustre.testing.TestRpm;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWritersTest {
    @TempDir
    Path tmp;

    private static String render(ReportFormat format, CheckReport report) throws Exception {
        StringWriter w = new StringWriter();
        format.writer().write(report, w);
        return w.toString();
    }

    private CheckReport mixedReport() throws Exception {
        Path dir = tmp.resolve("rpms");
        LustreZfsRpms.kmodZfs(dir);
        LustreZfsRpms.lustre(dir);
        LustreZfsRpms.zfsDkms(dir);
        LustreZfsRpms.totallyHarmless(dir);
        LustreZfsRpms.notAnRpm(dir, "broken.rpm");
        DistributionPolicy policy = PolicyFile.parse("""
                name: partner-export
                exceptions:
                  - name: totally-harmless
                    reason: audited by legal, ticket LEGAL-7
                """, "inline policy");
        return RpmCheck.run(List.of(dir), policy);
    }

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        CheckReport report = mixedReport();
        JsonNode root = new ObjectMapper().readTree(render(ReportFormat.JSON, report));
        assertThat(fieldNames(root)).containsExactly("policy", "base", "verdict", "errors", "exitCode", "summary",
                "packages");
        assertThat(root.get("policy").asText()).isEqualTo("partner-export");
        assertThat(root.get("base").asText()).isEqualTo("distribute");
        assertThat(root.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(root.get("errors").asBoolean()).isTrue();
        assertThat(root.get("exitCode").asInt()).isEqualTo(1);
        assertThat(root.get("summary").toString())
                .isEqualTo("{\"files\":5,\"distributable\":3,\"forbidden\":1,\"error\":1,\"warnings\":0,\"allowed\":1,\"skipped\":0}");

        JsonNode pkgs = root.get("packages");
        assertThat(pkgs).hasSize(5);
        List<String> names = new ArrayList<>();
        pkgs.forEach(p -> names.add(p.get("file").asText().replace(tmp.resolve("rpms") + "/", "")));
        assertThat(names).containsExactly("broken.rpm", "kmod-zfs-2.1.5-1.el8.x86_64.rpm",
                "lustre-2.15.4-1.el8.x86_64.rpm", "totally-harmless-1.0-1.x86_64.rpm", "zfs-dkms-2.1.5-1.el8.noarch.rpm");

        JsonNode broken = pkgs.get(0);
        assertThat(fieldNames(broken)).containsExactly("file", "name", "epoch", "version", "release", "arch", "license",
                "source", "verdict", "findings", "error", "pathError");
        assertThat(broken.get("pathError").asBoolean()).isFalse();
        assertThat(broken.get("verdict").asText()).isEqualTo("ERROR");
        assertThat(broken.get("name").isNull()).isTrue();
        assertThat(broken.get("error").asText()).isNotBlank();

        JsonNode kmod = pkgs.get(1);
        assertThat(fieldNames(kmod)).containsExactly("file", "name", "epoch", "version", "release", "arch", "license",
                "source", "verdict", "findings");
        assertThat(kmod.get("name").asText()).isEqualTo("kmod-zfs");
        assertThat(kmod.get("epoch").isNull()).isTrue();
        assertThat(kmod.get("version").asText()).isEqualTo("2.1.5");
        assertThat(kmod.get("release").asText()).isEqualTo("1.el8");
        assertThat(kmod.get("arch").asText()).isEqualTo("x86_64");
        assertThat(kmod.get("license").asText()).isEqualTo("CDDL");
        assertThat(kmod.get("verdict").asText()).isEqualTo("FORBIDDEN");
        JsonNode first = kmod.get("findings").get(0);
        assertThat(fieldNames(first)).containsExactly("rule", "message", "evidence", "severity");
        assertThat(first.get("rule").asText()).isEqualTo("zfs-kmod-name");
        assertThat(first.get("evidence").asText()).isEqualTo("kmod-zfs");
        assertThat(first.get("severity").asText()).isEqualTo("forbidden");
        assertThat(kmod.get("findings")).hasSize(4);

        assertThat(pkgs.get(2).get("epoch").asInt()).isEqualTo(1);
        assertThat(pkgs.get(2).get("findings")).isEmpty();

        JsonNode allowed = pkgs.get(3).get("findings").get(0);
        assertThat(pkgs.get(3).get("verdict").asText()).isEqualTo("DISTRIBUTABLE");
        assertThat(allowed.get("severity").asText()).isEqualTo("allowed");
        assertThat(allowed.get("exception").asText()).isEqualTo("audited by legal, ticket LEGAL-7");

        assertThat(pkgs.get(4).get("findings").get(0).get("severity").asText()).isEqualTo("info");
    }

    @Test
    void textIsOneLinePerFileWithIndentedFindings() throws Exception {
        CheckReport report = mixedReport();
        String text = render(ReportFormat.TEXT, report);
        String dir = tmp.resolve("rpms").toString();
        assertThat(text.lines().toList()).first().isEqualTo("Policy: partner-export (base distribute)");
        assertThat(text).contains("FORBIDDEN      kmod-zfs-2.1.5-1.el8.x86_64  (" + dir + "/kmod-zfs-2.1.5-1.el8.x86_64.rpm)\n"
                + "  forbidden  zfs-kmod-name: ");
        assertThat(text).contains("DISTRIBUTABLE  lustre-1:2.15.4-1.el8.x86_64  (" + dir + "/lustre-2.15.4-1.el8.x86_64.rpm)\n"
                + "DISTRIBUTABLE  totally-harmless");
        assertThat(text).contains("  allowed    zfs-module-file: ships the OpenZFS/SPL kernel module zfs"
                + " [/lib/modules/x/extra/zfs.ko.xz]\n             allowed by exception: audited by legal, ticket LEGAL-7\n");
        assertThat(text).containsPattern("ERROR          " + Pattern.quote(dir + "/broken.rpm") + ": \\S");
        assertThat(text).endsWith("FAIL: 5 files, 3 distributable, 1 forbidden, 1 error, 1 allowed by exception\n");
    }

    @Test
    void textNeutralisesControlCharacters() throws Exception {
        RpmPackage p = new RpmPackage("evil\u001b[2Jname", OptionalInt.empty(), "1", "1", "x86_64", "GPL", false, "",
                List.of(), List.of(), List.of(), "", 0);
        CheckReport r = new CheckReport("distribute", PolicyBase.DISTRIBUTE, List.of(
                PackageResult.evaluated("a\nb.rpm", p, Evaluation.of(List.of()))));
        String text = render(ReportFormat.TEXT, r);
        assertThat(text).doesNotContain("\u001b").contains("evil\\u001b[2Jname").contains("a\\u000ab.rpm");
        assertThat(text.lines()).hasSize(3);
    }

    @Test
    void htmlEscapesHostileFileNamesLicensesNamesAndReasons() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("<b>dir</b>"));
        Path built = TestRpm.named("hostile").license("<script>alert('license')</script> and CDDL")
                .file("/lib/modules/x/extra/<i>m</i>.ko", "elf").build(tmp.resolve("build"));
        Path hostileFile = Files.move(built, dir.resolve("<script>alert(1).rpm"));
        LustreZfsRpms.notAnRpm(dir, "\"><img src=x onerror=alert(2)>.rpm");
        DistributionPolicy policy = PolicyFile.parse("""
                name: "<script>policy</script>"
                exceptions:
                  - name: nothing-matches
                    reason: "<b>never</b>"
                """, "inline");
        CheckReport real = RpmCheck.run(List.of(dir), policy);
        // A crafted header can put any bytes in NAME; the writer must not trust it either.
        RpmPackage crafted = new RpmPackage("<script>alert('name')</script>", OptionalInt.of(3), "1&2", "\"1\"",
                "x86_64", "GPL", false, "", List.of(), List.of(), List.of(), "", 0);
        List<PackageResult> all = new ArrayList<>(real.packages());
        all.add(PackageResult.evaluated("crafted.rpm", crafted, Evaluation.of(List.of())));
        CheckReport report = new CheckReport(real.policy(), real.base(), all);

        String html = render(ReportFormat.HTML, report);
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("<img").doesNotContain("<b>")
                .doesNotContain("<i>");
        // Path names are kept whole between slashes (a slash inside a tag name is still a slash).
        assertThat(html).contains("&lt;b&gt;dir&lt;/</span><wbr><span class=\"seg\">b&gt;/</span><wbr>"
                        + "<span class=\"seg\">&lt;script&gt;alert(1).rpm")
                .contains("&lt;script&gt;alert(&#39;license&#39;)&lt;/script&gt; and CDDL")
                .contains("&lt;i&gt;m&lt;/i&gt;.ko")
                .contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;-3:1&amp;2-&quot;1&quot;.x86_64")
                .contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.rpm")
                .contains("&lt;script&gt;policy&lt;/script&gt;");
        assertThat(hostileFile.getFileName().toString()).contains("<script>");
        // Self-contained: no scripts, no external resources, no event handlers outside escaped text.
        assertThat(html).doesNotContainPattern("(?i)<(script|link|img|iframe|object|embed)\\b")
                .doesNotContainPattern("(?i)<[^>]*\\b(src|href|on[a-z]+)\\s*=").doesNotContain("url(")
                .doesNotContain("@import");
        assertThat(countMatches(html, "<tr class=\"")).isEqualTo(report.packages().size());
    }

    @Test
    void htmlShowsTotalsVerdictsAndExceptionReasons() throws Exception {
        String html = render(ReportFormat.HTML, mixedReport());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").endsWith("</html>\n");
        assertThat(html).contains("<div class=\"card result fail\"><div class=\"n\">FAIL</div>");
        assertThat(html).contains("<div class=\"n bad\">1</div><div class=\"l\">forbidden</div>");
        assertThat(html).contains("<div class=\"n ok\">3</div><div class=\"l\">distributable</div>");
        assertThat(html).contains("<b>Allowed by exception:</b> audited by legal, ticket LEGAL-7");
        // Forbidden first, then errors, then distributable.
        List<String> verdicts = new ArrayList<>();
        Matcher m = Pattern.compile("<tr class=\"(\\w+)\">").matcher(html);
        while (m.find()) {
            verdicts.add(m.group(1));
        }
        assertThat(verdicts).containsExactly("forbidden", "error", "distributable", "distributable", "distributable");
    }

    @Test
    void unreadableFilesWithNothingForbiddenAreIncompleteNotPass() throws Exception {
        Path dir = tmp.resolve("incomplete");
        LustreZfsRpms.lustre(dir);
        LustreZfsRpms.notAnRpm(dir, "broken.rpm");
        CheckReport report = RpmCheck.run(List.of(dir), DistributionPolicy.distribute());
        assertThat(report.headline()).isEqualTo("INCOMPLETE");
        assertThat(render(ReportFormat.TEXT, report)).endsWith("INCOMPLETE: 2 files, 1 distributable, 0 forbidden, 1 error\n");
        String html = render(ReportFormat.HTML, report);
        assertThat(html).contains("<title>RPM distribution check: INCOMPLETE (distribute)</title>")
                .contains("<div class=\"card result errors\"><div class=\"n\">INCOMPLETE</div>")
                .doesNotContain(">PASS<");
        assertThat(render(ReportFormat.JSON, report)).contains("\"verdict\" : \"INCOMPLETE\"").contains("\"errors\" : true")
                .doesNotContain("\"PASS\"");
    }

    private static final ReportHeader FIXED = new ReportHeader("partner-export", PolicyBase.DISTRIBUTE,
            "policy file /etc/mlnx/partner.yaml", java.time.Instant.parse("2026-01-02T03:04:05Z"), "build-7.example.org",
            "mlnx-lustre 9.9.9");

    private static String html(CheckReport report, ReportHeader header) throws Exception {
        StringWriter w = new StringWriter();
        ReportFormat.HTML.writer().write(ReportInput.of(report, header), w);
        return w.toString();
    }

    @Test
    void htmlHeaderGivesDateHostToolVersionAndPolicySource() throws Exception {
        String html = html(mixedReport(), FIXED);
        assertThat(html).contains("Policy <strong>partner-export</strong> (base distribute, policy file"
                        + " /etc/mlnx/partner.yaml) &middot; FAIL:")
                .contains("<p class=\"meta\">Generated 2026-01-02 03:04:05 UTC on build-7.example.org by mlnx-lustre"
                        + " 9.9.9</p>");

        // Made now, here, by this tool; a built-in policy says so.
        Path dir = tmp.resolve("one");
        LustreZfsRpms.lustre(dir);
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String now = render(ReportFormat.HTML, RpmCheck.run(List.of(dir), DistributionPolicy.distribute()));
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        assertThat(now).contains("Policy <strong>distribute</strong> (built-in default) &middot;")
                .containsPattern("Generated 20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC on "
                        + Pattern.quote(host) + " by mlnx-lustre \\(development build\\)");
        String shown = now.replaceAll("(?s).*Generated (\\S+) (\\S+) UTC.*", "$1T$2Z");
        assertThat(java.time.Instant.parse(shown)).isBetween(before, java.time.Instant.now());
        assertThat(render(ReportFormat.HTML, RpmCheck.run(List.of(dir), DistributionPolicy.internal())))
                .contains("Policy <strong>internal</strong> (built-in) &middot;");
        Path file = Files.writeString(tmp.resolve("site.yaml"), "name: site\n");
        assertThat(render(ReportFormat.HTML, RpmCheck.run(List.of(dir), DistributionPolicy.resolve(file.toString()))))
                .contains("Policy <strong>site</strong> (base distribute, policy file " + file + ")");
    }

    @Test
    void htmlSaysWhatToDoWithEachForbiddenPackage() throws Exception {
        Path dir = tmp.resolve("zfs");
        LustreZfsRpms.kmodZfs(dir);
        LustreZfsRpms.kmodLustreOsdZfs(dir);
        LustreZfsRpms.lustre(dir);
        String html = html(RpmCheck.run(List.of(dir), DistributionPolicy.distribute()), FIXED);
        List<String> rows = List.of(html.split("<tr class=\""));
        String kmodZfs = rows.stream().filter(r -> r.contains(">kmod-zfs-2.1.5")).findFirst().orElseThrow();
        String osd = rows.stream().filter(r -> r.contains(">kmod-lustre-osd-zfs-")).findFirst().orElseThrow();
        String lustre = rows.stream().filter(r -> r.contains("<div class=\"pkg\">lustre-")).findFirst().orElseThrow();
        assertThat(kmodZfs).contains("<div class=\"todo\"><strong>What to do:</strong> Keep it internal. Ship OpenZFS&#39;s DKMS"
                + " package (zfs-dkms: sources, built on the installing host) instead, or have users build ZFS on their"
                + " side.</div>");
        assertThat(osd).contains("<strong>What to do:</strong> Keep it internal. Ship Lustre&#39;s DKMS package (lustre-dkms,");
        assertThat(lustre).doesNotContain("What to do");
        assertThat(countMatches(html, "<strong>What to do:</strong>")).isEqualTo(2);

        Path site = Files.writeString(tmp.resolve("site.yaml"), """
                forbid:
                  - name: "lustre"
                    reason: "user space stays in the lab"
                """);
        String forbidden = html(RpmCheck.run(List.of(dir), DistributionPolicy.resolve(site.toString())), FIXED);
        assertThat(countMatches(forbidden, "<strong>What to do:</strong> Keep it internal: the site&#39;s policy file forbids it."))
                .isEqualTo(1);
    }

    @Test
    void htmlPathsBreakOnlyAfterASlashNeverInsideAName() throws Exception {
        assertThat(HtmlReportWriter.path("RPMS/x86_64/kmod-lustre-osd-zfs-2.15.4-1.el8.x86_64.rpm"))
                .isEqualTo("<span class=\"seg\">RPMS/</span><wbr><span class=\"seg\">x86_64/</span><wbr>"
                        + "<span class=\"seg\">kmod-lustre-osd-zfs-2.15.4-1.el8.x86_64.rpm</span>");
        assertThat(HtmlReportWriter.path("/lib/a<b>.ko")).isEqualTo("<span class=\"seg\">/</span><wbr>"
                + "<span class=\"seg\">lib/</span><wbr><span class=\"seg\">a&lt;b&gt;.ko</span>");
        assertThat(HtmlReportWriter.path("dir/")).isEqualTo("<span class=\"seg\">dir/</span>");
        String html = html(mixedReport(), FIXED);
        assertThat(html).contains(".seg{white-space:nowrap}")
                .doesNotContainPattern("\\.file\\{[^}]*overflow-wrap")
                .contains("<code class=\"ev\"><span class=\"seg\">/</span><wbr><span class=\"seg\">lib/</span>");
        // Every path in a row is split into whole names.
        Matcher files = Pattern.compile("<div class=\"file mono\">(.*?)</div>").matcher(html);
        int n = 0;
        while (files.find()) {
            n++;
            assertThat(files.group(1)).matches("(<span class=\"seg\">[^<]*</span>(<wbr>)?)+");
        }
        assertThat(n).isEqualTo(5);
    }

    @Test
    void theAllowedByExceptionTileCountsFilesLikeTheOtherTiles() throws Exception {
        Path dir = tmp.resolve("allowed");
        LustreZfsRpms.kmodLustreOsdZfs(dir);   // three findings, all allowed below
        LustreZfsRpms.lustre(dir);
        DistributionPolicy policy = PolicyFile.parse("""
                exceptions:
                  - name: kmod-lustre-osd-zfs
                    reason: partner runs the identical ZFS build
                """, "inline policy");
        CheckReport report = RpmCheck.run(List.of(dir), policy);
        assertThat(report.count(io.github.mellanoxlustre.policy.Severity.ALLOWED)).isEqualTo(3);
        assertThat(html(report, FIXED)).contains("<div class=\"n\">1</div><div class=\"l\">allowed by exception</div>")
                .contains("<div class=\"n\">2</div><div class=\"l\">files</div>");
        assertThat(report.summary()).isEqualTo("PASS: 2 files, 2 distributable, 0 forbidden, 0 errors, 1 allowed by exception");
    }

    @Test
    void formatsParse() {
        assertThat(ReportFormat.parse("JSON")).contains(ReportFormat.JSON);
        assertThat(ReportFormat.parse("html")).contains(ReportFormat.HTML);
        assertThat(ReportFormat.parse("xml")).isEmpty();
        assertThat(ReportFormat.labels()).isEqualTo("text, json, html");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static int countMatches(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aStreamedReportIsTheSameBytesAsOneWrittenFromMemory() throws Exception {
        CheckReport report = mixedReport();
        for (ReportFormat format : ReportFormat.values()) {
            StringWriter w = new StringWriter();
            try (ReportStream stream = format.writer().open(FIXED, w)) {
                for (PackageResult r : report.packages()) {
                    stream.add(r);
                }
                stream.finish();
                assertThat(stream.tally().summary()).isEqualTo(report.summary());
                assertThat(stream.tally().exitCode()).isEqualTo(report.exitCode());
            }
            StringWriter whole = new StringWriter();
            format.writer().write(ReportInput.of(report, FIXED), whole);
            assertThat(w.toString()).as(format.label()).isEqualTo(whole.toString());
        }
    }

    @Test
    void theSpoolGivesBackEveryResultExactly() throws Exception {
        CheckReport report = mixedReport();
        // Strings that a UTF-8 round trip would change (a lone surrogate) or that exceed writeUTF's 64 KB.
        String odd = "\uD800 lone, NUL \u0000, " + "\u20AC".repeat(70_000);
        PackageResult weird = new PackageResult(odd, java.util.Optional.of(new io.github.mellanoxlustre.rpm.RpmIdentity(
                odd, OptionalInt.of(-7), "1", "2", "", odd, true, true)), io.github.mellanoxlustre.policy.Verdict.FORBIDDEN,
                List.of(new io.github.mellanoxlustre.policy.Finding("r", io.github.mellanoxlustre.policy.Severity.FORBIDDEN,
                        odd, "", "")), "", false);
        List<PackageResult> all = new ArrayList<>(report.packages());
        all.add(weird);
        all.add(PackageResult.internalError("x.rpm", "out of memory"));
        all.add(PackageResult.pathError("empty/", "empty directory: no *.rpm file to check"));
        all.add(PackageResult.internalPathError("big/", "out of memory"));
        try (ResultSpool spool = new ResultSpool()) {
            for (PackageResult r : all) {
                spool.add(r);
            }
            assertThat(spool).containsExactlyElementsOf(all);
            // Walked again, and again after more results.
            assertThat(spool).containsExactlyElementsOf(all);
            spool.add(weird);
            assertThat(spool).hasSize(all.size() + 1).last().isEqualTo(weird);
        }
    }
}

package io.github.mellanoxlustre.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.mellanoxlustre.report.ReportFormat;
import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import io.github.mellanoxlustre.testing.TestRpm;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte 7 of the lead (its type: 0 binary, 1 source) is covered by no digest or signature, and rpm
 * ignores it: flipping it must neither make a forbidden package distributable nor go unreported.
 */
class LeadTamperingTest {
    private static final int LEAD_TYPE_BYTE = 7;

    @TempDir
    Path tmp;

    @Test
    void flippedLeadOfAKmodZfsDevelStaysForbiddenAndIsReported() throws Exception {
        Path rpm = TestRpm.named("kmod-zfs-devel").version("2.1.5").release("1.el8").license("CDDL")
                .file("/usr/src/zfs-2.1.5/4.18.0-477.10.1.el8_lustre.x86_64/Module.symvers",
                        "0x1a2b3c4d\tdmu_buf_hold\textra/zfs/zfs\tEXPORT_SYMBOL\t\n")
                .requires("kmod-zfs = 2.1.5").build(tmp);
        assertThat(leadType(rpm)).isZero();
        flipLeadType(rpm);
        assertThat(leadType(rpm)).isEqualTo(1);
        assertDigestsStillPass(rpm);

        RpmPackage pkg = new RpmReader().read(rpm);
        assertThat(pkg.source()).as("source or binary comes from the signed header").isFalse();
        assertThat(pkg.leadType()).isEqualTo(1);
        assertThat(pkg.leadAgrees()).isFalse();

        CheckReport report = RpmCheck.run(List.of(rpm), DistributionPolicy.distribute());
        PackageResult r = report.packages().get(0);
        assertThat(r.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(r.findings()).extracting(Finding::rule, Finding::severity).contains(
                org.assertj.core.groups.Tuple.tuple(ZfsKmodNameRule.ID, Severity.FORBIDDEN),
                org.assertj.core.groups.Tuple.tuple(LeadMismatchRule.ID, Severity.FORBIDDEN));
        assertThat(report.exitCode()).isEqualTo(CheckReport.EXIT_FORBIDDEN);
        StringWriter text = new StringWriter();
        ReportFormat.TEXT.writer().write(report, text);
        assertThat(text.toString())
                .contains("FORBIDDEN      kmod-zfs-devel-2.1.5-1.el8.x86_64  (" + rpm + ")")
                .contains("forbidden  rpm-lead-mismatch: the lead says source package, the signed header says binary")
                .doesNotContain(".src");
    }

    @Test
    void flippedLeadOfASourcePackageKeepsItASourcePackageAndIsReported() throws Exception {
        Path srpm = TestRpm.named("zfs-kmod").version("2.1.5").release("1.el8").license("CDDL")
                .file("/usr/src/zfs.c", "int zfs;\n").buildSource(tmp);
        assertThat(leadType(srpm)).isEqualTo(1);
        flipLeadType(srpm);
        assertDigestsStillPass(srpm);
        CheckReport report = RpmCheck.run(List.of(srpm), DistributionPolicy.distribute());
        PackageResult r = report.packages().get(0);
        assertThat(r.rpm().orElseThrow().source()).isTrue();
        assertThat(r.rpm().orElseThrow().nevra()).isEqualTo("zfs-kmod-2.1.5-1.el8.src");
        assertThat(r.findings()).extracting(Finding::rule).contains(ZfsKmodNameRule.ID, LeadMismatchRule.ID);
        assertThat(r.verdict()).isEqualTo(Verdict.FORBIDDEN);
    }

    @Test
    void untouchedPackagesHaveNoLeadFindingAndSourcePackagesShowAsSrc() throws Exception {
        Path rpm = TestRpm.named("lustre").file("/usr/bin/lfs", "elf").build(tmp.resolve("bin"));
        Path srpm = TestRpm.named("lustre").file("/usr/bin/lfs", "elf").buildSource(tmp.resolve("src"));
        CheckReport report = RpmCheck.run(List.of(rpm, srpm), DistributionPolicy.distribute());
        assertThat(report.packages()).allSatisfy(p -> assertThat(p.findings()).isEmpty());
        assertThat(report.exitCode()).isZero();
        // Shown as rpm -qp shows them: the source package ends in .src, whatever its ARCH tag says.
        StringWriter text = new StringWriter();
        ReportFormat.TEXT.writer().write(report, text);
        assertThat(text.toString()).contains("DISTRIBUTABLE  lustre-1.0-1.x86_64  (" + rpm + ")\n")
                .contains("DISTRIBUTABLE  lustre-1.0-1.src  (" + srpm + ")\n").doesNotContain("(source)");
        StringWriter html = new StringWriter();
        ReportFormat.HTML.writer().write(report, html);
        assertThat(html.toString()).contains("lustre-1.0-1.src").doesNotContain("(source)");
    }

    private static int leadType(Path rpm) throws IOException {
        byte[] b = Files.readAllBytes(rpm);
        return ((b[6] & 0xff) << 8) | (b[LEAD_TYPE_BYTE] & 0xff);
    }

    private static void flipLeadType(Path rpm) throws IOException {
        byte[] b = Files.readAllBytes(rpm);
        b[LEAD_TYPE_BYTE] ^= 1;
        Files.write(rpm, b);
    }

    /** {@code rpmkeys -K}: the header and payload digests do not cover the lead. */
    private static void assertDigestsStillPass(Path rpm) throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/rpmkeys")))
                .as("rpmkeys (package rpm) is needed to show the digests ignore the lead").isTrue();
        Process p = new ProcessBuilder("rpmkeys", "-K", rpm.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("rpmkeys -K %s: %s", rpm, out).isZero();
        assertThat(out).contains("digests").contains("OK").doesNotContain("NOT OK");
    }
}

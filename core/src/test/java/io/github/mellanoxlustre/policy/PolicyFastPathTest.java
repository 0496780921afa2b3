package io.github.mellanoxlustre.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.report.ReportFormat;
import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import io.github.mellanoxlustre.testing.RpmQuery;
import io.github.mellanoxlustre.testing.TestRpm;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy's plain suffix and containment tests decide exactly what the regular expressions
 * decided before them: the same module files, the same CDDL licenses, the same verdicts and the
 * same report bytes, on real RPMs built by rpmbuild. The corpus has file names that end like a
 * module but that only the regular expression rejects ({@code .ko} alone, a U+0085 or U+2028 line
 * separator in the name, both accepted by rpmbuild), names it accepts in an unusual way
 * ({@code zfs.ko.xz.ko}), and licenses that contain "cddl" without naming it ({@code ACDDL}).
 *
 * <p>The expected reports in {@code src/test/resources/io/github/mellanoxlustre/policy/fast-path/}
 * were written by the code before the fast path (every path through the regular expressions), with
 * the corpus directory replaced by {@code RPMS}.
 */
class PolicyFastPathTest {
    /** The file-name expression {@link KernelModuleFile#of} used on every path before the fast path. */
    private static final Pattern OLD_FILE_NAME = Pattern.compile("(.+)\\.ko(?:\\.(?:xz|gz|zst))?");
    /** The License expression {@link CddlKernelCodeRule} used on every package before the fast path. */
    private static final Pattern OLD_CDDL = Pattern.compile("(?<![A-Za-z0-9])cddl(?![A-Za-z])",
            Pattern.CASE_INSENSITIVE);
    private static final String KMODS = "/lib/modules/" + LustreZfsRpms.KVER + "/extra/";

    @TempDir
    static Path tmp;
    static Path rpms;

    @BeforeAll
    static void corpus() throws Exception {
        rpms = tmp.resolve("rpms");
        LustreZfsRpms.kmodZfs(rpms);
        LustreZfsRpms.zfsDkms(rpms);
        LustreZfsRpms.zfs(rpms);
        LustreZfsRpms.kmodLustreOsdZfs(rpms);
        LustreZfsRpms.kmodLustreOsdLdiskfs(rpms);
        LustreZfsRpms.lustre(rpms);
        LustreZfsRpms.totallyHarmless(rpms);
        // CDDL, and every kernel-module-looking name is one the regular expression rejects: no module.
        TestRpm.named("regex-only-zfs-dkms").license("CDDL").arch("noarch")
                .file(KMODS + "zfs/.ko", "elf").file(KMODS + "spl/spl\u2028.ko", "elf")
                .file(KMODS + "zfs/zfs\u0085.ko.xz", "elf").file(KMODS + "icp/icp.ko.bz2", "elf")
                .file(KMODS + "zfs/zfs.KO", "elf").file(KMODS + "zfs/zfs.ko.debug", "elf")
                .file("/usr/src/regex-only/zfs.ko.c", "int x;\n").build(rpms);
        // Names the expression accepts in its own way: module zfs.ko.xz, and compressed variants.
        TestRpm.named("odd-modules").license("GPLv2 and cddl")
                .file(KMODS + "zfs/zfs.ko.xz.ko", "elf").file("/usr/lib/modules/5.14/extra/icp.ko.zst", "elf")
                .file("/usr/lib/modules/5.14/extra/zcommon.ko.gz", "elf").file("/opt/zfs/spl.ko", "elf")
                .file("/opt/lustre/osd_zfs.ko.gz", "elf").manyFiles("/usr/share/odd-modules", 150).build(rpms);
        // Licenses that contain "cddl" but do not name it, with real zfs modules (zfs-module-file still fires).
        TestRpm.named("acddl-modules").license("ACDDL-Public and CDDLX").file(KMODS + "zfs.ko", "elf")
                .file(KMODS + "lustre/lnet.ko.xz", "elf").build(rpms);
        TestRpm.named("plain-tools").license("CDDL-1.0 or GPL").manyFiles("/usr/share/plain-tools", 40)
                .file("/usr/bin/ko", "x").file("/usr/share/doc/plain-tools/README.ko", "x").build(rpms);
    }

    @Test
    void theReaderSeesTheNamesRpmSees() throws Exception {
        RpmReader reader = new RpmReader();
        for (Path rpm : corpusFiles()) {
            assertThat(reader.read(rpm).files()).as(rpm.toString())
                    .containsExactlyElementsOf(RpmQuery.query(rpm, "-l").stream()
                            .filter(l -> !l.equals("(contains no files)")).toList());
        }
    }

    @Test
    void everyPathOfTheCorpusIsDecidedAsTheRegularExpressionDecidedIt() throws Exception {
        RpmReader reader = new RpmReader();
        int modules = 0;
        int paths = 0;
        for (Path rpm : corpusFiles()) {
            RpmPackage pkg = reader.read(rpm);
            for (String f : pkg.files()) {
                Optional<KernelModuleFile> expected = oldOf(f);
                assertThat(KernelModuleFile.of(f)).as(f).isEqualTo(expected);
                assertThat(KernelModuleFile.installed(f)).as(f).isEqualTo(expected.filter(KernelModuleFile::underModules));
                modules += expected.isPresent() ? 1 : 0;
                paths++;
            }
            assertThat(CddlKernelCodeRule.namesCddl(pkg.license())).as(pkg.license())
                    .isEqualTo(OLD_CDDL.matcher(pkg.license()).find());
        }
        assertThat(paths).isGreaterThan(200);
        assertThat(modules).isBetween(10, paths / 4);
    }

    @Test
    void generatedNamesAreDecidedAsTheRegularExpressionDecidedThem() {
        // Characters that make up module names, their endings and everything that makes the expression say no.
        char[] alphabet = {'a', 'z', '.', 'k', 'o', 'x', 'g', 's', 't', '/', '\n', '\r', '\u0085', '\u2028', '\u2029',
            'K', 'é'};
        Random random = new Random(13);
        List<String> names = new ArrayList<>(List.of("", "/", ".ko", "/.ko", "a.ko", "a.ko\n", "\n.ko", "a\r\n.ko",
                "a.ko.zst", "a.ko.zs", "a.kozst", "a.ko.xz.ko", "/lib/modules/a.ko/b", "\uD800.ko", "a.ko.gz\u2028"));
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(9);
            for (int k = 0; k < n; k++) {
                s.append(alphabet[random.nextInt(alphabet.length)]);
            }
            // Half of them end like a module, which the fast path hands to the expression.
            String[] endings = {"", ".ko", ".ko.xz", ".ko.gz", ".ko.zst"};
            names.add((random.nextBoolean() ? "/lib/modules/" : "") + s + endings[random.nextInt(endings.length)]);
        }
        for (String name : names) {
            assertThat(KernelModuleFile.of(name)).as("%s", name.codePoints().boxed().toList()).isEqualTo(oldOf(name));
        }
        char[] licenseAlphabet = {'c', 'd', 'l', 'C', 'D', 'L', 'x', '1', '-', ' ', 'é', 'ſ', 'K', '\u212A'};
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(8);
            for (int k = 0; k < n; k++) {
                s.append(licenseAlphabet[random.nextInt(licenseAlphabet.length)]);
            }
            String license = s.toString();
            assertThat(CddlKernelCodeRule.namesCddl(license)).as(license).isEqualTo(OLD_CDDL.matcher(license).find());
        }
    }

    @Test
    void reportsAreByteForByteWhatTheRegularExpressionsGave() throws Exception {
        CheckReport distribute = RpmCheck.run(List.of(rpms), DistributionPolicy.distribute());
        CheckReport internal = RpmCheck.run(List.of(rpms), DistributionPolicy.internal());
        assertThat(distribute.summary()).isEqualTo("FAIL: 11 files, 6 distributable, 5 forbidden, 0 errors");
        assertThat(render(ReportFormat.TEXT, distribute)).isEqualTo(expected("distribute.txt"));
        assertThat(render(ReportFormat.JSON, distribute)).isEqualTo(expected("distribute.json"));
        assertThat(render(ReportFormat.HTML, distribute)).isEqualTo(expected("distribute.html"));
        assertThat(render(ReportFormat.TEXT, internal)).isEqualTo(expected("internal.txt"));
    }

    @Test
    void packagesJustUnderAndOverTheDecodeOnceLimitGetTheSameFindings() {
        int limit = DistributionPolicy.DECODE_ONCE_MAX_FILES;
        for (int n : new int[] {limit, limit + 1}) {
            List<String> files = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                files.add(i % 3 == 0 ? KMODS + "zfs/" + i + "/zfs.ko.xz" : "/usr/share/x/" + i);
            }
            RpmPackage pkg = new RpmPackage("big-zfs", java.util.OptionalInt.empty(), "1", "1", "x86_64", "CDDL", false,
                    "", List.of(), List.of(), files, "", 0);
            Evaluation e = DistributionPolicy.distribute().evaluate(pkg);
            assertThat(e.findings()).as("%d files", n).extracting(Finding::rule).containsOnly(ZfsModuleFileRule.ID,
                    CddlKernelCodeRule.ID).hasSize(102);
            assertThat(e.findings().get(100).message()).isEqualTo("and " + ((n + 2) / 3 - 100)
                    + " more like the above (last shown)");
            assertThat(e.findings().get(101).message()).startsWith("License names CDDL and the package ships "
                    + (n + 2) / 3 + " kernel modules");
        }
    }

    private static Optional<KernelModuleFile> oldOf(String path) {
        Matcher m = OLD_FILE_NAME.matcher(path.substring(path.lastIndexOf('/') + 1));
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new KernelModuleFile(path, m.group(1),
                path.startsWith("/lib/modules/") || path.startsWith("/usr/lib/modules/")));
    }

    private static List<Path> corpusFiles() throws Exception {
        try (Stream<Path> s = Files.list(rpms)) {
            return s.filter(p -> p.toString().endsWith(".rpm")).sorted().toList();
        }
    }

    private static String render(ReportFormat format, CheckReport report) throws Exception {
        StringWriter w = new StringWriter();
        // A fixed header: the expected report has no date or host of its own.
        format.writer().write(io.github.mellanoxlustre.report.ReportInput.of(report,
                new io.github.mellanoxlustre.report.ReportHeader(report.policy(), report.base(), report.policySource(),
                        java.time.Instant.parse("2026-01-02T03:04:05Z"), "build-host", "mlnx-lustre 0.1.0")), w);
        return w.toString().replace(segmented(rpms + "/"), segmented("RPMS/")).replace(rpms.toString(), "RPMS");
    }

    /** A directory as the HTML report shows it: each name kept whole, a break allowed after each slash. */
    private static String segmented(String dir) {
        StringBuilder b = new StringBuilder();
        for (String name : dir.split("(?<=/)")) {
            b.append("<span class=\"seg\">").append(name).append("</span><wbr>");
        }
        return b.toString();
    }

    private static String expected(String name) throws Exception {
        try (InputStream in = PolicyFastPathTest.class.getResourceAsStream("fast-path/" + name)) {
            assertThat(in).as("expected report fast-path/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

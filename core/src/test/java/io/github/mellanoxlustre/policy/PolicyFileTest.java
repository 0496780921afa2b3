package io.github.mellanoxlustre.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import io.github.mellanoxlustre.testing.TestRpm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
    @TempDir
    Path tmp;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    private DistributionPolicy policy(String name, String text) throws Exception {
        return DistributionPolicy.resolve(write(name, text).toString());
    }

    private String error(String name, String text) throws Exception {
        Path file = write(name, text);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> DistributionPolicy.resolve(file.toString()));
        assertThat(t).isInstanceOf(PolicyException.class);
        assertThat(t.getMessage()).startsWith("policy file " + file + ": ");
        return t.getMessage();
    }

    @Test
    void yamlPolicyWithBaseForbidAndExceptions() throws Exception {
        DistributionPolicy p = policy("site.yaml", """
                name: partner-export
                base: distribute
                forbid:
                  - name: "kmod-mlnx-ofa_kernel*"
                    reason: our OFED rebuild carries unreleased patches
                    id: site-no-ofed
                exceptions:
                  - name: "kmod-zfs*"
                    rules: [zfs-kmod-name]
                    reason: contract 42 allows the kmod name
                  - name: totally-harmless
                    reason: "rebuilt by the partner from our SRPM, audited 2026-10"
                """);
        assertThat(p.name()).isEqualTo("partner-export");
        assertThat(p.base()).isEqualTo(PolicyBase.DISTRIBUTE);
        assertThat(p.ruleIds()).containsExactly("zfs-kmod-name", "zfs-module-file", "cddl-kernel-code",
                "lustre-osd-zfs-kmod", "dkms-source", "rpm-lead-mismatch", "site-no-ofed");

        RpmReader reader = new RpmReader();
        // An exception restricted to one rule leaves the other rules forbidding.
        Evaluation kmodZfs = p.evaluate(reader.read(LustreZfsRpms.kmodZfs(tmp)));
        assertThat(kmodZfs.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(kmodZfs.findings()).extracting(Finding::rule, Finding::severity, Finding::exception).containsExactly(
                tuple("zfs-kmod-name", Severity.ALLOWED, "contract 42 allows the kmod name"),
                tuple("zfs-module-file", Severity.FORBIDDEN, ""),
                tuple("zfs-module-file", Severity.FORBIDDEN, ""),
                tuple("cddl-kernel-code", Severity.FORBIDDEN, ""));
        // An exception without rules covers every rule.
        Evaluation harmless = p.evaluate(reader.read(LustreZfsRpms.totallyHarmless(tmp)));
        assertThat(harmless.verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
        assertThat(harmless.findings()).extracting(Finding::severity, Finding::exception)
                .containsExactly(tuple(Severity.ALLOWED, "rebuilt by the partner from our SRPM, audited 2026-10"));
        // The site's forbidden pattern.
        RpmPackage ofed = reader.read(TestRpm.named("kmod-mlnx-ofa_kernel").version("5.8").license("GPLv2")
                .file("/lib/modules/" + LustreZfsRpms.KVER + "/extra/mlnx-ofa_kernel/drivers/infiniband/core/ib_core.ko", "elf")
                .build(tmp));
        Evaluation e = p.evaluate(ofed);
        assertThat(e.verdict()).isEqualTo(Verdict.FORBIDDEN);
        assertThat(e.findings()).extracting(Finding::rule, Finding::evidence)
                .containsExactly(tuple("site-no-ofed", "kmod-mlnx-ofa_kernel"));
        assertThat(e.findings().get(0).message()).contains("our OFED rebuild carries unreleased patches");
        // Packages no rule matches stay distributable.
        assertThat(p.evaluate(reader.read(LustreZfsRpms.lustre(tmp))).findings()).isEmpty();
    }

    @Test
    void jsonPolicyWithInternalBaseStillForbidsNothing() throws Exception {
        DistributionPolicy p = policy("site.json", """
                {"base": "internal",
                 "forbid": [{"name": "lustre", "reason": "no user space in this drop"}]}
                """);
        assertThat(p.name()).isEqualTo("site.json");
        assertThat(p.base()).isEqualTo(PolicyBase.INTERNAL);
        Evaluation e = p.evaluate(new RpmReader().read(LustreZfsRpms.lustre(tmp)));
        assertThat(e.verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
        assertThat(e.findings()).extracting(Finding::rule, Finding::severity)
                .containsExactly(tuple(ForbiddenNameRule.DEFAULT_ID, Severity.WARNING));
    }

    @Test
    void formatIsSniffedWhenTheExtensionSaysNothing() throws Exception {
        assertThat(policy("policy.conf", "{\"base\": \"internal\"}").base()).isEqualTo(PolicyBase.INTERNAL);
        assertThat(policy("policy.txt", "base: internal\n").base()).isEqualTo(PolicyBase.INTERNAL);
        assertThat(policy("minimal.yml", "base: distribute\n").exemptions()).isEmpty();
        assertThat(PolicyFile.parse("exceptions: []\n", "job config").name()).isEqualTo("job config");
    }

    @Test
    void unknownKeysAreRejectedWithTheAcceptedKeys() throws Exception {
        assertThat(error("a.yaml", "base: distribute\nallow: []\n"))
                .contains("unknown key 'allow' at the top level; accepted keys: name, base, forbid, exceptions");
        assertThat(error("b.yaml", "exceptions:\n  - name: kmod-zfs\n    reason: x\n    rule: [zfs-kmod-name]\n"))
                .contains("exceptions[0]: unknown key 'rule'; accepted keys: name, rules, reason");
        assertThat(error("c.json", "{\"forbid\": [{\"name\": \"x\", \"reason\": \"y\", \"why\": \"z\"}]}"))
                .contains("forbid[0]: unknown key 'why'; accepted keys: name, reason, id");
    }

    @Test
    void everyExceptionAndForbidNeedsAWrittenReason() throws Exception {
        assertThat(error("a.yaml", "exceptions:\n  - name: kmod-zfs*\n"))
                .contains("exceptions[0].reason: missing; every exception needs a written reason");
        assertThat(error("b.yaml", "exceptions:\n  - name: kmod-zfs*\n    reason: \"  \"\n"))
                .contains("exceptions[0].reason: missing");
        assertThat(error("c.yaml", "exceptions:\n  - name: kmod-zfs*\n    reason:\n"))
                .contains("exceptions[0].reason: missing");
        assertThat(error("d.yaml", "exceptions:\n  - name: a\n    reason: ok\n  - name: b\n    reason: 42\n"))
                .contains("exceptions[1].reason: expected a non-empty string, not the number 42");
        assertThat(error("e.yaml", "forbid:\n  - name: kmod-foo*\n"))
                .contains("forbid[0].reason: missing; every forbidden pattern needs a written reason");
    }

    @Test
    void badPatternsNameTheFieldAndTheAcceptedForm() throws Exception {
        assertThat(error("a.yaml", "forbid:\n  - name: \"kmod foo\"\n    reason: x\n"))
                .contains("forbid[0].name: 'kmod foo' is not accepted; expected a package-name glob")
                .contains("e.g. kmod-foo*");
        assertThat(error("b.yaml", "exceptions:\n  - name: \"kmod-[zs]*\"\n    reason: x\n"))
                .contains("exceptions[0].name: 'kmod-[zs]*' is not accepted");
        assertThat(error("c.yaml", "exceptions:\n  - reason: x\n"))
                .contains("exceptions[0].name: missing; expected a package-name glob");
        assertThat(error("d.yaml", "exceptions:\n  - name: [a, b]\n    reason: x\n"))
                .contains("exceptions[0].name: expected a package-name glob").contains("not a list");
    }

    @Test
    void ruleIdsAreChecked() throws Exception {
        assertThat(error("a.yaml", "exceptions:\n  - name: x\n    rules: [zfs-kmod-name, zfs-kmods]\n    reason: y\n"))
                .contains("exceptions[0].rules[1]: unknown rule id 'zfs-kmods'; known ids: zfs-kmod-name,");
        assertThat(error("b.yaml", "exceptions:\n  - name: x\n    rules: zfs-kmod-name\n    reason: y\n"))
                .contains("exceptions[0].rules: expected a list of rule ids");
        assertThat(error("c.yaml", "exceptions:\n  - name: x\n    rules: []\n    reason: y\n"))
                .contains("exceptions[0].rules: expected a list of rule ids");
        assertThat(error("d.yaml", "forbid:\n  - name: x\n    reason: y\n    id: zfs-kmod-name\n"))
                .contains("forbid[0].id: 'zfs-kmod-name' is a built-in rule id");
        assertThat(error("e.yaml", "forbid:\n  - name: x\n    reason: y\n    id: Site_Rule\n"))
                .contains("forbid[0].id: 'Site_Rule' is not accepted; expected lower-case letters");
        // An exception may name a rule the same file declares.
        DistributionPolicy p = policy("f.yaml", "forbid:\n  - name: x*\n    reason: y\n    id: site-x\n"
                + "exceptions:\n  - name: xy\n    rules: [site-x]\n    reason: z\n");
        assertThat(p.exemptions()).hasSize(1);
    }

    @Test
    void wrongShapesAndValues() throws Exception {
        assertThat(error("a.yaml", "base: public\n"))
                .contains("base: 'public' is not accepted; expected distribute or internal");
        assertThat(error("b.yaml", "- base: distribute\n"))
                .contains("the top level must be a mapping with keys name, base, forbid, exceptions, not a list");
        assertThat(error("c.yaml", "forbid: kmod-foo*\n"))
                .contains("forbid: expected a list of mappings, not the string 'kmod-foo*'");
        assertThat(error("d.yaml", "forbid:\n  - kmod-foo*\n"))
                .contains("forbid[0]: expected a mapping with keys name, reason, id, not the string 'kmod-foo*'");
        assertThat(error("e.yaml", "")).contains("is empty");
        assertThat(error("f.yaml", "# only a comment\n")).contains("is empty");
    }

    @Test
    void syntaxErrorsAndDuplicateKeysAreReported() throws Exception {
        assertThat(error("a.yaml", "base: distribute\nbase: internal\n"))
                .contains("not valid YAML at line 2, column 7: key 'base' appears twice in one mapping");
        assertThat(error("b.json", "{\"base\": \"internal\", \"base\": \"distribute\"}"))
                .contains("not valid JSON at line 1, column 30: key 'base' appears twice in one mapping");
        assertThat(error("c.yaml", "exceptions: [\n")).contains("not valid YAML at line");
        assertThat(error("d.json", "{\"base\": }")).contains("not valid JSON at line 1");
    }

    @Test
    void unknownPolicySpecs() {
        assertThatThrownBy(() -> DistributionPolicy.resolve("strict"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("policy: 'strict' is neither distribute, internal nor an existing policy file;"
                        + " expected distribute, internal or the path of a policy file (.yaml, .yml or .json)");
        assertThatThrownBy(() -> DistributionPolicy.resolve(" ")).isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("policy: empty;");
        assertThatThrownBy(() -> DistributionPolicy.resolve(tmp.toString())).isInstanceOf(PolicyException.class)
                .hasMessageContaining("is neither distribute, internal nor an existing policy file");
    }

    @Test
    void nonUtf8FilesAreRejected() throws Exception {
        Path f = Files.write(tmp.resolve("latin1.yaml"), new byte[] {'b', 'a', 's', 'e', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> DistributionPolicy.resolve(f.toString())).isInstanceOf(PolicyException.class)
                .hasMessageContaining("not UTF-8 text");
    }

    /** The YAML and JSON examples in docs/policy.md are valid policies that mean what the text says. */
    @Test
    void theDocumentedExamplesAreValid() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "policy.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```(yaml|json)\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(doc);
        List<DistributionPolicy> examples = new java.util.ArrayList<>();
        while (m.find()) {
            examples.add(policy("example-" + examples.size() + "." + m.group(1), m.group(2)));
        }
        assertThat(examples).hasSize(2);
        RpmReader reader = new RpmReader();
        RpmPackage osd = reader.read(LustreZfsRpms.kmodLustreOsdZfs(tmp));
        RpmPackage kmodZfs = reader.read(LustreZfsRpms.kmodZfs(tmp));
        for (DistributionPolicy p : examples) {
            assertThat(p.name()).isEqualTo("partner-export");
            assertThat(p.ruleIds()).contains("site-no-ofed");
            assertThat(p.evaluate(osd).verdict()).isEqualTo(Verdict.DISTRIBUTABLE);
            assertThat(p.evaluate(osd).findings()).allMatch(f -> f.severity() == Severity.ALLOWED);
            assertThat(p.evaluate(kmodZfs).verdict()).isEqualTo(Verdict.FORBIDDEN);
        }
    }
}

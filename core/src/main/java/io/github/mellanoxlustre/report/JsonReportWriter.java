package io.github.mellanoxlustre.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.mellanoxlustre.policy.CheckTally;
import io.github.mellanoxlustre.policy.Finding;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.Severity;
import io.github.mellanoxlustre.policy.Verdict;
import io.github.mellanoxlustre.rpm.RpmIdentity;
import java.io.IOException;
import java.io.Writer;

/**
 * The machine-readable report:
 *
 * <pre>
 * {"policy": "distribute", "base": "distribute", "verdict": "PASS"|"INCOMPLETE"|"FAIL", "errors": false, "exitCode": 0,
 *  "summary": {"files": 3, "distributable": 2, "forbidden": 1, "error": 0, "warnings": 0, "allowed": 0, "skipped": 0},
 *  "packages": [{"file", "name", "epoch", "version", "release", "arch", "license", "source",
 *                "verdict": "DISTRIBUTABLE"|"FORBIDDEN"|"ERROR",
 *                "findings": [{"rule", "message", "evidence", "severity", "exception"?}],
 *                "error"?, "pathError"?}]}
 * </pre>
 *
 * {@code epoch} is null when the package has none; for an ERROR entry the package fields are null,
 * {@code findings} is empty, {@code error} gives the reason and {@code pathError} says whether the
 * entry is a path that yielded no file (not counted in {@code files}); both appear only there.
 * {@code skipped} counts the files found in directories and not checked (not named {@code *.rpm}).
 * {@code exception} appears only on findings an exception allowed.
 */
public final class JsonReportWriter implements ReportWriter {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    @Override
    public void write(ReportInput input, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            CheckTally totals = input.totals();
            g.writeStringField("policy", input.policy());
            g.writeStringField("base", input.base().label());
            g.writeStringField("verdict", totals.headline());
            g.writeBooleanField("errors", totals.hasErrors());
            g.writeNumberField("exitCode", totals.exitCode());
            g.writeObjectFieldStart("summary");
            g.writeNumberField("files", totals.files());
            g.writeNumberField("distributable", totals.count(Verdict.DISTRIBUTABLE));
            g.writeNumberField("forbidden", totals.count(Verdict.FORBIDDEN));
            g.writeNumberField("error", totals.count(Verdict.ERROR));
            g.writeNumberField("warnings", totals.count(Severity.WARNING));
            g.writeNumberField("allowed", totals.count(Severity.ALLOWED));
            g.writeNumberField("skipped", totals.skipped());
            g.writeEndObject();
            g.writeArrayFieldStart("packages");
            for (PackageResult r : input.packages()) {
                writePackage(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void writePackage(JsonGenerator g, PackageResult r) throws IOException {
        g.writeStartObject();
        g.writeStringField("file", r.file());
        RpmIdentity p = r.rpm().orElse(null);
        g.writeStringField("name", p == null ? null : p.name());
        if (p != null && p.epoch().isPresent()) {
            g.writeNumberField("epoch", p.epoch().getAsInt());
        } else {
            g.writeNullField("epoch");
        }
        g.writeStringField("version", p == null ? null : p.version());
        g.writeStringField("release", p == null ? null : p.release());
        g.writeStringField("arch", p == null ? null : p.arch());
        g.writeStringField("license", p == null ? null : p.license());
        if (p == null) {
            g.writeNullField("source");
        } else {
            g.writeBooleanField("source", p.source());
        }
        g.writeStringField("verdict", r.verdict().name());
        g.writeArrayFieldStart("findings");
        for (Finding f : r.findings()) {
            g.writeStartObject();
            g.writeStringField("rule", f.rule());
            g.writeStringField("message", f.message());
            g.writeStringField("evidence", f.evidence());
            g.writeStringField("severity", f.severity().label());
            if (!f.exception().isEmpty()) {
                g.writeStringField("exception", f.exception());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        if (r.verdict() == Verdict.ERROR) {
            g.writeStringField("error", r.error());
            g.writeBooleanField("pathError", r.pathError());
        }
        g.writeEndObject();
    }
}

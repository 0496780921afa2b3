package io.jenkins.plugins.mellanoxlustre.agent;

import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.Finding;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.rpm.RpmIdentity;
import io.jenkins.plugins.mellanoxlustre.FindingRecord;
import io.jenkins.plugins.mellanoxlustre.PackageRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Turns the engine's check report (agent side, not serializable) into the plugin's records. */
final class ReportRecords {
    private ReportRecords() {
    }

    /** One record per package, with file paths shown relative to the workspace where they lie in it. */
    static List<PackageRecord> packages(CheckReport report, Path workspace) {
        List<PackageRecord> out = new ArrayList<>();
        for (PackageResult r : report.packages()) {
            List<FindingRecord> findings = new ArrayList<>();
            for (Finding f : r.findings()) {
                findings.add(new FindingRecord(f.rule(), f.severity().name(), f.message(), f.evidence(), f.exception()));
            }
            String file = AgentPaths.shown(workspace, Path.of(r.file()));
            if (r.rpm().isPresent()) {
                RpmIdentity p = r.rpm().get();
                out.add(new PackageRecord(file, p.name(), p.versionRelease(), p.arch(), p.license(),
                        r.verdict().name(), "", findings, ""));
            } else {
                out.add(new PackageRecord(file, "", "", "", "", r.verdict().name(), "", findings, r.error()));
            }
        }
        return out;
    }
}

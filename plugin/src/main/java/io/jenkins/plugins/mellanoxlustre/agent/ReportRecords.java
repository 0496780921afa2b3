package io.jenkins.plugins.mellanoxlustre.agent;

import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.Finding;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.rpm.RpmIdentity;
import io.jenkins.plugins.mellanoxlustre.FindingRecord;
import io.jenkins.plugins.mellanoxlustre.PackageRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fills the plugin's records from the engine's check report (agent side, not serializable). The
 * records are not a second report: they are the engine's, in the form Jenkins keeps in
 * {@code build.xml} ({@link io.jenkins.plugins.mellanoxlustre.LustreRpmsAction} holds them, and the
 * builds already on disk hold them under these class and field names), made of strings only so they
 * cross the remoting channel and stay readable by the build page after a plugin update.
 */
final class ReportRecords {
    private ReportRecords() {
    }

    /**
     * One record per package of a build's report, whose file names are those of {@code rpms} (the
     * published and withheld RPMs); paths shown relative to the workspace where they lie in it.
     */
    static List<PackageRecord> packages(CheckReport report, Path workspace, List<Path> rpms) {
        Map<String, Path> byName = new HashMap<>();
        for (Path p : rpms) {
            byName.put(p.getFileName().toString(), p);
        }
        return packages(report, workspace, file -> byName.getOrDefault(file, Path.of(file)));
    }

    /** One record per package of a check's report, whose files are paths. */
    static List<PackageRecord> packages(CheckReport report, Path workspace) {
        return packages(report, workspace, Path::of);
    }

    private static List<PackageRecord> packages(CheckReport report, Path workspace, Function<String, Path> where) {
        List<PackageRecord> out = new ArrayList<>();
        for (PackageResult r : report.packages()) {
            List<FindingRecord> findings = new ArrayList<>();
            for (Finding f : r.findings()) {
                findings.add(new FindingRecord(f.rule(), f.severity().name(), f.message(), f.evidence(), f.exception()));
            }
            String file = AgentPaths.shown(workspace, where.apply(r.file()));
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

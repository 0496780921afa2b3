package io.jenkins.plugins.mellanoxlustre;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent reports back after a build or a check: the policy, its verdict, every RPM with
 * its reasons, the files fit to archive and where the reports and manifest lie. Only strings and
 * lists, so it crosses the remoting channel (JEP-200 allows plugin classes) and lives in
 * {@code build.xml}.
 */
public final class RpmReport implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String policy;
    private final String verdict;
    private final List<PackageRecord> packages;
    private final List<ArchivedFile> files;
    private final String outputDir;
    private final String manifest;
    private final List<String> withheld;

    /**
     * @param policy    the policy's name ({@code distribute}, {@code internal} or a policy file's name)
     * @param verdict   {@code PASS} or {@code FAIL}
     * @param packages  every RPM checked
     * @param files     the files to archive, relative to the workspace
     * @param outputDir the published (or checked) directory, relative to the workspace
     * @param manifest  {@code manifest.json} relative to the workspace; empty for a check
     * @param withheld  forbidden RPMs kept out of the published set, relative to the workspace
     *                  (or absolute when outside it)
     */
    public RpmReport(String policy, String verdict, List<PackageRecord> packages, List<ArchivedFile> files,
                     String outputDir, String manifest, List<String> withheld) {
        this.policy = policy;
        this.verdict = verdict;
        this.packages = new ArrayList<>(packages);
        this.files = new ArrayList<>(files);
        this.outputDir = outputDir;
        this.manifest = manifest == null ? "" : manifest;
        this.withheld = new ArrayList<>(withheld);
    }

    public String getPolicy() {
        return policy;
    }

    public String getVerdict() {
        return verdict;
    }

    public List<PackageRecord> getPackages() {
        return List.copyOf(packages);
    }

    public List<ArchivedFile> getFiles() {
        return List.copyOf(files);
    }

    public String getOutputDir() {
        return outputDir;
    }

    public String getManifest() {
        return manifest;
    }

    public List<String> getWithheld() {
        return List.copyOf(withheld);
    }

    public int getForbiddenCount() {
        return (int) packages.stream().filter(PackageRecord::isForbidden).count();
    }

    public int getErrorCount() {
        return (int) packages.stream().filter(PackageRecord::isError).count();
    }

    public int getDistributableCount() {
        return (int) packages.stream().filter(p -> "DISTRIBUTABLE".equals(p.getVerdict())).count();
    }

    /** Findings the {@code internal} policy reports instead of forbidding. */
    public int getWarningCount() {
        return (int) packages.stream().flatMap(p -> p.getFindings().stream())
                .filter(f -> "WARNING".equals(f.getSeverity())).count();
    }

    /** This report with each package's archived path filled in. */
    public RpmReport withPackages(List<PackageRecord> updated) {
        return new RpmReport(policy, verdict, updated, files, outputDir, manifest, withheld);
    }
}

package io.jenkins.plugins.mellanoxlustre;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One RPM as the build page shows it: its file, identity, verdict and the policy's reasons. Made
 * on the agent from the engine's check report, sent back to the controller and kept in
 * {@code build.xml} with the {@link LustreRpmsAction}.
 */
public final class PackageRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String name;
    private final String versionRelease;
    private final String arch;
    private final String license;
    private final String verdict;
    private final String artifactPath;
    private final List<FindingRecord> findings;
    private final String error;

    /**
     * @param file           the file's path relative to the workspace (or its name)
     * @param name           the RPM name; empty for an unreadable file
     * @param versionRelease {@code [epoch:]version-release}; empty for an unreadable file
     * @param arch           the RPM arch ({@code src} for a source RPM)
     * @param license        the License tag
     * @param verdict        {@code DISTRIBUTABLE}, {@code FORBIDDEN} or {@code ERROR}
     * @param artifactPath   where the file was archived (relative to the build's artifacts), empty if not
     * @param findings       the policy's findings
     * @param error          why the file could not be read; empty unless the verdict is ERROR
     */
    public PackageRecord(String file, String name, String versionRelease, String arch, String license, String verdict,
                         String artifactPath, List<FindingRecord> findings, String error) {
        this.file = file;
        this.name = name;
        this.versionRelease = versionRelease;
        this.arch = arch;
        this.license = license;
        this.verdict = verdict;
        this.artifactPath = artifactPath == null ? "" : artifactPath;
        this.findings = new ArrayList<>(findings);
        this.error = error == null ? "" : error;
    }

    public String getFile() {
        return file;
    }

    /** The file name without directories. */
    public String getFileName() {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }

    public String getName() {
        return name;
    }

    public String getVersionRelease() {
        return versionRelease;
    }

    public String getArch() {
        return arch;
    }

    public String getLicense() {
        return license;
    }

    public String getVerdict() {
        return verdict;
    }

    public boolean isForbidden() {
        return "FORBIDDEN".equals(verdict);
    }

    public boolean isError() {
        return "ERROR".equals(verdict);
    }

    /** Where the file lies among the build's artifacts; empty when it was not archived. */
    public String getArtifactPath() {
        return artifactPath;
    }

    public boolean isArchived() {
        return !artifactPath.isEmpty();
    }

    public List<FindingRecord> getFindings() {
        return List.copyOf(findings);
    }

    public String getError() {
        return error;
    }

    /** This record with the path it was archived under. */
    public PackageRecord archivedAs(String path) {
        return new PackageRecord(file, name, versionRelease, arch, license, verdict, path, findings, error);
    }

    /** CSS modifier for the verdict. */
    public String getVerdictClass() {
        return switch (verdict) {
            case "FORBIDDEN" -> "forbidden";
            case "ERROR" -> "error";
            default -> findings.stream().anyMatch(f -> "WARNING".equals(f.getSeverity())) ? "warning" : "ok";
        };
    }
}

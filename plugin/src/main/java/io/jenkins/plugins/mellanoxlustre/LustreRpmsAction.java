package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Run;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import jenkins.model.RunAction2;

/**
 * The compliance result of one {@code mellanoxLustreBuild} (or {@code lustreRpmCheck}) call, on the
 * build page: a summary line (counts, verdict) and its own page listing each RPM with its verdict,
 * the policy's reasons, links to the archived files and the yum repository URL. One build may hold
 * several (a matrix of targets), each under its own URL named after its output directory.
 *
 * <p>All text reaches the page through Jelly with {@code escape-by-default}; the page has no script.
 */
public final class LustreRpmsAction implements RunAction2 {
    private static final JenkinsFacade JENKINS = new JenkinsFacade();

    /** What produced the action. */
    public enum Kind {
        /** {@code mellanoxLustreBuild} / the freestyle builder: a published output directory. */
        BUILD,
        /** {@code lustreRpmCheck}: RPMs built elsewhere, checked in place. */
        CHECK
    }

    private final Kind kind;
    private final RpmReport report;
    private final boolean archived;
    private final String result;
    private transient Run<?, ?> run;

    /**
     * @param kind     what produced it
     * @param report   the agent's report, with archived paths filled in
     * @param archived whether the files were archived
     * @param result   the result this call gave the build: {@code SUCCESS}, {@code UNSTABLE} or {@code FAILURE}
     */
    public LustreRpmsAction(Kind kind, RpmReport report, boolean archived, String result) {
        this.kind = kind;
        this.report = report;
        this.archived = archived;
        this.result = result;
    }

    /**
     * The URL name a call with this output directory (or checked path) gets: one per directory, so two
     * calls never share a URL. Letters, digits, {@code .} and {@code -} stay; every other character is
     * written as {@code _} and the two hex digits of each of its UTF-8 bytes ({@code out/el8} is
     * {@code lustre-rpms-out_2Fel8}, {@code out_el8} is {@code lustre-rpms-out_5Fel8}); the workspace
     * itself ({@code .}) is {@code lustre-rpm-check-.}.
     */
    public static String urlNameFor(Kind kind, String dir) {
        return (kind == Kind.BUILD ? "lustre-rpms-" : "lustre-rpm-check-") + escape(dir);
    }

    private static String escape(String dir) {
        StringBuilder b = new StringBuilder();
        for (byte c : dir.getBytes(StandardCharsets.UTF_8)) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
                b.append((char) c);
            } else {
                b.append('_').append(String.format(Locale.ROOT, "%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    @CheckForNull
    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-cube";
    }

    @Override
    public String getDisplayName() {
        return kind == Kind.BUILD
                ? Messages.LustreRpmsAction_BuildDisplayName(report.getOutputDir())
                : Messages.LustreRpmsAction_CheckDisplayName(report.getOutputDir());
    }

    @Override
    public String getUrlName() {
        return urlNameFor(kind, report.getOutputDir());
    }

    public Kind getKind() {
        return kind;
    }

    public boolean isBuild() {
        return kind == Kind.BUILD;
    }

    public RpmReport getReport() {
        return report;
    }

    public List<PackageRecord> getPackages() {
        return report.getPackages();
    }

    public boolean isArchived() {
        return archived;
    }

    /** {@code SUCCESS}, {@code UNSTABLE} or {@code FAILURE}. */
    public String getResult() {
        return result;
    }

    /** e.g. {@code FAIL: 12 RPMs, 11 distributable, 1 forbidden (withheld), 0 errors, policy distribute}. */
    public String getSummary() {
        return Messages.LustreRpmsAction_Summary(report.getVerdict(), report.getPackages().size(),
                report.getDistributableCount(), report.getForbiddenCount(), report.getErrorCount(),
                report.getWarningCount(), report.getPolicy());
    }

    /** The build's URL relative to the Jenkins root, e.g. {@code job/x/12/}. */
    private String runUrl() {
        return run == null ? "" : run.getUrl();
    }

    /** Link (relative to the Jenkins root URL) to an archived file, each path segment encoded. */
    public String artifactHref(String artifactPath) {
        return runUrl() + "artifact/" + encodePath(artifactPath);
    }

    /**
     * The yum repository of this build's archived output directory: absolute when Jenkins' root URL is
     * configured, else relative to the Jenkins root; empty when nothing was archived or for a check.
     */
    public String getRepoUrl() {
        String path = getRepoPath();
        if (path.isEmpty()) {
            return "";
        }
        String root = JENKINS.getRootUrl();
        return root == null ? path : root + path;
    }

    /** The yum repository's path relative to the Jenkins root URL (for links), or empty. */
    public String getRepoPath() {
        if (!archived || kind != Kind.BUILD) {
            return "";
        }
        return runUrl() + "artifact/" + encodePath(report.getOutputDir()) + "/";
    }

    /** Link to the archived manifest, or empty. */
    public String getManifestHref() {
        return archived && !report.getManifest().isEmpty() ? artifactHref(report.getManifest()) : "";
    }

    /** Archived report files (JSON, HTML, text, SHA256SUMS, ...), i.e. everything that is not an RPM. */
    public List<ArchivedFile> getOtherFiles() {
        if (!archived) {
            return List.of();
        }
        return report.getFiles().stream().filter(f -> !f.getWorkspacePath().endsWith(".rpm")
                && !f.getWorkspacePath().contains("/repodata/")).toList();
    }

    static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(Util.rawEncode(segment));
        }
        return b.toString();
    }
}

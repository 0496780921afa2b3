package io.jenkins.plugins.mellanoxlustre.agent;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.DistributionPolicy;
import io.github.mellanoxlustre.policy.PolicyBase;
import io.github.mellanoxlustre.policy.PolicyException;
import io.github.mellanoxlustre.policy.RpmCheck;
import io.github.mellanoxlustre.report.ReportFormat;
import io.jenkins.plugins.mellanoxlustre.ArchivedFile;
import io.jenkins.plugins.mellanoxlustre.RpmReport;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs on the agent for {@code lustreRpmCheck}: reads every RPM under a workspace directory with the
 * engine's header reader, evaluates it with the policy, prints the text report to the build log and
 * writes the JSON, HTML and text reports. Returns what the build page and the step's result need.
 */
public final class AgentCheckCallable extends MasterToSlaveFileCallable<RpmReport> {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String policy;
    private final String reportDir;
    private final TaskListener listener;

    /**
     * @param path      directory (or RPM file) relative to the workspace; {@code .} is the workspace
     * @param policy    {@code distribute}, {@code internal}, or a policy file (relative to the workspace or absolute)
     * @param reportDir workspace-relative directory for the reports
     * @param listener  the build log (remotable)
     */
    public AgentCheckCallable(String path, String policy, String reportDir, TaskListener listener) {
        this.path = path;
        this.policy = policy;
        this.reportDir = reportDir;
        this.listener = listener;
    }

    @Override
    public RpmReport invoke(File f, VirtualChannel channel) throws IOException, InterruptedException {
        Path ws = f.toPath().toAbsolutePath().normalize();
        PrintStream log = listener.getLogger();
        Path target = ".".equals(path) ? ws : AgentPaths.inside(ws, path, "path");
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new AbortException("path: '" + path + "' does not exist in the workspace " + ws);
        }
        Path reports = AgentPaths.inside(ws, reportDir, "reportDir");
        DistributionPolicy resolved;
        try {
            resolved = DistributionPolicy.resolve(resolvePolicy(ws, policy));
        } catch (PolicyException e) {
            throw new AbortException(e.getMessage());
        }
        log.println("[lustreRpmCheck] checking " + AgentPaths.shown(ws, target) + " with policy " + resolved.name());
        CheckReport report = RpmCheck.run(List.of(target), resolved);
        if (Thread.interrupted()) {
            throw new InterruptedException("lustreRpmCheck aborted");
        }
        PrintWriter text = new PrintWriter(new OutputStreamWriter(log, StandardCharsets.UTF_8), false);
        ReportFormat.TEXT.writer().write(report, text);
        text.flush();
        List<Path> written = ReportFiles.write(report, reports);
        Set<Path> none = new HashSet<>();
        List<ArchivedFile> files = new ArrayList<>();
        for (ArchivedFile a : AgentPaths.archivable(ws, reports, none)) {
            for (Path w : written) {
                if (AgentPaths.shown(ws, w).equals(a.getWorkspacePath())) {
                    files.add(a);
                }
            }
        }
        return new RpmReport(resolved.name(), report.verdict().name(), ReportRecords.packages(report, ws), files,
                AgentPaths.shown(ws, target), "", List.of());
    }

    /** A policy file given relative to the workspace is read from there. */
    static String resolvePolicy(Path ws, String spec) {
        if (PolicyBase.parse(spec).isPresent()) {
            return spec;
        }
        Path p = Path.of(spec);
        return p.isAbsolute() ? spec : ws.resolve(p).normalize().toString();
    }
}

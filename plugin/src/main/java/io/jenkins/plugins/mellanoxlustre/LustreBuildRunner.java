package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.console.HyperlinkNote;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.mellanoxlustre.request.BuildSpec;
import io.jenkins.plugins.mellanoxlustre.agent.AgentCheckCallable;
import io.jenkins.plugins.mellanoxlustre.agent.EnginePoll;
import io.jenkins.plugins.mellanoxlustre.agent.SshKeyMaterial;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

/**
 * The controller side of {@code mellanoxLustreBuild}, the freestyle builder and {@code lustreRpmCheck}:
 * validate, resolve credentials, run the work on the agent, archive, fingerprint, attach the build
 * page action and set the result. Thin: everything about building and checking is the engine's.
 */
final class LustreBuildRunner {
    private LustreBuildRunner() {
    }

    /**
     * What a build runs with, checked on the controller before anything runs on the agent: the
     * options expanded against the build's environment, and the SSH keys of its credentials.
     */
    record Prepared(BuildOptions options, @CheckForNull SshKeyMaterial bundleKey,
                    @CheckForNull SshKeyMaterial lustreKey) {
    }

    /**
     * Expands and validates the options and resolves their credentials.
     *
     * @throws AbortException when the options are invalid, the output directory was used by another
     *                        call of this build, or a credential is missing: the build FAILS, nothing ran
     */
    static Prepared prepare(BuildOptions configured, Run<?, ?> run, EnvVars env, TaskListener listener)
            throws IOException, InterruptedException {
        BuildOptions options = configured.expand(env);
        List<String> problems = options.problems();
        if (!problems.isEmpty()) {
            throw new AbortException("mellanoxLustreBuild: invalid options:\n  " + String.join("\n  ", problems));
        }
        String outputDir = WorkspacePaths.normalize(options.getOutputDir());
        RpmPublisher.checkUnique(run, LustreRpmsAction.Kind.BUILD, outputDir,
                options.fieldName(BuildSpec.Field.OUTPUT_DIR));
        SshKeyMaterial bundleKey = SshCredentials.resolve(run, options.getBundleCredentialsId(),
                options.fieldName(BuildSpec.Field.BUNDLE_KEY),
                options.ofedLocation(), listener);
        SshKeyMaterial lustreKey = options.getLustreSourceDir().isEmpty()
                ? SshCredentials.resolve(run, options.getLustreCredentialsId(),
                        options.fieldName(BuildSpec.Field.LUSTRE_KEY),
                        options.getLustreRepository(), listener)
                : null;
        return new Prepared(options, bundleKey, lustreKey);
    }

    /**
     * Publishes a build that is over, as the engine process ended it: a completed build's
     * distributable RPMs are archived, fingerprinted and shown on the build page, and the build's result
     * set; a build that failed, was refused, aborted or died publishes nothing.
     *
     * @param node the Pipeline step's node (marked UNSTABLE with the reason), null for freestyle
     * @return the step's result map
     * @throws AbortException when the engine did not complete (its message; for a process that died,
     *                        the last lines of its log) or (after publishing the distributable set) a
     *                        package is forbidden or unreadable: the build FAILS
     */
    static Map<String, Object> complete(BuildOptions options, EnginePoll end, Run<?, ?> run, FilePath workspace,
                                        Launcher launcher, TaskListener listener, @CheckForNull FlowNode node)
            throws IOException, InterruptedException {
        RpmReport report = completed(end);
        RpmPublisher.Published published = RpmPublisher.publish(run, workspace, launcher, listener,
                LustreRpmsAction.Kind.BUILD, report, options.isArchive());
        announce(published, listener);
        Map<String, Object> map = resultMap(published);
        settle(run, published, node, listener);
        return map;
    }

    /** The report of a build that completed, or the reason it did not as the step's failure. */
    static RpmReport completed(EnginePoll end) throws AbortException {
        if (end.state() == EnginePoll.State.DIED) {
            throw new AbortException("mellanoxLustreBuild: " + end.message());
        }
        if (end.report() != null) {
            return end.report();
        }
        throw new AbortException("mellanoxLustreBuild: " + end.message() + " (engine exit code " + end.exitCode()
                + ", " + end.outcome() + ")");
    }

    /** Runs {@code lustreRpmCheck}: check a workspace directory, write and archive the reports. */
    static Map<String, Object> check(String path, String policy, String reportDir, boolean archive, Run<?, ?> run,
                                     FilePath workspace, Launcher launcher, TaskListener listener,
                                     @CheckForNull FlowNode node) throws IOException, InterruptedException {
        String shownPath = checkedPath(path);
        String problem = WorkspacePaths.checkRelative("reportDir", reportDir);
        if (problem != null) {
            throw new AbortException(problem);
        }
        RpmPublisher.checkUnique(run, LustreRpmsAction.Kind.CHECK, shownPath, "path");
        RpmReport report = workspace.act(new AgentCheckCallable(shownPath, policy, WorkspacePaths.normalize(reportDir),
                listener));
        RpmPublisher.Published published = RpmPublisher.publish(run, workspace, launcher, listener,
                LustreRpmsAction.Kind.CHECK, report, archive);
        announce(published, listener);
        Map<String, Object> map = resultMap(published);
        settle(run, published, node, listener);
        return map;
    }

    /**
     * The directory (or file) {@code lustreRpmCheck} checks, as the agent's report names it: relative to
     * the workspace, normalized, and {@code .} for the workspace itself (also when written {@code ./}).
     */
    static String checkedPath(String path) throws AbortException {
        String normalized = WorkspacePaths.normalize(path);
        if (normalized.isEmpty() && !path.startsWith("/")) {
            return ".";
        }
        String problem = WorkspacePaths.checkRelative("path", path);
        if (problem != null) {
            throw new AbortException(problem);
        }
        return normalized;
    }

    private static void announce(RpmPublisher.Published p, TaskListener listener) {
        LustreRpmsAction a = p.action();
        listener.getLogger().println("[mellanox-lustre] " + a.getSummary());
        Run<?, ?> run = a.getRun();
        if (run != null) {
            listener.getLogger().println("[mellanox-lustre] details: "
                    + HyperlinkNote.encodeTo("/" + run.getUrl() + a.getUrlName() + "/", a.getDisplayName()));
        }
        if (!a.getRepoUrl().isEmpty()) {
            listener.getLogger().println("[mellanox-lustre] yum repository: " + a.getRepoUrl());
        }
    }

    /**
     * FAILURE: thrown as an {@link AbortException} (after the distributable files were archived and the
     * action attached), so a Pipeline stops here unless the user catches it. UNSTABLE: the build result
     * and, in a Pipeline, the step's node carry the warning, as the {@code unstable} step does.
     */
    private static void settle(Run<?, ?> run, RpmPublisher.Published p, @CheckForNull FlowNode node,
                               TaskListener listener) throws AbortException {
        if (p.result() == Result.FAILURE) {
            throw new AbortException(p.message());
        }
        if (p.result() == Result.UNSTABLE) {
            listener.getLogger().println("[mellanox-lustre] " + p.message());
            run.setResult(Result.UNSTABLE);
            if (node != null) {
                node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(p.message()));
            }
        }
    }

    /** The map the Pipeline step returns: only strings, numbers and lists (safe for CPS and the sandbox). */
    static Map<String, Object> resultMap(RpmPublisher.Published p) {
        RpmReport r = p.action().getReport();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", r.getVerdict());
        m.put("result", p.result().toString());
        m.put("policy", r.getPolicy());
        m.put("outputDir", r.getOutputDir());
        List<String> rpms = new ArrayList<>();
        for (ArchivedFile f : r.getFiles()) {
            if (f.getFileName().endsWith(".rpm")) {
                rpms.add(f.getWorkspacePath());
            }
        }
        m.put("rpms", rpms);
        m.put("manifest", r.getManifest());
        m.put("withheld", new ArrayList<>(r.getWithheld()));
        List<String> forbidden = new ArrayList<>();
        for (PackageRecord pkg : r.getPackages()) {
            if (pkg.isForbidden()) {
                forbidden.add(pkg.getFile());
            }
        }
        m.put("forbidden", forbidden);
        m.put("warnings", r.getWarningCount());
        m.put("archived", new ArrayList<>(p.archived()));
        m.put("repoUrl", p.action().getRepoUrl());
        return m;
    }
}

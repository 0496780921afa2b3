package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Pipeline step {@code lustreRpmCheck}: checks RPMs built elsewhere (a workspace directory, searched
 * recursively for {@code *.rpm}) against a distribution policy on the agent, writes
 * {@code rpm-check.json}, {@code .html} and {@code .txt}, archives them, and fails the build when a
 * package is forbidden or unreadable ({@code internal}: UNSTABLE with warnings). Returns
 * {@code [verdict, result, policy, forbidden: [...], warnings: n, archived: [...]]}.
 *
 * <pre>
 * lustreRpmCheck path: 'rpmbuild/RPMS', policy: 'distribute'
 * </pre>
 */
public final class RpmCheckStep extends Step {
    public static final String DEFAULT_REPORT_DIR = "rpm-check";

    private final String path;
    private String policy = BuildOptions.DEFAULT_POLICY;
    private String reportDir = DEFAULT_REPORT_DIR;
    private boolean archive = true;

    /** @param path the directory (or RPM file) to check, relative to the workspace; {@code .} for all of it */
    @DataBoundConstructor
    public RpmCheckStep(String path) {
        this.path = path == null || path.isBlank() ? "." : path.strip();
    }

    public String getPath() {
        return path;
    }

    public String getPolicy() {
        return policy;
    }

    @DataBoundSetter
    public void setPolicy(String policy) {
        this.policy = policy == null || policy.isBlank() ? BuildOptions.DEFAULT_POLICY : policy.strip();
    }

    public String getReportDir() {
        return reportDir;
    }

    @DataBoundSetter
    public void setReportDir(String reportDir) {
        this.reportDir = reportDir == null || reportDir.isBlank() ? DEFAULT_REPORT_DIR : reportDir.strip();
    }

    public boolean isArchive() {
        return archive;
    }

    @DataBoundSetter
    public void setArchive(boolean archive) {
        this.archive = archive;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, path, policy, reportDir, archive);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final String path;
        private final String policy;
        private final String reportDir;
        private final boolean archive;

        Execution(StepContext context, String path, String policy, String reportDir, boolean archive) {
            super(context);
            this.path = path;
            this.policy = policy;
            this.reportDir = reportDir;
            this.archive = archive;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext c = getContext();
            EnvVars env = c.get(EnvVars.class);
            return LustreBuildRunner.check(env.expand(path), env.expand(policy), env.expand(reportDir), archive,
                    c.get(Run.class), c.get(FilePath.class), c.get(Launcher.class), c.get(TaskListener.class),
                    c.get(FlowNode.class));
        }
    }

    @Extension
    @Symbol("lustreRpmCheck")
    public static final class DescriptorImpl extends StepDescriptor {
        private final transient OptionsValidation validation = new OptionsValidation();

        @Override
        public String getFunctionName() {
            return "lustreRpmCheck";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RpmCheckStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, Launcher.class, TaskListener.class, EnvVars.class);
        }

        @POST
        public FormValidation doCheckPath(@AncestorInPath Item item, @QueryParameter String value) {
            if (value != null && value.strip().equals(".")) {
                validation.checkConfigure(item);
                return FormValidation.ok();
            }
            return validation.checkWorkspaceDirectory(item, "path", value);
        }

        @POST
        public FormValidation doCheckPolicy(@AncestorInPath Item item, @QueryParameter String value) {
            return validation.checkPolicy(item, value);
        }

        @POST
        public FormValidation doCheckReportDir(@AncestorInPath Item item, @QueryParameter String value) {
            return validation.checkWorkspaceDirectory(item, "reportDir", value);
        }
    }
}

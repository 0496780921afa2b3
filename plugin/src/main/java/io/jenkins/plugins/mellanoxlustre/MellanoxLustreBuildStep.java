package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Pipeline step {@code mellanoxLustreBuild}: rebuilds MLNX_OFED's kernel modules for the target
 * kernel, builds Lustre against them and publishes the distributable RPMs, all on the agent of the
 * enclosing {@code node}; then archives and fingerprints the published directory and returns
 *
 * <pre>
 * [verdict: 'PASS'|'FAIL', result: 'SUCCESS'|'UNSTABLE', policy: ..., outputDir: 'lustre-rpms',
 *  rpms: [workspace paths of the published RPMs], manifest: 'lustre-rpms/manifest.json',
 *  withheld: [forbidden RPMs kept out], forbidden: [...], warnings: n, archived: [...], repoUrl: '...']
 * </pre>
 *
 * <p>Under the {@code distribute} policy a forbidden RPM fails the step (after the distributable set
 * was published and archived); under {@code internal} findings make the build UNSTABLE.
 *
 * <pre>
 * node('el8') {
 *     def r = mellanoxLustreBuild bundle: '/srv/ofed/MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz',
 *                                 lustreRef: '2.15.5', kernelRelease: '4.18.0-477.10.1.el8_lustre.x86_64'
 *     echo "published ${r.rpms.size()} RPMs: ${r.repoUrl}"
 * }
 * </pre>
 *
 * <p>Runs in a {@link SynchronousNonBlockingStepExecution}: it does not survive a controller restart
 * (wrap it in {@code retry(conditions: [nonresumable()], count: 2)} if that matters).
 *
 * <p>The form (fields, checks, lists, help) is the one of {@link BuildOptions}, shared with the
 * other front end; this class only keeps the data-bound names, which must be its own.
 */
public final class MellanoxLustreBuildStep extends Step {
    private final BuildOptions options = new BuildOptions();

    @DataBoundConstructor
    public MellanoxLustreBuildStep(String bundle) {
        options.setBundle(bundle);
    }

    /** A copy of the options (the step's own stay as configured). */
    public BuildOptions options() {
        return options.copy();
    }

    /** Null when another OFED source is used, so that a generated snippet does not say {@code bundle: ''}. */
    @CheckForNull
    public String getBundle() {
        return options.getBundle().isEmpty() ? null : options.getBundle();
    }

    @DataBoundSetter
    public void setOfedSrpm(String ofedSrpm) {
        options.setOfedSrpm(ofedSrpm);
    }

    public String getOfedSrpm() {
        return options.getOfedSrpm();
    }

    @DataBoundSetter
    public void setDocaRepo(String docaRepo) {
        options.setDocaRepo(docaRepo);
    }

    public String getDocaRepo() {
        return options.getDocaRepo();
    }

    @DataBoundSetter
    public void setOfedInstalled(boolean ofedInstalled) {
        options.setOfedInstalled(ofedInstalled);
    }

    public boolean isOfedInstalled() {
        return options.isOfedInstalled();
    }

    @DataBoundSetter
    public void setOfedInstalledDir(String ofedInstalledDir) {
        options.setOfedInstalledDir(ofedInstalledDir);
    }

    public String getOfedInstalledDir() {
        return options.getOfedInstalledDir();
    }

    @DataBoundSetter
    public void setBundleSha256(String bundleSha256) {
        options.setBundleSha256(bundleSha256);
    }

    public String getBundleSha256() {
        return options.getBundleSha256();
    }

    @DataBoundSetter
    public void setBundleCredentialsId(String bundleCredentialsId) {
        options.setBundleCredentialsId(bundleCredentialsId);
    }

    public String getBundleCredentialsId() {
        return options.getBundleCredentialsId();
    }

    @DataBoundSetter
    public void setKnownHosts(String knownHosts) {
        options.setKnownHosts(knownHosts);
    }

    public String getKnownHosts() {
        return options.getKnownHosts();
    }

    @DataBoundSetter
    public void setKnownHostsFile(String knownHostsFile) {
        options.setKnownHostsFile(knownHostsFile);
    }

    public String getKnownHostsFile() {
        return options.getKnownHostsFile();
    }

    @DataBoundSetter
    public void setKernelRelease(String kernelRelease) {
        options.setKernelRelease(kernelRelease);
    }

    public String getKernelRelease() {
        return options.getKernelRelease();
    }

    @DataBoundSetter
    public void setKernelSourceDir(String kernelSourceDir) {
        options.setKernelSourceDir(kernelSourceDir);
    }

    public String getKernelSourceDir() {
        return options.getKernelSourceDir();
    }

    @DataBoundSetter
    public void setOfedRebuild(String ofedRebuild) {
        options.setOfedRebuild(ofedRebuild);
    }

    public String getOfedRebuild() {
        return options.getOfedRebuild();
    }

    @DataBoundSetter
    public void setOfedPackaging(String ofedPackaging) {
        options.setOfedPackaging(ofedPackaging);
    }

    public String getOfedPackaging() {
        return options.getOfedPackaging();
    }

    @DataBoundSetter
    public void setSudo(String sudo) {
        options.setSudo(sudo);
    }

    public String getSudo() {
        return options.getSudo();
    }

    @DataBoundSetter
    public void setLustreRepository(String lustreRepository) {
        options.setLustreRepository(lustreRepository);
    }

    public String getLustreRepository() {
        return options.getLustreRepository();
    }

    @DataBoundSetter
    public void setLustreRef(String lustreRef) {
        options.setLustreRef(lustreRef);
    }

    public String getLustreRef() {
        return options.getLustreRef();
    }

    @DataBoundSetter
    public void setLustreCredentialsId(String lustreCredentialsId) {
        options.setLustreCredentialsId(lustreCredentialsId);
    }

    public String getLustreCredentialsId() {
        return options.getLustreCredentialsId();
    }

    @DataBoundSetter
    public void setLustreSourceDir(String lustreSourceDir) {
        options.setLustreSourceDir(lustreSourceDir);
    }

    public String getLustreSourceDir() {
        return options.getLustreSourceDir();
    }

    @DataBoundSetter
    public void setClientOnly(boolean clientOnly) {
        options.setClientOnly(clientOnly);
    }

    public boolean isClientOnly() {
        return options.isClientOnly();
    }

    @DataBoundSetter
    public void setBackends(String backends) {
        options.setBackends(backends);
    }

    public String getBackends() {
        return options.getBackends();
    }

    @DataBoundSetter
    public void setZfsSource(String zfsSource) {
        options.setZfsSource(zfsSource);
    }

    public String getZfsSource() {
        return options.getZfsSource();
    }

    @DataBoundSetter
    public void setZfsObj(String zfsObj) {
        options.setZfsObj(zfsObj);
    }

    public String getZfsObj() {
        return options.getZfsObj();
    }

    @DataBoundSetter
    public void setPackaging(String packaging) {
        options.setPackaging(packaging);
    }

    public String getPackaging() {
        return options.getPackaging();
    }

    @DataBoundSetter
    public void setMakeJobs(int makeJobs) {
        options.setMakeJobs(makeJobs);
    }

    public int getMakeJobs() {
        return options.getMakeJobs();
    }

    @DataBoundSetter
    public void setPolicy(String policy) {
        options.setPolicy(policy);
    }

    public String getPolicy() {
        return options.getPolicy();
    }

    @DataBoundSetter
    public void setOutputDir(String outputDir) {
        options.setOutputDir(outputDir);
    }

    public String getOutputDir() {
        return options.getOutputDir();
    }

    @DataBoundSetter
    public void setWorkDir(String workDir) {
        options.setWorkDir(workDir);
    }

    public String getWorkDir() {
        return options.getWorkDir();
    }

    @DataBoundSetter
    public void setCacheDir(String cacheDir) {
        options.setCacheDir(cacheDir);
    }

    public String getCacheDir() {
        return options.getCacheDir();
    }

    @DataBoundSetter
    public void setToolEnvironment(String toolEnvironment) {
        options.setToolEnvironment(toolEnvironment);
    }

    public String getToolEnvironment() {
        return options.getToolEnvironment();
    }

    @DataBoundSetter
    public void setCheckDistro(boolean checkDistro) {
        options.setCheckDistro(checkDistro);
    }

    public boolean isCheckDistro() {
        return options.isCheckDistro();
    }

    @DataBoundSetter
    public void setArchive(boolean archive) {
        options.setArchive(archive);
    }

    public boolean isArchive() {
        return options.isArchive();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, options.copy());
    }

    /** Runs the build on a pooled thread; the agent work is interrupted when the build is aborted. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient BuildOptions options;

        Execution(StepContext context, BuildOptions options) {
            super(context);
            this.options = options;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext c = getContext();
            return LustreBuildRunner.build(options, c.get(Run.class), c.get(FilePath.class), c.get(EnvVars.class),
                    c.get(Launcher.class), c.get(TaskListener.class), c.get(FlowNode.class));
        }
    }

    /**
     * The help of each parameter is this class's own {@code help-<parameter>.html}, which the build copies
     * from the options' form ({@code BuildOptions/}, see plugin/pom.xml): the Pipeline Syntax reference
     * reads only a step's own resources.
     */
    @Extension
    @Symbol("mellanoxLustreBuild")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "mellanoxLustreBuild";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.MellanoxLustreBuildStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, Launcher.class, TaskListener.class, EnvVars.class);
        }
    }
}

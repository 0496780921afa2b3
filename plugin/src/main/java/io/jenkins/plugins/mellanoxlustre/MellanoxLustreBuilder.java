package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Builder;
import io.jenkins.plugins.mellanoxlustre.agent.EnginePoll;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Freestyle build step "Build Lustre RPMs against MLNX_OFED", with the same options (same names,
 * same defaults) as the Pipeline step {@code mellanoxLustreBuild}. A {@link SimpleBuildStep}, so a
 * Pipeline can also run it as {@code step([$class: 'MellanoxLustreBuilder', bundle: ...])} (without
 * the result map); it has no Pipeline name of its own.
 *
 * <p>The form (fields, checks, lists, help) is the one of {@link BuildOptions}, shared with the
 * other front end; this class only keeps the data-bound names, which must be its own.
 */
public final class MellanoxLustreBuilder extends Builder implements SimpleBuildStep {
    private BuildOptions options = new BuildOptions();

    @DataBoundConstructor
    public MellanoxLustreBuilder(String bundle) {
        options.setBundle(bundle);
    }

    /** Older or hand-edited {@code config.xml} without options gets the defaults. */
    protected Object readResolve() {
        if (options == null) {
            options = new BuildOptions();
        }
        return this;
    }

    /** A copy of the options. */
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
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
                        @NonNull Launcher launcher, @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        LustreBuildRunner.Prepared p = LustreBuildRunner.prepare(options.copy(), run, env, listener);
        String control = EngineProcess.launch(p, workspace, env, listener);
        EnginePoll end;
        try {
            end = follow(workspace, control, p.options(), listener);
        } catch (InterruptedException e) {
            stop(workspace, control, listener);
            throw e;
        }
        try {
            LustreBuildRunner.complete(p.options(), end, run, workspace, launcher, listener, null);
        } finally {
            EngineProcess.cleanUp(workspace, control, listener);
        }
    }

    /**
     * Follows the engine process until it ends, copying its log; backs off as the Pipeline step does.
     * A freestyle build holds its executor meanwhile and does not survive a restart (Jenkins cannot
     * resume a freestyle build); the engine process is the same.
     */
    private static EnginePoll follow(FilePath workspace, String control, BuildOptions options, TaskListener listener)
            throws IOException, InterruptedException {
        long offset = 0;
        long period = EngineProcess.MIN_RECURRENCE_MILLIS;
        while (true) {
            EnginePoll p = EngineProcess.poll(workspace, control, offset);
            if (p.log().length > 0) {
                EngineProcess.writeLog(p.log(), options.toSpec()::namedLine, listener.getLogger());
                offset = p.next();
                period = EngineProcess.MIN_RECURRENCE_MILLIS;
            } else {
                period = EngineProcess.backOff(period);
            }
            if (p.state() != EnginePoll.State.RUNNING) {
                return p;
            }
            Thread.sleep(period);
        }
    }

    /**
     * The build was aborted (this thread interrupted): kills the engine's whole process tree through its
     * watcher on the agent; nothing is published. The interrupt is set again afterwards.
     */
    private static void stop(FilePath workspace, String control, TaskListener listener) {
        boolean interrupted = Thread.interrupted();
        listener.getLogger().println("[mellanoxLustreBuild] aborted: stopping the engine process and its whole "
                + "process tree");
        try {
            listener.getLogger().println("[mellanoxLustreBuild] " + EngineProcess.abort(workspace, control));
            EngineProcess.cleanUp(workspace, control, listener);
        } catch (IOException | InterruptedException e) {
            listener.getLogger().println("[mellanoxLustreBuild] could not stop the engine process in " + control + ": "
                    + e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    /**
     * No {@code @Symbol}: in a Pipeline the one name of this build is the step's {@code mellanoxLustreBuild};
     * the builder is reached as {@code step([$class: 'MellanoxLustreBuilder', ...])} only. Its parameters'
     * help files are copied beside this class by the build (see plugin/pom.xml), as for the step.
     */
    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.MellanoxLustreBuilder_DisplayName();
        }
    }
}

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
 * Pipeline can also run it as {@code step([$class: 'MellanoxLustreBuilder', ofed: ofedBundle('...')])} (without
 * the result map); it has no Pipeline name of its own.
 *
 * <p>The form (fields, checks, lists, help) is the one of {@link BuildOptions}, shared with the
 * other front end; this class only keeps the data-bound names, which must be its own. Its saved form
 * in {@code config.xml} is the flat {@code <options>} it always was, so jobs saved before the nested
 * parameters load unchanged, and jobs saved after them load in those older versions too (which skip,
 * with an "old data" note, the one new element, {@code <nested>}).
 */
public final class MellanoxLustreBuilder extends Builder implements SimpleBuildStep {
    private BuildOptions options = new BuildOptions();

    /** Every parameter is optional; the OFED source ({@code ofed}) must be given before the build runs. */
    @DataBoundConstructor
    public MellanoxLustreBuilder() {
        // set with the data-bound setters
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

    /**
     * The OFED source ({@code ofedBundle}, {@code ofedSourceRpm}, {@code docaRepository} or
     * {@code installedOfed}); null when none is given.
     */
    @CheckForNull
    public OfedSource getOfed() {
        return options.getOfed();
    }

    @DataBoundSetter
    public void setOfed(@CheckForNull OfedSource ofed) {
        options.setOfed(ofed);
    }

    /** The Lustre source ({@code lustreGit} or {@code lustreDirectory}). */
    public LustreSource getLustre() {
        return options.getLustre();
    }

    @DataBoundSetter
    public void setLustre(@CheckForNull LustreSource lustre) {
        options.setLustre(lustre);
    }

    /** The target kernel ({@code targetKernel}). */
    public TargetKernel getKernel() {
        return options.getKernel();
    }

    @DataBoundSetter
    public void setKernel(@CheckForNull TargetKernel kernel) {
        options.setKernel(kernel);
    }

    /** The policy and output ({@code rpmOutput}). */
    public RpmOutput getOutput() {
        return options.getOutput();
    }

    @DataBoundSetter
    public void setOutput(@CheckForNull RpmOutput output) {
        options.setOutput(output);
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
    public void setSudo(String sudo) {
        options.setSudo(sudo);
    }

    public String getSudo() {
        return options.getSudo();
    }

    @DataBoundSetter
    public void setCheckDistro(boolean checkDistro) {
        options.setCheckDistro(checkDistro);
    }

    public boolean isCheckDistro() {
        return options.isCheckDistro();
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

    // The flat names of older scripts and config.xml files: accepted, left out of generated snippets.

    /** @deprecated use {@code ofed: ofedBundle(location)} */
    @Deprecated
    @DataBoundSetter
    public void setBundle(String bundle) {
        options.setBundle(bundle);
    }

    /**
     * @deprecated use {@code ofed: ofedBundle(location)}; null when another OFED source is used, so that a generated
     *             snippet does not say {@code bundle: ''}
     */
    @Deprecated
    @CheckForNull
    public String getBundle() {
        return options.getBundle().isEmpty() ? null : options.getBundle();
    }

    /** @deprecated use {@code ofed: ofedSourceRpm(location)} */
    @Deprecated
    @DataBoundSetter
    public void setOfedSrpm(String ofedSrpm) {
        options.setOfedSrpm(ofedSrpm);
    }

    /** @deprecated use {@code ofed: ofedSourceRpm(location)} */
    @Deprecated
    public String getOfedSrpm() {
        return options.getOfedSrpm();
    }

    /** @deprecated use {@code ofed: docaRepository(location)} */
    @Deprecated
    @DataBoundSetter
    public void setDocaRepo(String docaRepo) {
        options.setDocaRepo(docaRepo);
    }

    /** @deprecated use {@code ofed: docaRepository(location)} */
    @Deprecated
    public String getDocaRepo() {
        return options.getDocaRepo();
    }

    /** @deprecated use {@code ofed: installedOfed()} */
    @Deprecated
    @DataBoundSetter
    public void setOfedInstalled(boolean ofedInstalled) {
        options.setOfedInstalled(ofedInstalled);
    }

    /** @deprecated use {@code ofed: installedOfed()} */
    @Deprecated
    public boolean isOfedInstalled() {
        return options.isOfedInstalled();
    }

    /** @deprecated use {@code ofed: installedOfed(directory: ...)} */
    @Deprecated
    @DataBoundSetter
    public void setOfedInstalledDir(String ofedInstalledDir) {
        options.setOfedInstalledDir(ofedInstalledDir);
    }

    /** @deprecated use {@code ofed: installedOfed(directory: ...)} */
    @Deprecated
    public String getOfedInstalledDir() {
        return options.getOfedInstalledDir();
    }

    /** @deprecated use {@code the OFED source's sha256} */
    @Deprecated
    @DataBoundSetter
    public void setBundleSha256(String bundleSha256) {
        options.setBundleSha256(bundleSha256);
    }

    /** @deprecated use {@code the OFED source's sha256} */
    @Deprecated
    public String getBundleSha256() {
        return options.getBundleSha256();
    }

    /** @deprecated use {@code the OFED source's credentialsId} */
    @Deprecated
    @DataBoundSetter
    public void setBundleCredentialsId(String bundleCredentialsId) {
        options.setBundleCredentialsId(bundleCredentialsId);
    }

    /** @deprecated use {@code the OFED source's credentialsId} */
    @Deprecated
    public String getBundleCredentialsId() {
        return options.getBundleCredentialsId();
    }

    /** @deprecated use {@code kernel: targetKernel(release: ...)} */
    @Deprecated
    @DataBoundSetter
    public void setKernelRelease(String kernelRelease) {
        options.setKernelRelease(kernelRelease);
    }

    /** @deprecated use {@code kernel: targetKernel(release: ...)} */
    @Deprecated
    public String getKernelRelease() {
        return options.getKernelRelease();
    }

    /** @deprecated use {@code kernel: targetKernel(sourceDir: ...)} */
    @Deprecated
    @DataBoundSetter
    public void setKernelSourceDir(String kernelSourceDir) {
        options.setKernelSourceDir(kernelSourceDir);
    }

    /** @deprecated use {@code kernel: targetKernel(sourceDir: ...)} */
    @Deprecated
    public String getKernelSourceDir() {
        return options.getKernelSourceDir();
    }

    /** @deprecated use {@code lustre: lustreGit(repository: ...)} */
    @Deprecated
    @DataBoundSetter
    public void setLustreRepository(String lustreRepository) {
        options.setLustreRepository(lustreRepository);
    }

    /** @deprecated use {@code lustre: lustreGit(repository: ...)} */
    @Deprecated
    public String getLustreRepository() {
        return options.getLustreRepository();
    }

    /** @deprecated use {@code lustre: lustreGit(ref: ...)} */
    @Deprecated
    @DataBoundSetter
    public void setLustreRef(String lustreRef) {
        options.setLustreRef(lustreRef);
    }

    /** @deprecated use {@code lustre: lustreGit(ref: ...)} */
    @Deprecated
    public String getLustreRef() {
        return options.getLustreRef();
    }

    /** @deprecated use {@code lustre: lustreGit(credentialsId: ...)} */
    @Deprecated
    @DataBoundSetter
    public void setLustreCredentialsId(String lustreCredentialsId) {
        options.setLustreCredentialsId(lustreCredentialsId);
    }

    /** @deprecated use {@code lustre: lustreGit(credentialsId: ...)} */
    @Deprecated
    public String getLustreCredentialsId() {
        return options.getLustreCredentialsId();
    }

    /** @deprecated use {@code lustre: lustreDirectory(...)} */
    @Deprecated
    @DataBoundSetter
    public void setLustreSourceDir(String lustreSourceDir) {
        options.setLustreSourceDir(lustreSourceDir);
    }

    /** @deprecated use {@code lustre: lustreDirectory(...)} */
    @Deprecated
    public String getLustreSourceDir() {
        return options.getLustreSourceDir();
    }

    /** @deprecated use {@code output: rpmOutput(policy: ...)} */
    @Deprecated
    @DataBoundSetter
    public void setPolicy(String policy) {
        options.setPolicy(policy);
    }

    /** @deprecated use {@code output: rpmOutput(policy: ...)} */
    @Deprecated
    public String getPolicy() {
        return options.getPolicy();
    }

    /** @deprecated use {@code output: rpmOutput(directory: ...)} */
    @Deprecated
    @DataBoundSetter
    public void setOutputDir(String outputDir) {
        options.setOutputDir(outputDir);
    }

    /** @deprecated use {@code output: rpmOutput(directory: ...)} */
    @Deprecated
    public String getOutputDir() {
        return options.getOutputDir();
    }

    /** @deprecated use {@code output: rpmOutput(archive: ...)} */
    @Deprecated
    @DataBoundSetter
    public void setArchive(boolean archive) {
        options.setArchive(archive);
    }

    /** @deprecated use {@code output: rpmOutput(archive: ...)} */
    @Deprecated
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

package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.mellanoxlustre.agent.EnginePoll;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.FilePathUtils;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
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
 *     def r = mellanoxLustreBuild ofed: ofedBundle('/srv/ofed/MLNX_OFED_LINUX-24.10-3.2.5.0-rhel8.10-x86_64.tgz'),
 *                                 lustre: lustreGit(ref: '2.17.0'),
 *                                 kernel: targetKernel(release: '4.18.0-553.27.1.el8_lustre.x86_64')
 *     echo "published ${r.rpms.size()} RPMs: ${r.repoUrl}"
 * }
 * </pre>
 *
 * <p>The OFED source, the Lustre source, the kernel and the output are nested parameters, each with
 * its own form and checks ({@link OfedSource}, {@link LustreSource}, {@link TargetKernel},
 * {@link RpmOutput}); the flat names of scripts written before them ({@code bundle: ..., lustreRef: ...})
 * still bind, to deprecated setters that write the same options, and generated snippets use the
 * nested ones. Every parameter is optional in the model (Declarative checks only required ones), the
 * OFED source is required by the build's validation.
 *
 * <p>Durable, as {@code sh} is: the engine runs on the agent as a process of its own ({@link Execution}),
 * which a restart of the controller or a reconnect of the agent does not stop; the step follows it
 * again afterwards and publishes when it ends. Aborting the build kills the engine's whole process
 * tree and publishes nothing (see docs/durable-builds.md).
 *
 * <p>The form (fields, checks, lists, help) is the one of {@link BuildOptions}, shared with the
 * other front end; this class only keeps the data-bound names, which must be its own.
 */
public final class MellanoxLustreBuildStep extends Step {
    private final BuildOptions options = new BuildOptions();

    /** Every parameter is optional; the OFED source ({@code ofed}) must be given before the build runs. */
    @DataBoundConstructor
    public MellanoxLustreBuildStep() {
        // set with the data-bound setters
    }

    /** A copy of the options (the step's own stay as configured). */
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
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, options.copy());
    }

    /**
     * The build as a detached engine process on the agent, watched from the controller the way the
     * {@code sh} step watches its script (workflow-durable-task-step's {@code DurableTaskStep.Execution}):
     * {@link #start()} starts the process and returns; a task on {@link Timer} looks at it every
     * {@value EngineProcess#MIN_RECURRENCE_MILLIS} ms, backing off to
     * {@value EngineProcess#MAX_RECURRENCE_MILLIS} ms while nothing happens, copies its new log lines
     * to the build log and, once it ended, publishes on a pooled thread. What a look needs survives a
     * controller restart in this object's persisted fields (the node, the workspace, the control
     * directory, the log offset): {@link #onResume()} looks again from the saved offset. While the
     * agent is offline the looks go on, and the log says so once; the engine process does not need
     * the agent's connection.
     */
    static final class Execution extends StepExecution implements Runnable {
        private static final long serialVersionUID = 1L;
        private static final Logger LOGGER = Logger.getLogger(Execution.class.getName());

        private final BuildOptions configured;
        /** The options expanded against the build's environment, once started. */
        private BuildOptions options;
        /** {@link FilePathUtils#getNodeName} of the workspace. */
        private String node;
        private String workspace;
        private volatile String controlDir;
        /** How much of the engine's log is in the build log. */
        private volatile long offset;
        /** Set once in this JVM: the build is over (completed, or stopped); no more looks. */
        private transient boolean over;

        private transient volatile boolean launching;
        private transient volatile long recurrencePeriod;
        private transient volatile ScheduledFuture<?> task;
        private transient volatile boolean offline;
        private transient volatile String lastProgress;

        Execution(StepContext context, BuildOptions configured) {
            super(context);
            this.configured = configured;
        }

        /**
         * Validates the options and resolves the credentials here; copies the engine's jars and starts
         * the engine process on a pooled thread (a first copy to an agent takes a while, and this is the
         * Pipeline's thread), then the looks begin. Jenkins does not restart meanwhile ({@link #blocksRestart()}).
         */
        @Override
        public boolean start() throws Exception {
            StepContext c = getContext();
            Run<?, ?> run = c.get(Run.class);
            FilePath ws = c.get(FilePath.class);
            EnvVars env = c.get(EnvVars.class);
            TaskListener listener = c.get(TaskListener.class);
            LustreBuildRunner.Prepared p = LustreBuildRunner.prepare(configured, run, env, listener);
            options = p.options();
            node = FilePathUtils.getNodeName(ws);
            workspace = ws.getRemote();
            launching = true;
            Computer.threadPoolForRemoting.submit(() -> launch(p, ws, env, listener));
            return false;
        }

        private void launch(LustreBuildRunner.Prepared p, FilePath ws, EnvVars env, TaskListener listener) {
            try {
                controlDir = EngineProcess.launch(p, ws, env, listener);
                if (isOver()) {
                    // stopped while it was being started
                    listener.getLogger().println("[mellanoxLustreBuild] " + EngineProcess.abort(ws, controlDir));
                    EngineProcess.cleanUp(ws, controlDir, listener);
                    return;
                }
                getContext().saveState();
                schedule(EngineProcess.MIN_RECURRENCE_MILLIS);
            } catch (Exception e) {
                if (claim()) {
                    getContext().onFailure(e);
                }
            } finally {
                launching = false;
            }
        }

        /** While the engine process is being started: a restart then could not tell whether it runs. */
        @Override
        public boolean blocksRestart() {
            return launching;
        }

        @Override
        public void onResume() {
            if (controlDir == null) {
                getContext().onFailure(new AbortException("mellanoxLustreBuild: Jenkins stopped while the engine "
                        + "process was being started; it is not known whether it runs"));
                return;
            }
            schedule(EngineProcess.MIN_RECURRENCE_MILLIS);
        }

        private void schedule(long period) {
            recurrencePeriod = period;
            task = Timer.get().schedule(this, period, TimeUnit.MILLISECONDS);
        }

        /** One look; the next is scheduled unless the build is over. */
        @Override
        public void run() {
            task = null;
            try {
                check();
            } catch (RuntimeException | InterruptedException e) {
                LOGGER.log(Level.WARNING, "looking at " + controlDir + " on " + node, e);
            } finally {
                if (!isOver()) {
                    task = Timer.get().schedule(this, recurrencePeriod, TimeUnit.MILLISECONDS);
                }
            }
        }

        private void check() throws InterruptedException {
            if (isOver()) {
                return;
            }
            TaskListener listener;
            try {
                listener = getContext().get(TaskListener.class);
            } catch (IOException e) {
                listener = null;
                LOGGER.log(Level.FINE, "no build log yet for " + controlDir, e);
            }
            if (listener == null) {
                recurrencePeriod = EngineProcess.backOff(recurrencePeriod);
                return;
            }
            FilePath ws = FilePathUtils.find(node, workspace);
            EnginePoll p = null;
            Exception problem = null;
            if (ws != null) {
                try {
                    p = EngineProcess.poll(ws, controlDir, offset);
                } catch (NoSuchFileException e) {
                    if (claim()) {
                        getContext().onFailure(new AbortException("mellanoxLustreBuild: the engine's control directory "
                                + controlDir + " on " + nodeName() + " is gone (was " + workspace + "@tmp cleaned?); "
                                + "the build cannot be followed"));
                    }
                    return;
                } catch (IOException e) {
                    problem = e;
                }
            }
            if (p == null) {
                wentOffline(listener, problem);
                recurrencePeriod = EngineProcess.backOff(recurrencePeriod);
                return;
            }
            if (offline) {
                offline = false;
                listener.getLogger().println("[mellanoxLustreBuild] " + nodeName() + " is back online; following the "
                        + "build from where the log stopped");
            }
            lastProgress = p.progress();
            byte[] log = p.log();
            if (log.length > 0) {
                EngineProcess.writeLog(log, options.toSpec()::namedLine, listener.getLogger());
                offset = p.next();
                getContext().saveState();
                recurrencePeriod = EngineProcess.MIN_RECURRENCE_MILLIS;
            } else {
                recurrencePeriod = EngineProcess.backOff(recurrencePeriod);
            }
            if (p.state() != EnginePoll.State.RUNNING && claim()) {
                FilePath found = ws;
                EnginePoll end = p;
                Computer.threadPoolForRemoting.submit(() -> complete(found, end));
            }
        }

        /** The agent cannot be reached: said once in the build log; the looks go on. */
        private void wentOffline(TaskListener listener, @CheckForNull Exception problem) {
            LOGGER.log(Level.FINE, nodeName() + " seems to be offline", problem);
            if (!offline) {
                offline = true;
                listener.getLogger().println("[mellanoxLustreBuild] " + nodeName() + " seems to be offline"
                        + (problem == null ? "" : " (" + problem.getMessage() + ")") + "; the engine process "
                        + "keeps running there, and its log is followed again when the agent is back");
            }
        }

        /** Publishes the ended build and completes the step (on a pooled thread: archiving takes a while). */
        private void complete(FilePath ws, EnginePoll end) {
            StepContext c = getContext();
            try {
                TaskListener listener = c.get(TaskListener.class);
                Map<String, Object> result;
                try {
                    result = LustreBuildRunner.complete(options, end, c.get(Run.class), ws, c.get(Launcher.class),
                            listener, c.get(FlowNode.class));
                } finally {
                    EngineProcess.cleanUp(ws, controlDir, listener);
                }
                c.onSuccess(result);
            } catch (Exception e) {
                c.onFailure(e);
            }
        }

        /**
         * Aborts the engine process through its watcher on the agent (SIGTERM to the engine, which kills
         * the running tool's tree; the rest of the tree killed after a grace), publishes nothing, and
         * fails the step with {@code cause} once that is done.
         */
        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            boolean first = claim();
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            FilePath ws = controlDir == null ? null : FilePathUtils.find(node, workspace);
            if (!first || ws == null) {
                if (controlDir != null && ws == null) {
                    getContext().get(TaskListener.class).getLogger().println("[mellanoxLustreBuild] could not reach "
                            + nodeName() + " to stop the engine process; it may still run there (control directory "
                            + controlDir + ")");
                }
                getContext().onFailure(cause);
                return;
            }
            TaskListener listener = getContext().get(TaskListener.class);
            listener.getLogger().println("[mellanoxLustreBuild] stopping the engine process and its whole process tree");
            Computer.threadPoolForRemoting.submit(() -> {
                try {
                    listener.getLogger().println("[mellanoxLustreBuild] " + EngineProcess.abort(ws, controlDir));
                    copyRest(ws, listener);
                    EngineProcess.cleanUp(ws, controlDir, listener);
                } catch (IOException | InterruptedException | RuntimeException e) {
                    listener.getLogger().println("[mellanoxLustreBuild] could not stop the engine process in " + controlDir
                            + " on " + nodeName() + ": " + e);
                } finally {
                    getContext().onFailure(cause);
                }
            });
        }

        /** The log's last lines after an abort (what the engine said while it stopped). */
        private void copyRest(FilePath ws, TaskListener listener) throws IOException, InterruptedException {
            for (int i = 0; i < 100; i++) {
                EnginePoll p = EngineProcess.poll(ws, controlDir, offset);
                if (p.log().length == 0) {
                    return;
                }
                EngineProcess.writeLog(p.log(), options.toSpec()::namedLine, listener.getLogger());
                offset = p.next();
            }
        }

        private synchronized boolean claim() {
            if (over) {
                return false;
            }
            over = true;
            return true;
        }

        private synchronized boolean isOver() {
            return over;
        }

        private String nodeName() {
            return node == null || node.isEmpty() ? "the built-in node" : node;
        }

        @Override
        public String getStatus() {
            if (controlDir == null) {
                return "starting the engine process";
            }
            return "engine process with control directory " + controlDir + " on " + nodeName()
                    + (lastProgress == null ? "" : ", at " + lastProgress) + "; log offset " + offset
                    + (offline ? "; agent offline" : "") + "; next look in " + recurrencePeriod + " ms"
                    + (isOver() ? "; over" : "");
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

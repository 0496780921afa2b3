package io.github.mellanoxlustre.engine;

import io.github.mellanoxlustre.engine.phase.BuildFacts;
import io.github.mellanoxlustre.engine.phase.FetchBundlePhase;
import io.github.mellanoxlustre.engine.phase.LustreBuildPhase;
import io.github.mellanoxlustre.engine.phase.LustreConfigurePhase;
import io.github.mellanoxlustre.engine.phase.LustreSourcePhase;
import io.github.mellanoxlustre.engine.phase.LustreTree;
import io.github.mellanoxlustre.engine.phase.OfedDevelPhase;
import io.github.mellanoxlustre.engine.phase.OfedInput;
import io.github.mellanoxlustre.engine.phase.OfedRebuildPhase;
import io.github.mellanoxlustre.engine.phase.Phase;
import io.github.mellanoxlustre.engine.phase.PlannedCommand;
import io.github.mellanoxlustre.engine.phase.PlannedPhase;
import io.github.mellanoxlustre.engine.phase.PreflightPhase;
import io.github.mellanoxlustre.engine.phase.PublishPhase;
import io.github.mellanoxlustre.engine.phase.VerifyPhase;
import io.github.mellanoxlustre.engine.phase.WorkLayout;
import io.github.mellanoxlustre.engine.preflight.PreflightReport;
import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.ofed.BundleFetcher;
import io.github.mellanoxlustre.ofed.OfedRpm;
import io.github.mellanoxlustre.ofed.SafeArchiveExtractor;
import io.github.mellanoxlustre.policy.DistributionPolicy;
import io.github.mellanoxlustre.policy.PolicyException;
import io.github.mellanoxlustre.policy.Severity;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.Cancellation;
import io.github.mellanoxlustre.process.SecretMasker;
import io.github.mellanoxlustre.process.ToolClock;
import io.github.mellanoxlustre.publish.BuiltRpm;
import io.github.mellanoxlustre.publish.StagedOutput;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.request.InvalidRequestException;
import io.github.mellanoxlustre.rpm.RpmReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The build engine: MLNX_OFED's kernel modules rebuilt for the target kernel, Lustre built against
 * them, the RPMs verified, checked against the distribution policy and published.
 *
 * <pre>{@code
 * BuildResult r = new BuildEngine().run(request, BuildListener.of(System.out));
 * }</pre>
 *
 * <p>The nine phases (each a class in this package; see {@code docs/build.md}): 1 preflight,
 * 2 fetch and extract the bundle, 3 rebuild OFED's kernel modules (or take them from the cache),
 * 4 stage {@code mlnx-ofa_kernel-devel}, 5 get the Lustre source, 6 configure, 7 make the RPMs,
 * 8 verify kernel symbols, 9 check the policy and publish.
 *
 * <p>Runs on the calling thread. Interrupting it (or {@link Cancellation#cancel()}) aborts: the
 * running tool's process tree is killed, staging output removed, nothing published, and
 * {@link AbortedException} thrown. Nothing is published unless every phase succeeds; then the
 * output appears in one rename. Plain Java: the Jenkins plugin calls this on an agent.
 */
public final class BuildEngine {
    /** Number of phases. */
    public static final int PHASES = Phase.count();
    /** The title of phase 2, which fetches the OFED file (over SSH with the OFED key when it is remote). */
    public static final String GET_OFED_TITLE = Phase.GET_OFED.title();
    /** The title of phase 5, which clones or fetches the Lustre git remote (with the git key). */
    public static final String LUSTRE_SOURCE_TITLE = Phase.LUSTRE_SOURCE.title();

    private final BundleFetcher fetcher;
    private final SafeArchiveExtractor extractor;
    private final RpmReader reader = new RpmReader();

    /** An engine with default transfer and extraction limits. */
    public BuildEngine() {
        this(new BundleFetcher(), new SafeArchiveExtractor());
    }

    public BuildEngine(BundleFetcher fetcher, SafeArchiveExtractor extractor) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
    }

    /**
     * The phases and the exact commands a build of this request would run; runs nothing.
     *
     * @throws InvalidRequestException when {@link #run} would refuse the request before its first
     *                                 phase: the policy is neither a keyword nor a file, or an output
     *                                 or withheld directory is not empty (and not to be replaced)
     * @throws CannotRunHereException  when the policy file cannot be read or is not a valid policy
     */
    public BuildPlan plan(BuildRequest r) {
        validate(r);
        WorkLayout w = new WorkLayout(r.workDir());
        String kernel = r.kernel().release().orElse("<kernel>");
        String src = r.kernel().sourceDir().map(p -> p.toAbsolutePath().toString())
                .orElse("/lib/modules/" + kernel + "/build");
        List<PlannedPhase> phases = List.of(
                PreflightPhase.plan(r, src),
                FetchBundlePhase.plan(r, w),
                OfedRebuildPhase.plan(r, kernel, src, w),
                OfedDevelPhase.plan(r, kernel, w),
                LustreSourcePhase.plan(r, w),
                LustreConfigurePhase.plan(r, src, w),
                LustreBuildPhase.plan(r, w),
                VerifyPhase.plan(kernel),
                PublishPhase.plan(r));
        List<String> placeholders = new ArrayList<>();
        if (r.kernel().release().isEmpty()) {
            placeholders.add("<kernel>      the kernel release preflight resolves (the running kernel, or the single "
                    + "*_lustre* kernel-devel tree)");
        }
        if (r.ofed() instanceof io.github.mellanoxlustre.ofed.OfedSource.Bundle b) {
            placeholders.add("<bundle>      " + w.bundle().resolve(b.bundle().bundleName().baseName())
                    + " (the extracted bundle)");
        }
        if (r.usesInstalledOfedAsIs()) {
            placeholders.add("<o2ib>        the installed OFED's kernel tree found in phase 2");
        } else {
            if (r.ofedRebuild() == io.github.mellanoxlustre.ofed.RebuildMethod.SRPM_REBUILD) {
                placeholders.add("<srpm>        the mlnx-ofa_kernel-*.src.rpm of the " + r.ofed().describe());
            }
            if (r.ofedRebuild() == io.github.mellanoxlustre.ofed.RebuildMethod.DOCA_KERNEL_SUPPORT) {
                placeholders.add("<doca-kernel-support> the tool phase 2 found");
            }
            placeholders.add("<ofed-rpms>   the OFED kernel packages of phase 3 (rebuilt, or in the cache)");
            placeholders.add("<o2ib>        the directory with ofed_scripts found in phase 4");
        }
        if (r.lustre() instanceof io.github.mellanoxlustre.lustre.LustreSource.Git) {
            placeholders.add("<mirror>      the cached mirror; <commit> what the ref resolves to");
        }
        return masked(new BuildPlan(phases, placeholders), r.secretMasker());
    }

    /** The plan with every secret the request knows masked. */
    private static BuildPlan masked(BuildPlan plan, SecretMasker m) {
        if (m.isEmpty()) {
            return plan;
        }
        List<PlannedPhase> phases = new ArrayList<>();
        for (PlannedPhase p : plan.phases()) {
            List<PlannedCommand> commands = p.commands().stream()
                    .map(c -> new PlannedCommand(m.mask(c.dir()), c.argv().stream().map(m::mask).toList())).toList();
            phases.add(new PlannedPhase(p.index(), p.title(), m.mask(p.detail()),
                    p.notes().stream().map(m::mask).toList(), commands));
        }
        return new BuildPlan(phases, plan.placeholders().stream().map(m::mask).toList());
    }

    /**
     * Every check a build makes before its long phases, all at once, running nothing else: the
     * request's policy and output directories ({@link #plan}'s refusals), the work directory (ours or
     * empty, not in use), then phase 1, preflight, with its Lustre ref check. Nothing is written to the
     * work, cache or output directories; the ref check's log goes to a temporary directory that is
     * removed afterwards. The console shows the preflight banner, the report and a verdict line.
     *
     * @return the report: {@link PreflightReport#ok()} when a build could start
     * @throws BuildFailedException when the checks themselves could not run (an I/O error)
     * @throws AbortedException     when aborted
     */
    public PreflightReport doctor(BuildRequest r, BuildListener listener, Cancellation cancellation)
            throws BuildFailedException, AbortedException {
        SecretMasker masker = r.secretMasker();
        PrintStream console = masker.masking(listener.console());
        List<PreflightReport.Problem> earlier = new ArrayList<>();
        requestProblems(r).forEach(m -> earlier.add(PreflightReport.Problem.of(masker.mask(m))));
        WorkLock.problem(new WorkLayout(r.workDir())).ifPresent(m -> earlier.add(PreflightReport.Problem.of(m)));
        Path scratch;
        try {
            scratch = Files.createTempDirectory("mlnx-lustre-doctor-");
        } catch (IOException e) {
            throw new BuildFailedException(1, Phase.PREFLIGHT.title(), "cannot create a temporary directory: "
                    + e.getMessage(), List.of(), null, e);
        }
        try {
            WorkLayout tmp = new WorkLayout(scratch);
            Map<String, String> env = r.settings().toolEnvironment();
            PhaseSequence phases = new PhaseSequence(console, listener, tmp.logs(), cancellation, new ToolClock(), env,
                    masker, 1);
            PreflightReport report = phases.run(Phase.PREFLIGHT, "",
                    ctx -> new PreflightPhase().check(ctx, r, env, tmp, earlier));
            report.describe().lines().forEach(console::println);
            console.println(report.ok() ? "==> a build could start: every check passed"
                    : "==> a build could not start: " + report.problems().size() + " problem"
                    + (report.problems().size() == 1 ? "" : "s") + " to fix first");
            return report;
        } finally {
            FileTrees.deleteQuietly(scratch);
            console.flush();
        }
    }

    /** Runs a build on the calling thread; interrupt the thread to abort. */
    public BuildResult run(BuildRequest r, BuildListener listener) throws BuildFailedException, AbortedException {
        return run(r, listener, Cancellation.forCurrentThread());
    }

    /**
     * Runs a build.
     *
     * @throws InvalidRequestException when the request is refused: the policy is neither a keyword
     *                                 nor a file, the output or withheld directory is not empty (and
     *                                 not to be replaced)
     * @throws CannotRunHereException  when it cannot run here: the policy file cannot be read or is
     *                                 invalid, the work directory is someone else's, in use by another
     *                                 build or cannot be cleaned
     * @throws BuildFailedException    when a phase failed (nothing was published)
     * @throws AbortedException        when aborted (nothing was published)
     */
    public BuildResult run(BuildRequest r, BuildListener listener, Cancellation cancellation)
            throws BuildFailedException, AbortedException {
        SecretMasker masker = r.secretMasker();
        PrintStream console = masker.masking(listener.console());
        try {
            return run(r, console, listener, cancellation, masker);
        } catch (InvalidRequestException e) {
            throw masker.reveals(e.getMessage()) ? new InvalidRequestException(masker.mask(e.getMessage())) : e;
        } catch (IllegalArgumentException e) {
            throw masker.reveals(e.getMessage()) ? new IllegalArgumentException(masker.mask(e.getMessage())) : e;
        } catch (CannotRunHereException e) {
            throw masker.reveals(e.getMessage()) ? new CannotRunHereException(masker.mask(e.getMessage()), null) : e;
        } catch (BuildFailedException e) {
            if (!masker.reveals(e.getMessage()) && e.details().stream().noneMatch(masker::reveals)) {
                throw e;
            }
            throw new BuildFailedException(e.phaseIndex(), e.phaseTitle(), masker.mask(e.getMessage()),
                    e.details().stream().map(masker::mask).toList(), e.log().orElse(null), e.getCause());
        } finally {
            console.flush();
        }
    }

    /** What {@code plan} and {@code run} both refuse before any phase; returns the resolved policy. */
    private static DistributionPolicy validate(BuildRequest r) {
        DistributionPolicy policy = policy(r.policy());
        try {
            StagedOutput.checkTarget("outputDir", r.outputDir(), r.settings().replaceOutput());
            StagedOutput.checkTarget("withheldDir", r.withheldDir(), r.settings().replaceOutput());
        } catch (IOException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        return policy;
    }

    /**
     * What {@link #validate} refuses, every refusal instead of the first: a policy file that cannot be
     * read or is invalid, an output or withheld directory that is not empty (and not to be replaced).
     * A policy that is neither a keyword nor a file is left to {@link Preflight}, which reports it.
     */
    private static List<String> requestProblems(BuildRequest r) {
        List<String> out = new ArrayList<>();
        try {
            policy(r.policy());
        } catch (CannotRunHereException e) {
            out.add(e.getMessage());
        } catch (InvalidRequestException e) {
            // Preflight says so
        }
        for (Map.Entry<String, Path> target : List.of(Map.entry("outputDir", r.outputDir()),
                Map.entry("withheldDir", r.withheldDir()))) {
            try {
                StagedOutput.checkTarget(target.getKey(), target.getValue(), r.settings().replaceOutput());
            } catch (IOException e) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    /**
     * The request's policy. A name that is neither a keyword nor a file is the user's typing (a bad
     * request); a policy file that exists but cannot be read or is invalid is this machine's (cannot
     * run here).
     */
    private static DistributionPolicy policy(String spec) {
        try {
            return DistributionPolicy.resolve(spec);
        } catch (PolicyException e) {
            if (DistributionPolicy.namesFile(spec)) {
                throw new CannotRunHereException(e.getMessage(), e);
            }
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }


    private BuildResult run(BuildRequest r, PrintStream console, BuildListener listener, Cancellation cancellation,
                            SecretMasker masker) throws BuildFailedException, AbortedException {
        DistributionPolicy policy = validate(r);
        WorkLayout w = new WorkLayout(r.workDir());
        long start = System.nanoTime();
        ToolClock clock = new ToolClock();
        try (WorkLock lock = WorkLock.acquire(w)) {
            Map<String, String> env = r.settings().toolEnvironment();
            PhaseSequence phases = new PhaseSequence(console, listener, w.logs(), cancellation, clock, env, masker,
                    PHASES);
            console.println("mlnx-lustre build: " + r.ofed().describe() + (r.usesInstalledOfedAsIs() ? "" : ", OFED rebuild " + r.ofedRebuild().id()
                    + (r.settings().ofedKmp() ? "" : " (non-KMP)"))
                    + ", Lustre " + describe(r) + ", policy " + r.policy());
            console.println("work directory " + w.root() + ", logs in " + w.logs());
            try {
                BuildResult result = runPhases(r, policy, w, phases, env, clock, start);
                console.println("==> " + result.summary());
                console.println("    took " + PhaseSequence.seconds(result.elapsed()) + " (engine "
                        + PhaseSequence.seconds(result.engineTime()) + ", tools "
                        + PhaseSequence.seconds(result.toolTime()) + ")");
                return result;
            } catch (BuildFailedException e) {
                console.println("==> BUILD FAILED in phase " + e.phaseIndex() + " (" + e.phaseTitle()
                        + ") after " + PhaseSequence.seconds(Duration.ofNanos(System.nanoTime() - start))
                        + " in all: nothing was published; logs in " + w.logs());
                throw e;
            } catch (AbortedException e) {
                console.println("==> BUILD ABORTED: the running tools were killed and nothing was published");
                throw e;
            }
        } catch (IOException e) {
            throw new CannotRunHereException("workDir: " + e.getMessage(), e);
        }
    }

    private static String describe(BuildRequest r) {
        if (r.lustre() instanceof io.github.mellanoxlustre.lustre.LustreSource.Git g) {
            return g.url() + " " + g.ref();
        }
        return ((io.github.mellanoxlustre.lustre.LustreSource.Local) r.lustre()).dir().toString();
    }

    private BuildResult runPhases(BuildRequest r, DistributionPolicy policy, WorkLayout w, PhaseSequence phases,
                                  Map<String, String> env, ToolClock clock, long start)
            throws BuildFailedException, AbortedException {
        PreflightPhase.Result preflight = phases.run(Phase.PREFLIGHT, "",
                ctx -> new PreflightPhase().run(ctx, r, env, w));
        ResolvedKernel kernel = preflight.kernel();
        FetchBundlePhase fetch = new FetchBundlePhase(fetcher, extractor, preflight.workSpace());
        OfedInput input = phases.run(Phase.GET_OFED, r.ofed().describe(),
                ctx -> fetch.run(ctx, r, kernel, w));
        OfedRebuildPhase.Result ofed = phases.run(Phase.OFED_REBUILD,
                input.rebuilds() ? r.ofedRebuild().id() : "installed OFED: nothing to rebuild",
                ctx -> new OfedRebuildPhase(reader, fetch.extractor()).run(ctx, r, kernel, input, w));
        OfedDevelPhase.Result devel = phases.run(Phase.OFED_DEVEL, "",
                ctx -> new OfedDevelPhase().run(ctx, ofed.rpms(), kernel, input, w));
        LustreTree tree = phases.run(Phase.LUSTRE_SOURCE, "",
                ctx -> new LustreSourcePhase().run(ctx, r, w));
        List<String> configure = phases.run(Phase.LUSTRE_CONFIGURE,
                LustreConfigurePhase.detail(r.lustreOptions()),
                ctx -> new LustreConfigurePhase().run(ctx, r, kernel, devel.o2ib(), tree));
        List<Path> lustreRpms = phases.run(Phase.LUSTRE_BUILD, LustreBuildPhase.detail(r.lustreOptions()),
                ctx -> new LustreBuildPhase().run(ctx, r, tree));
        List<BuiltRpm> lustre = phases.run(Phase.VERIFY, "",
                ctx -> new VerifyPhase(reader).run(ctx, lustreRpms, ofed.rpms(), devel.symvers(), kernel, w,
                        input.rebuilds()));
        List<BuiltRpm> all = new ArrayList<>(lustre);
        for (OfedRpm o : ofed.rpms()) {
            all.add(new BuiltRpm(o.file(), o.pkg(), BuiltRpm.Origin.OFED));
        }
        BuildFacts facts = new BuildFacts(kernel, symversSha256(ofed, kernel), input, ofed, devel.o2ib(), tree,
                configure);
        PublishPhase.Result pub = phases.run(Phase.PUBLISH, "policy " + policy.name(),
                ctx -> new PublishPhase().run(ctx, r, policy, all, facts, env));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new BuildResult(pub.report().verdict(), policy.name(), r.outputDir().toAbsolutePath().normalize(),
                pub.published(), pub.withheld().isEmpty() ? Optional.empty()
                : Optional.of(r.withheldDir().toAbsolutePath().normalize()), pub.withheld(), pub.manifest(),
                pub.sums(), pub.json(), pub.html(), pub.repodata(), pub.report().count(Severity.WARNING),
                ofed.keyHash() == null ? "" : ofed.keyHash(), ofed.cacheHit(), tree.commit(), phases.timings(), elapsed, clock.toolTime(),
                pub.report());
    }

    /** The SHA-256 of the kernel's Module.symvers for the manifest (phase 3's cache key has it when OFED was rebuilt). */
    private static String symversSha256(OfedRebuildPhase.Result ofed, ResolvedKernel kernel) {
        if (ofed.key() != null) {
            return ofed.key().moduleSymversSha256();
        }
        try {
            return io.github.mellanoxlustre.files.Sha256.of(kernel.moduleSymvers());
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    /** Holds the work directory for one build: marker checked, lock taken, scratch cleaned. */
    private static final class WorkLock implements AutoCloseable {
        /**
         * Why {@link #acquire} would refuse the work directory, found without changing it: not empty
         * and not ours, or in use by another build.
         */
        static Optional<String> problem(WorkLayout w) {
            if (!Files.exists(w.marker())) {
                try {
                    return FileTrees.absentOrEmpty(w.root()) ? Optional.empty() : Optional.of(notOurs(w));
                } catch (IOException e) {
                    return Optional.of("workDir: '" + w.root() + "' cannot be read: " + e.getMessage());
                }
            }
            try (FileChannel ch = FileChannel.open(w.marker(), StandardOpenOption.WRITE)) {
                FileLock l = ch.tryLock();
                if (l == null) {
                    return Optional.of("workDir: '" + w.root() + "' is in use by another build");
                }
                l.release();
                return Optional.empty();
            } catch (OverlappingFileLockException e) {
                return Optional.of("workDir: '" + w.root() + "' is in use by another build");
            } catch (IOException e) {
                return Optional.of("workDir: '" + w.root() + "' cannot be locked: " + e.getMessage());
            }
        }

        private static String notOurs(WorkLayout w) {
            return "workDir: '" + w.root() + "' is not empty and was not made by mlnx-lustre (no "
                    + WorkLayout.MARKER + "); give an empty or new directory";
        }

        private final FileChannel channel;
        private final FileLock lock;

        private WorkLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static WorkLock acquire(WorkLayout w) throws IOException {
            Files.createDirectories(w.root());
            if (!Files.exists(w.marker()) && !FileTrees.absentOrEmpty(w.root())) {
                throw new IOException(notOurs(w).substring("workDir: ".length()));
            }
            FileChannel ch = FileChannel.open(w.marker(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new IOException("'" + w.root() + "' is in use by another build");
            }
            try {
                for (Path p : w.scratch()) {
                    FileTrees.delete(p);
                }
            } catch (IOException e) {
                l.release();
                ch.close();
                throw new IOException("cannot clean '" + w.root() + "' from an earlier build: " + e.getMessage(), e);
            }
            return new WorkLock(ch, l);
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // released when the process exits
            }
        }
    }
}

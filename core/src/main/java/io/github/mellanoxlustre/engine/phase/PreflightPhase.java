package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.engine.preflight.Preflight;
import io.github.mellanoxlustre.engine.preflight.PreflightOptions;
import io.github.mellanoxlustre.engine.preflight.PreflightReport;
import io.github.mellanoxlustre.engine.preflight.RequiredTool;
import io.github.mellanoxlustre.kernel.KernelResolver;
import io.github.mellanoxlustre.kernel.MachineArch;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.lustre.GitMirror;
import io.github.mellanoxlustre.lustre.GitSsh;
import io.github.mellanoxlustre.lustre.LustreRefCheck;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.InstalledOfedTree;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ProgramPath;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Phase 1: {@link Preflight} with the request's settings: the kernel resolved and its tree checked,
 * every tool on the build's PATH, free space, the machine's distribution against the bundle's, the
 * files the request names. Every problem is reported at once, with the packages that fix it.
 */
public final class PreflightPhase {
    static final Phase PHASE = Phase.PREFLIGHT;
    private static final long MIB = 1L << 20;

    static PreflightOptions options(BuildRequest r, Map<String, String> env) {
        String path = env.containsKey("PATH") ? env.get("PATH") : System.getenv("PATH");
        long work = r.settings().minFreeMiB() * MIB;
        PreflightOptions d = PreflightOptions.defaults();
        return d.withPath(path == null ? "" : path)
                .withCheckDistro(r.settings().checkDistro())
                .withUseSudo(r.ofedRebuild().needsRoot()
                        && OfedRebuildPhase.useSudo(r.settings().sudo()))
                .withMinFree(work, Math.min(d.minFreeCacheBytes(), work), Math.min(d.minFreeOutputBytes(), work));
    }

    public static PlannedPhase plan(BuildRequest r, String kernelSrc) {
        PreflightOptions o = options(r, r.settings().toolEnvironment());
        List<String> notes = new ArrayList<>();
        notes.add("resolve the kernel: " + r.kernel().release().orElse("the running kernel, or the single *_lustre* "
                + "kernel-devel tree") + "; its tree " + kernelSrc + " must have Makefile and Module.symvers");
        notes.add("tools on the PATH: " + String.join(", ", new Preflight(o, new KernelResolver()).tools(r).stream()
                .map(RequiredTool::command).toList()));
        notes.add("free space: " + r.settings().minFreeMiB() + " MiB for the work directory");
        notes.add("OFED source: " + r.ofed().describe() + " (" + r.ofed().field() + ")");
        if (r.ofed() instanceof OfedSource.Bundle b) {
            notes.add(o.checkDistro() ? "this machine's distribution must match the bundle's ("
                    + b.bundle().bundleName().distro() + ")" : "distribution check skipped");
        }
        if (r.lustre() instanceof LustreSource.Git git) {
            notes.add(LustreRefCheck.looksLikeCommit(git.ref()) ? "lustreRef " + git.ref() + " looks like a commit id: "
                    + "phase 5 resolves it" : "lustreRef " + git.ref() + " must be a branch or tag: "
                    + String.join(" ", LustreRefCheck.lsRemoteArgv(git.url())));
        }
        return new PlannedPhase(PHASE, "", notes, List.of());
    }

    /** What the later phases use: the kernel, and the free space of the work directory (extraction limit). */
    public record Result(ResolvedKernel kernel, Optional<PreflightReport.FreeSpace> workSpace) {
    }

    public Result run(PhaseContext ctx, BuildRequest req, Map<String, String> env, WorkLayout w)
            throws PhaseFailedException, ToolFailedException, AbortedException, IOException {
        PreflightReport report = check(ctx, req, env, w, List.of());
        List<String> lines = report.describe().lines().toList();
        if (!report.ok()) {
            throw new PhaseFailedException(report.problems().size() + " problem"
                    + (report.problems().size() == 1 ? "" : "s") + " must be fixed before building",
                    lines.subList(1, lines.size()).stream().map(String::strip).toList());
        }
        lines.forEach(ctx::log);
        ResolvedKernel k = report.kernel().orElseThrow(() -> new PhaseFailedException("the kernel was not resolved"));
        ctx.log("kernel " + k.release() + " (" + k.origin() + "), tree " + k.sourceDir());
        logOfedSource(ctx, req, k);
        report.workSpace().ifPresent(s -> ctx.log("free space for the work directory " + s.dir() + ": "
                + s.usableBytes() + " bytes (" + FetchBundlePhase.size(s.usableBytes()) + ") on " + s.fileSystem()));
        return new Result(k, report.workSpace());
    }

    /**
     * Which OFED source the build takes, and, when it is not the installed OFED but this machine has
     * one for the kernel, that it is not used (Lustre's configure gets the chosen tree with
     * {@code --with-o2ib}, so the two cannot mix; LU-18002).
     */
    private static void logOfedSource(PhaseContext ctx, BuildRequest req, ResolvedKernel k) throws IOException {
        ctx.log("OFED source: " + req.ofed().describe() + " (the request's " + req.ofed().field() + "; a build takes "
                + "exactly one)");
        if (req.ofed() instanceof OfedSource.Installed) {
            if (req.ofedRebuild() == RebuildMethod.DOCA_KERNEL_SUPPORT) {
                ctx.log("OFED rebuild: doca-kernel-support rebuilds the DOCA-OFED installed on this machine for "
                        + k.release() + " (the request's ofedRebuild with ofedInstalled)");
            }
            return;
        }
        InstalledOfedTree.Found here = InstalledOfedTree.locate(Path.of("/"), List.of(), MachineArch.of(k),
                k.release());
        if (!here.candidates().isEmpty()) {
            ctx.log("note: this machine also has an installed OFED kernel tree for " + k.release() + " ("
                    + String.join(", ", here.candidates().keySet().stream().map(Path::toString).toList())
                    + "); it is not used: Lustre's configure gets the " + req.ofed().describe()
                    + "'s tree with --with-o2ib");
        }
    }

    /**
     * Every check of this phase, every problem reported and none thrown: {@code earlier} (problems
     * found before the phase, e.g. by {@code doctor}), then {@link Preflight}'s, then the Lustre ref's
     * (when git is on the PATH; a missing git is Preflight's problem). {@code w} gives the scratch
     * directories the ref check uses.
     */
    public PreflightReport check(PhaseContext ctx, BuildRequest req, Map<String, String> env, WorkLayout w,
                          List<PreflightReport.Problem> earlier) throws AbortedException, IOException {
        PreflightOptions o = options(req, env);
        PreflightReport report = new Preflight(o, new KernelResolver()).check(req);
        List<PreflightReport.Problem> problems = new ArrayList<>(earlier);
        problems.addAll(report.problems());
        if (req.lustre() instanceof LustreSource.Git git && ProgramPath.find("git", o.path()).isPresent()) {
            checkRef(ctx, git, w).ifPresent(problems::add);
        }
        return new PreflightReport(problems, report.kernel(), report.agentDistro(), report.notes(),
                report.workSpace());
    }

    /**
     * A Lustre ref that is neither a branch nor a tag of the repository is a problem here, with the
     * nearest names, instead of a failure in phase 5 after the OFED rebuild; so is a repository that
     * cannot be listed. A commit id is left to phase 5.
     */
    private static Optional<PreflightReport.Problem> checkRef(PhaseContext ctx, LustreSource.Git git, WorkLayout w)
            throws AbortedException, IOException {
        if (LustreRefCheck.looksLikeCommit(git.ref())) {
            ctx.log("lustreRef " + git.ref() + " looks like a commit id: phase 5 resolves it");
            return Optional.empty();
        }
        Map<String, String> env = new HashMap<>(GitMirror.baseEnvironment());
        GitSsh ssh = null;
        List<String> refs;
        try {
            if (git.ssh().isPresent()) {
                Files.createDirectories(w.tmp());
                ssh = GitSsh.prepare(git.ssh().get(), w.tmp());
                env.putAll(ssh.environment());
            }
            Files.createDirectories(w.root());
            refs = ctx.tools().capture(ToolCommand.of(w.root(), LustreRefCheck.lsRemoteArgv(git.url())).withEnv(env));
        } catch (ToolFailedException e) {
            return Optional.of(PreflightReport.Problem.of("lustreRef: cannot list the branches and tags of "
                    + git.url() + " (" + String.join(" ", LustreRefCheck.lsRemoteArgv(git.url())) + "): "
                    + e.getMessage()));
        } finally {
            if (ssh != null) {
                ssh.close();
            }
        }
        Optional<String> kind = LustreRefCheck.kind(git.ref(), refs);
        if (kind.isPresent()) {
            ctx.log("lustreRef " + git.ref() + " is a " + kind.get() + " of " + git.url());
            return Optional.empty();
        }
        List<String> near = LustreRefCheck.nearest(git.ref(), refs);
        return Optional.of(PreflightReport.Problem.of("lustreRef: '" + git.ref() + "' is neither a branch nor a tag of "
                + git.url() + (near.isEmpty() ? "" : "; nearest: " + String.join(", ", near))
                + "; give a branch (b2_17), a tag (v2_17_0) or a commit id (its branches and tags: "
                + String.join(" ", LustreRefCheck.lsRemoteArgv(git.url())) + ")"));
    }
}

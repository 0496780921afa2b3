package io.github.mellanoxlustre.build;

import io.github.mellanoxlustre.kernel.KernelResolver;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Phase 1: {@link Preflight} with the request's settings: the kernel resolved and its tree checked,
 * every tool on the build's PATH, free space, the machine's distribution against the bundle's, the
 * files the request names. Every problem is reported at once, with the packages that fix it.
 */
final class PreflightPhase {
    static final String TITLE = "Preflight";
    private static final long MIB = 1L << 20;

    static PreflightOptions options(BuildRequest r, Map<String, String> env) {
        String path = env.containsKey("PATH") ? env.get("PATH") : System.getenv("PATH");
        long work = r.settings().minFreeMiB() * MIB;
        PreflightOptions d = PreflightOptions.defaults();
        return d.withPath(path == null ? "" : path)
                .withCheckDistro(r.settings().checkDistro())
                .withUseSudo(r.ofedRebuild() == RebuildMethod.ADD_KERNEL_SUPPORT
                        && OfedRebuildPhase.useSudo(r.settings().sudo()))
                .withMinFree(work, Math.min(d.minFreeCacheBytes(), work), Math.min(d.minFreeOutputBytes(), work));
    }

    static PlannedPhase plan(int index, BuildRequest r, String kernelSrc) {
        PreflightOptions o = options(r, r.settings().toolEnvironment());
        List<String> notes = new ArrayList<>();
        notes.add("resolve the kernel: " + r.kernel().release().orElse("the running kernel, or the single *_lustre* "
                + "kernel-devel tree") + "; its tree " + kernelSrc + " must have Makefile and Module.symvers");
        notes.add("tools on the PATH: " + String.join(", ", new Preflight(o, new KernelResolver()).tools(r).stream()
                .map(RequiredTool::command).toList()));
        notes.add("free space: " + r.settings().minFreeMiB() + " MiB for the work directory");
        notes.add(o.checkDistro() ? "this machine's distribution must match the bundle's ("
                + r.bundle().bundleName().distro() + ")" : "distribution check skipped");
        return new PlannedPhase(index, TITLE, "", notes, List.of());
    }

    /** What the later phases use: the kernel, and the free space of the work directory (extraction limit). */
    record Result(ResolvedKernel kernel, Optional<PreflightReport.FreeSpace> workSpace) {
    }

    Result run(PhaseContext ctx, BuildRequest req, Map<String, String> env) throws PhaseFailedException {
        PreflightReport report = new Preflight(options(req, env), new KernelResolver()).check(req);
        List<String> lines = report.describe().lines().toList();
        if (!report.ok()) {
            throw new PhaseFailedException(report.problems().size() + " problem"
                    + (report.problems().size() == 1 ? "" : "s") + " must be fixed before building",
                    lines.subList(1, lines.size()).stream().map(String::strip).toList());
        }
        lines.forEach(ctx::log);
        ResolvedKernel k = report.kernel().orElseThrow(() -> new PhaseFailedException("the kernel was not resolved"));
        ctx.log("kernel " + k.release() + " (" + k.origin() + "), tree " + k.sourceDir());
        report.workSpace().ifPresent(s -> ctx.log("free space for the work directory " + s.dir() + ": "
                + s.usableBytes() + " bytes (" + FetchBundlePhase.size(s.usableBytes()) + ") on " + s.fileSystem()));
        return new Result(k, report.workSpace());
    }
}

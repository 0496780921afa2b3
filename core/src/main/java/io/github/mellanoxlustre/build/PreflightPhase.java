package io.github.mellanoxlustre.build;

import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.process.ProgramPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Phase 1: everything that can be known missing before anything runs, reported at once.
 * (Provisional: replaced by the engine-fetch Preflight when it lands.)
 */
final class PreflightPhase {
    static final String TITLE = "Preflight";

    static PlannedPhase plan(int index, BuildRequest r) {
        return new PlannedPhase(index, TITLE, "", List.of(
                "resolve the kernel: " + r.kernel().release().orElse("<running kernel>") + ", tree "
                        + r.kernel().sourceDir().map(Path::toString).orElse("/lib/modules/<release>/build"),
                "check tools, the kernel tree (Makefile, Module.symvers), disk space"), List.of());
    }

    TargetKernel run(PhaseContext ctx, BuildRequest req, Map<String, String> env) throws PhaseFailedException {
        String release = req.kernel().release().orElse(System.getProperty("os.version"));
        Path src = req.kernel().sourceDir().orElse(Path.of("/lib/modules", release, "build")).toAbsolutePath();
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(src.resolve("Makefile"))) {
            problems.add("kernel tree " + src + " has no Makefile");
        }
        if (!Files.isRegularFile(src.resolve("Module.symvers"))) {
            problems.add("kernel tree " + src + " has no Module.symvers");
        }
        String path = env.containsKey("PATH") ? env.get("PATH") : System.getenv("PATH");
        List<String> tools = new ArrayList<>(List.of("rpmbuild", "rpm2cpio", "cpio", "make"));
        if (req.lustre() instanceof LustreSource.Git) {
            tools.add("git");
        }
        for (String t : tools) {
            if (ProgramPath.find(t, path).isEmpty()) {
                problems.add(t + " is not installed (not on PATH)");
            }
        }
        if (!problems.isEmpty()) {
            throw new PhaseFailedException(problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + " before the build", problems);
        }
        ctx.log("kernel " + release + ", tree " + src);
        return new TargetKernel(release, src);
    }
}

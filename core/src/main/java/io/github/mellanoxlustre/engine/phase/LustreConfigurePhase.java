package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.lustre.ConfigureArgs;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase 6: {@code sh autogen.sh}, then {@code ./configure} with the kernel tree, the staged OFED tree
 * and the backend switches ({@link ConfigureArgs}). Configure only warns when it cannot use the
 * external OFED's {@code Module.symvers} and then builds ko2iblnd against the in-kernel stack (or
 * not at all), which fails on the target; such a warning fails this phase. So does a line saying
 * that configure dropped an OSD backend the request asked for ({@link ConfigureArgs#fatalLines}):
 * nothing the request asked for is silently left out.
 */
public final class LustreConfigurePhase {
    static final Phase PHASE = Phase.LUSTRE_CONFIGURE;

    public static String detail(LustreOptions o) {
        if (!o.server()) {
            return "client";
        }
        return "server, " + String.join("+", o.backends().stream().map(LustreOptions.Backend::id).sorted().toList());
    }

    public static PlannedPhase plan(BuildRequest r, String kernelSrc, WorkLayout w) {
        String dir = w.lustre().toString();
        return new PlannedPhase(PHASE, detail(r.lustreOptions()),
                List.of("fail when configure prints: " + String.join(" / ", ConfigureArgs.fatalLines(r.lustreOptions()))),
                List.of(new PlannedCommand(dir, ConfigureArgs.autogenArgv()),
                        new PlannedCommand(dir, ConfigureArgs.argv(kernelSrc, "<o2ib>", r.lustreOptions()))));
    }

    /** Runs both; returns the configure argv (for the manifest). */
    public List<String> run(PhaseContext ctx, BuildRequest req, ResolvedKernel kernel, Path o2ib, LustreTree tree)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        ctx.tools().run(ToolCommand.of(tree.dir(), ConfigureArgs.autogenArgv()));
        List<String> argv = ConfigureArgs.argv(kernel.sourceDir().toString(), o2ib.toString(), req.lustreOptions());
        List<String> fatal = ConfigureArgs.fatalLines(req.lustreOptions());
        List<String> warnings = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        int[] following = {0};
        ctx.tools().run(ToolCommand.of(tree.dir(), argv), line -> {
            synchronized (warnings) {
                String w = ConfigureArgs.fatalLine(line, fatal);
                if (w != null) {
                    warnings.add(w);
                    evidence.add(line);
                    following[0] = 3;
                } else if (following[0] > 0) {
                    evidence.add(line);
                    following[0]--;
                }
            }
        });
        synchronized (warnings) {
            if (warnings.isEmpty()) {
                return argv;
            }
            String first = warnings.get(0);
            List<String> details = new ArrayList<>(evidence);
            if (ConfigureArgs.FATAL_WARNINGS.contains(first)) {
                details.add("--with-o2ib was " + o2ib + "; ko2iblnd would be built against the in-kernel InfiniBand "
                        + "stack, or not at all, and fail to load with MLNX_OFED on the target");
                throw new PhaseFailedException("configure warned that it cannot build ko2iblnd against the staged "
                        + "OFED: " + first, details);
            }
            boolean ldiskfs = first.equals(ConfigureArgs.LDISKFS_DISABLED) || first.equals(ConfigureArgs.LDISKFS_NO);
            details.add(ldiskfs
                    ? "the ldiskfs OSD needs the kernel's ext4 sources in " + kernel.sourceDir() + "/fs/ext4 (on EL "
                            + "the matching kernel-debuginfo-common-<arch> package provides them)"
                    : "the zfs OSD needs a complete ZFS/SPL development tree (--zfs-source, --zfs-obj)");
            throw new PhaseFailedException("configure dropped the " + (ldiskfs ? "ldiskfs" : "zfs")
                    + " backend the build asked for: " + first, details);
        }
    }
}

package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.kernel.ModuleSymvers;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.ofed.O2ibTree;
import io.github.mellanoxlustre.ofed.OfedKernelPackages;
import io.github.mellanoxlustre.ofed.OfedRpm;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase 4: unpack {@code mlnx-ofa_kernel-devel} privately into the work directory
 * ({@code rpm2cpio <rpm> | cpio -idm --no-absolute-filenames}, as lbuild's {@code build_ofed} does;
 * no root, nothing installed on the machine) and find the tree Lustre's {@code --with-o2ib} takes
 * (see {@link O2ibTree}).
 */
public final class OfedDevelPhase {
    static final Phase PHASE = Phase.OFED_DEVEL;

    /**
     * @param o2ib     the directory for {@code --with-o2ib}
     * @param symvers  its {@code Module.symvers}
     * @param develRpm the package it came from; null for an installed OFED
     */
    public record Result(Path o2ib, ModuleSymvers symvers, Path develRpm) {
    }

    static List<String> rpm2cpioArgv(String rpm) {
        return List.of("rpm2cpio", rpm);
    }

    static List<String> cpioArgv() {
        return List.of("cpio", "-idm", "--no-absolute-filenames", "--quiet");
    }

    public static PlannedPhase plan(BuildRequest r, String kernel, WorkLayout w) {
        if (r.usesInstalledOfedAsIs()) {
            return new PlannedPhase(PHASE, "installed OFED", List.of("--with-o2ib = the installed OFED's "
                    + "kernel tree phase 2 found; its Module.symvers is what phase 8 checks against"), List.of());
        }
        String dir = w.ofedDevel().toString();
        List<String> argv = new ArrayList<>(rpm2cpioArgv("<ofed-rpms>/mlnx-ofa_kernel-devel-*.rpm"));
        argv.add("|");
        argv.addAll(cpioArgv());
        String expected = r.ofed() instanceof OfedSource.Bundle b
                ? O2ibTree.expected(w.ofedDevel(), b.bundle().bundleName(), kernel).toString()
                : w.ofedDevel() + "/usr/src/ofa_kernel/<arch>/" + kernel + " (or .../default before OFED 5.5)";
        return new PlannedPhase(PHASE, "", List.of(
                "--with-o2ib = the directory holding ofed_scripts, include/rdma and Module.symvers: " + expected),
                List.of(new PlannedCommand(dir, argv)));
    }

    public Result run(PhaseContext ctx, List<OfedRpm> ofed, ResolvedKernel kernel, OfedInput input, WorkLayout w)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        if (input.installed().isPresent()) {
            OfedInput.InstalledTree tree = input.installed().get();
            ctx.log("--with-o2ib=" + tree.dir() + " (the installed OFED; nothing to stage)");
            return new Result(tree.dir(), tree.symvers(), null);
        }
        OfedRpm devel = OfedKernelPackages.devel(ofed).orElseThrow(() -> new PhaseFailedException(
                "no " + OfedKernelPackages.DEVEL_PACKAGE + " among the OFED packages",
                ofed.stream().map(r -> "have: " + r.file().getFileName()).toList()));
        Path root = w.ofedDevel();
        FileTrees.delete(root);
        Files.createDirectories(root);
        ctx.tools().pipe(ToolCommand.of(root, rpm2cpioArgv(devel.file().toString())),
                ToolCommand.of(root, cpioArgv()));
        O2ibTree.Search search = O2ibTree.locate(root, input.release(), kernel.release());
        if (search.tree().isEmpty()) {
            List<String> details = new ArrayList<>();
            details.add("expected: " + search.expected());
            search.candidates().forEach(c -> details.add("found ofed_scripts in: " + c));
            throw new PhaseFailedException(devel.file().getFileName() + " has no usable OFED kernel tree for "
                    + kernel.release() + ": " + search.problem(), details);
        }
        Path o2ib = search.tree().get();
        ctx.log("--with-o2ib=" + o2ib);
        if (!search.warning().isEmpty()) {
            ctx.log("warning: " + search.warning() + "; Lustre cannot link ko2iblnd against this OFED's symbols "
                    + "(configure and the kernel-symbol check will say more)");
            return new Result(o2ib, new ModuleSymvers(java.util.Map.of()), devel.file());
        }
        return new Result(o2ib, ModuleSymvers.read(o2ib.resolve("Module.symvers")), devel.file());
    }
}

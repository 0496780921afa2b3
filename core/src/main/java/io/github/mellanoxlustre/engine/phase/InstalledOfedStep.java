package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.kernel.MachineArch;
import io.github.mellanoxlustre.kernel.ModuleSymvers;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.ofed.InstalledOfedTree;
import io.github.mellanoxlustre.ofed.OfedRelease;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ProgramPath;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Phase 2 for {@code --ofed-installed}: find the installed OFED's kernel tree, check it has what
 * Lustre links against, and read its {@code Module.symvers}. On this machine (no directory given),
 * {@code ofed_info -s} names the flavour and version and, as Lustre's configure does when
 * {@code ofed_info} is on the PATH, the OFED packages' file lists ({@code rpm -ql} or
 * {@code dpkg --listfiles}) say where the tree is.
 */
final class InstalledOfedStep {
    /** The packages Lustre's configure asks about, in its order. */
    static final List<String> PACKAGES = List.of("mlnx-ofed-kernel-dkms", "mlnx-ofed-kernel-modules",
            "mlnx-ofa_kernel-devel", "compat-rdma-devel", "kernel-ib-devel", "ofa_kernel-devel");

    /**
     * @param path the PATH the build's tools get ({@code ofed_info}, {@code rpm} and {@code dpkg} are
     *             looked up there, as preflight looks up every tool)
     */
    OfedInput run(PhaseContext ctx, OfedSource.Installed source, ResolvedKernel kernel, String path)
            throws PhaseFailedException, IOException, AbortedException, ToolFailedException {
        String arch = MachineArch.of(kernel);
        Optional<Path> given = source.dir().map(d -> d.toAbsolutePath().normalize());
        if (given.isPresent() && !Files.isDirectory(given.get())) {
            throw new PhaseFailedException("ofedInstalled: " + given.get() + " is not a directory; expected the OFED "
                    + "kernel tree (with include/rdma/rdma_cm.h) or a root directory to look under");
        }
        Optional<String> ofedInfo = Optional.empty();
        List<String> listed = new ArrayList<>();
        if (given.isEmpty() && ProgramPath.find("ofed_info", path).isPresent()) {
            ofedInfo = firstLine(ctx, List.of("ofed_info", "-s"));
            ctx.log("ofed_info -s: " + ofedInfo.orElse("(nothing)"));
            listed.addAll(packageDirs(ctx, path));
        }
        OfedRelease release = OfedRelease.ofInstalled(ofedInfo, arch);
        Path root = given.orElse(Path.of("/"));
        InstalledOfedTree.Found found;
        String how;
        if (given.isPresent() && InstalledOfedTree.isTree(given.get())) {
            found = new InstalledOfedTree.Found(given, "", java.util.Map.of(given.get(), "given"), "");
            how = "the directory given is an OFED kernel tree";
        } else {
            found = InstalledOfedTree.locate(root, listed, arch, kernel.release());
            how = found.how();
        }
        if (found.tree().isEmpty()) {
            throw new PhaseFailedException("ofedInstalled: " + found.problem(),
                    found.candidates().entrySet().stream().map(e -> "tree: " + e.getKey() + " (" + e.getValue() + ")")
                            .toList());
        }
        Path tree = found.tree().get();
        Path symvers = tree.resolve("Module.symvers");
        if (!Files.isRegularFile(symvers)) {
            throw new PhaseFailedException("ofedInstalled: " + tree + " has no Module.symvers, so Lustre cannot link "
                    + "ko2iblnd against this OFED's symbols; install the devel package built for kernel "
                    + kernel.release() + " (or let DKMS finish building mlnx-ofed-kernel for it)");
        }
        ctx.log("installed OFED kernel tree: " + tree + " (" + how + ")");
        return OfedInput.ofInstalled(source, release,
                new OfedInput.InstalledTree(tree, ModuleSymvers.read(symvers), how));
    }

    static Optional<String> firstLine(PhaseContext ctx, List<String> argv)
            throws ToolFailedException, AbortedException, IOException {
        List<String> lines = new ArrayList<>();
        ctx.tools().run(ToolCommand.of(Path.of("/"), argv), lines::add);
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
    }

    /**
     * The directories the OFED packages list that configure would look in: configure asks
     * {@code dpkg --listfiles} on Debian-like systems and {@code rpm -ql} elsewhere; a machine may have
     * both tools (an EL build host rarely has dpkg, a Debian one often has rpm), so both are asked.
     */
    private static List<String> packageDirs(PhaseContext ctx, String path) throws AbortedException {
        List<List<String>> queries = new ArrayList<>();
        if (ProgramPath.find("rpm", path).isPresent()) {
            queries.add(List.of("rpm", "-ql"));
        }
        if (ProgramPath.find("dpkg", path).isPresent()) {
            queries.add(List.of("dpkg", "--listfiles"));
        }
        List<String> out = new ArrayList<>();
        for (String pkg : PACKAGES) {
            for (List<String> query : queries) {
                List<String> argv = new ArrayList<>(query);
                argv.add(pkg);
                List<String> lines = new ArrayList<>();
                try {
                    ctx.tools().run(ToolCommand.of(Path.of("/"), argv), lines::add);
                } catch (ToolFailedException | IOException e) {
                    continue; // not installed
                }
                lines.stream().map(String::strip)
                        .filter(l -> (l.endsWith("/ofa_kernel") || l.endsWith("/ofa_kernel/default")
                                || l.endsWith("/openib")) && !l.contains("/ofed_scripts/"))
                        .findFirst().filter(d -> !out.contains(d)).ifPresent(out::add);
            }
        }
        return out;
    }
}

package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.lustre.ConfigureArgs;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Phase 7: {@code make -j<N> rpms} (kmod packaging) and/or {@code make -j<N> dkms-rpms} (dkms). Both
 * leave their binary RPMs in the top of the tree (lustre-release {@code autoMakefile.am} /
 * {@code config/Makefile.dkms-rpm}: {@code cp $rpmbuilddir/RPMS/*}{@code /*.rpm .}); the binary
 * RPMs that are new or changed after make are the build's Lustre packages. Source RPMs are not
 * published.
 */
public final class LustreBuildPhase {
    static final Phase PHASE = Phase.LUSTRE_BUILD;

    public static String detail(LustreOptions o) {
        List<String> t = new ArrayList<>();
        for (LustreOptions.Packaging p : LustreOptions.Packaging.values()) {
            if (o.packaging().contains(p)) {
                t.add(ConfigureArgs.makeArgv(o.makeJobs(), p).get(2));
            }
        }
        return "make " + String.join(", make ", t);
    }

    public static PlannedPhase plan(BuildRequest r, WorkLayout w) {
        List<PlannedCommand> cmds = new ArrayList<>();
        for (LustreOptions.Packaging p : LustreOptions.Packaging.values()) {
            if (r.lustreOptions().packaging().contains(p)) {
                cmds.add(new PlannedCommand(w.lustre().toString(), ConfigureArgs.makeArgv(r.lustreOptions().makeJobs(), p)));
            }
        }
        return new PlannedPhase(PHASE, detail(r.lustreOptions()),
                List.of("collect the binary RPMs make leaves in " + w.lustre()), cmds);
    }

    public List<Path> run(PhaseContext ctx, BuildRequest req, LustreTree tree)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        Map<Path, FileTime> before = snapshot(tree.dir());
        for (LustreOptions.Packaging p : LustreOptions.Packaging.values()) {
            if (req.lustreOptions().packaging().contains(p)) {
                ctx.tools().run(ToolCommand.of(tree.dir(), ConfigureArgs.makeArgv(req.lustreOptions().makeJobs(), p)));
            }
        }
        Map<Path, FileTime> after = snapshot(tree.dir());
        List<Path> built = after.entrySet().stream()
                .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .map(Map.Entry::getKey).sorted().toList();
        if (built.isEmpty()) {
            throw new PhaseFailedException("make succeeded but left no binary RPM in " + tree.dir());
        }
        for (Path p : built) {
            ctx.log("built " + p.getFileName());
        }
        return built;
    }

    private static Map<Path, FileTime> snapshot(Path dir) throws IOException {
        Map<Path, FileTime> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".rpm") && !n.endsWith(".src.rpm") && Files.isRegularFile(p)) {
                    m.put(p, Files.getLastModifiedTime(p));
                }
            }
        }
        return m;
    }
}

package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.kernel.KernelModule;
import io.github.mellanoxlustre.kernel.KernelModuleFormatException;
import io.github.mellanoxlustre.kernel.KernelSymbolCheck;
import io.github.mellanoxlustre.kernel.ModuleSymvers;
import io.github.mellanoxlustre.kernel.ModuleVersionCheck;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.ofed.OfedRpm;
import io.github.mellanoxlustre.policy.KernelModuleFile;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.publish.BuiltRpm;
import io.github.mellanoxlustre.rpm.RpmFormatException;
import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Phase 8: read every Lustre RPM and check that it would install and load on the target next to the
 * OFED packages built for it. From the package metadata ({@link KernelSymbolCheck}): InfiniBand
 * {@code ksym}/{@code kernel} requirements provided with the same CRC, OFED package requirements
 * met, every kernel module for the target kernel. From the modules themselves
 * ({@link ModuleVersionCheck}): each kernel module package is unpacked ({@code rpm2cpio | cpio}, as
 * phase 4 unpacks the devel package) and every module's {@code __versions} CRCs and {@code vermagic}
 * are compared with OFED's and the kernel's {@code Module.symvers}, as the module loader will. The
 * second check does not depend on the dependency generators having worked (with Debian's mawk, or a
 * kernel whose CRC symbols they do not recognise, they write no ksym dependencies at all).
 */
public final class VerifyPhase {
    static final Phase PHASE = Phase.VERIFY;

    private final RpmReader reader;

    public VerifyPhase(RpmReader reader) {
        this.reader = reader;
    }

    public static PlannedPhase plan(String kernel) {
        return new PlannedPhase(PHASE, "", List.of(
                "every ksym()/kernel() requirement of the Lustre packages on an InfiniBand symbol is provided, "
                        + "same name and CRC, by the OFED kernel packages of phase 3",
                "Lustre's requirements on OFED packages (kmod-mlnx-ofa_kernel) are met",
                "every kernel module is under /lib/modules/" + kernel + "/",
                "every Lustre kernel module (unpacked with rpm2cpio | cpio) was built with OFED's CRCs for the "
                        + "InfiniBand symbols and the kernel's for the others (its __versions), for " + kernel
                        + " (its vermagic)"), List.of());
    }

    public List<BuiltRpm> run(PhaseContext ctx, List<Path> lustreRpms, List<OfedRpm> ofed, ModuleSymvers ofedSymvers,
                       ResolvedKernel kernel, WorkLayout w, boolean ofedBuilt)
            throws PhaseFailedException, ToolFailedException, AbortedException, IOException {
        List<BuiltRpm> lustre = new ArrayList<>();
        for (Path f : lustreRpms) {
            try {
                lustre.add(new BuiltRpm(f, reader.read(f), BuiltRpm.Origin.LUSTRE));
            } catch (RpmFormatException e) {
                throw new PhaseFailedException("cannot read the Lustre RPM " + f + ": " + e.getReason());
            }
        }
        List<RpmPackage> ofedPkgs = ofed.stream().map(OfedRpm::pkg).toList();
        List<RpmPackage> lustrePkgs = lustre.stream().map(BuiltRpm::pkg).toList();
        List<String> problems = new ArrayList<>(ofedBuilt
                ? KernelSymbolCheck.verify(lustrePkgs, ofedPkgs, ofedSymvers, kernel.release())
                : KernelSymbolCheck.verifyAgainstSymvers(lustrePkgs, ofedSymvers, kernel.release()));
        ModuleTally tally = checkModules(ctx, lustre, ofedSymvers, kernelSymvers(ctx, kernel), kernel.release(), w,
                problems);
        if (!problems.isEmpty()) {
            throw new PhaseFailedException(problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + ": the Lustre packages would not install or load with the OFED packages built for "
                    + kernel.release(), problems);
        }
        long requirements = lustre.stream().flatMap(r -> r.pkg().requires().stream())
                .filter(d -> d.isKernelSymbol()).count();
        ctx.log("checked " + lustre.size() + " Lustre packages (" + requirements + " kernel symbol requirements) "
                + (ofedBuilt ? "against " + ofed.size() + " OFED packages: all met" : "against the installed OFED's "
                + "Module.symvers (" + ofedSymvers.crcs().size() + " symbols; its packages are not at hand, so only "
                + "the CRCs are compared): all agree"));
        ctx.log("read " + tally.modules + " kernel modules of " + tally.packages + " packages: " + tally.versions
                + " symbol versions, " + tally.fromOfed + " of them OFED's: all agree");
        return lustre;
    }

    private static ModuleSymvers kernelSymvers(PhaseContext ctx, ResolvedKernel kernel) throws IOException {
        Path file = kernel.moduleSymvers();
        if (!Files.isRegularFile(file)) {
            ctx.log("warning: " + file + " does not exist: the modules' CRCs for kernel symbols are not checked");
            return new ModuleSymvers(Map.of());
        }
        return ModuleSymvers.read(file);
    }

    /** How many modules were read. */
    private static final class ModuleTally {
        int packages;
        int modules;
        long versions;
        long fromOfed;
    }

    private static ModuleTally checkModules(PhaseContext ctx, List<BuiltRpm> lustre, ModuleSymvers ofed,
                                            ModuleSymvers kernelSymvers, String release, WorkLayout w,
                                            List<String> problems)
            throws ToolFailedException, AbortedException, IOException {
        ModuleTally tally = new ModuleTally();
        List<String> compressed = new ArrayList<>();
        FileTrees.delete(w.verify());
        for (BuiltRpm rpm : lustre) {
            if (rpm.pkg().source() || rpm.pkg().files().stream().noneMatch(f -> KernelModuleFile.installed(f).isPresent())) {
                continue;
            }
            ctx.checkAborted();
            tally.packages++;
            Path root = Files.createDirectories(w.verify().resolve(rpm.file().getFileName().toString()));
            ctx.tools().pipe(ToolCommand.of(root, OfedDevelPhase.rpm2cpioArgv(rpm.file().toString())),
                    ToolCommand.of(root, OfedDevelPhase.cpioArgv()));
            for (String f : rpm.pkg().files()) {
                if (KernelModuleFile.installed(f).isEmpty()) {
                    continue;
                }
                Path file = root.resolve(f.substring(1));
                if (!f.endsWith(".ko")) {
                    Optional<Path> plain = decompress(ctx, file, rpm.pkg().name() + ": " + f, compressed);
                    if (plain.isEmpty()) {
                        continue;
                    }
                    file = plain.get();
                }
                checkModule(rpm, f, file, ofed, kernelSymvers, release, problems, tally);
            }
        }
        FileTrees.delete(w.verify());
        if (!compressed.isEmpty()) {
            ctx.log("warning: " + compressed.size() + " compressed modules could not be decompressed and were not "
                    + "read; their CRCs are judged "
                    + "from the package metadata only: " + String.join(", ", compressed));
        }
        return tally;
    }

    /**
     * A compressed module ({@code .ko.xz}, {@code .ko.gz}, {@code .ko.zst}, as EL's kernel packaging
     * may ship them) decompressed beside itself with its own tool ({@code xz -d -k}, {@code gzip -d -k},
     * {@code zstd -d -k}), so that it is read like any other; empty (and listed in {@code unread}) when
     * the tool is not on the PATH.
     */
    private static Optional<Path> decompress(PhaseContext ctx, Path file, String where, List<String> unread)
            throws ToolFailedException, AbortedException, IOException {
        String name = file.getFileName().toString();
        String tool = name.endsWith(".xz") ? "xz" : name.endsWith(".gz") ? "gzip" : "zstd";
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(file); // reported by checkModule
        }
        try {
            ctx.tools().run(ToolCommand.of(file.getParent(), decompressArgv(tool, file.getFileName().toString())));
        } catch (ToolFailedException e) {
            if (e.exitCode() == -1) {
                unread.add(where + " (" + tool + " is not on the PATH)");
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(file.resolveSibling(name.substring(0, name.lastIndexOf('.'))));
    }

    static List<String> decompressArgv(String tool, String file) {
        return List.of(tool, "-d", "-k", "-f", "-q", "--", file);
    }

    private static void checkModule(BuiltRpm rpm, String path, Path file, ModuleSymvers ofed,
                                    ModuleSymvers kernelSymvers, String release, List<String> problems,
                                    ModuleTally tally) throws IOException {
        String where = rpm.pkg().name() + ": " + path;
        if (Files.isSymbolicLink(file)) {
            return;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            problems.add(where + " is in the package's file list but not in its payload");
            return;
        }
        if (Files.size(file) > KernelModule.MAX_BYTES) {
            problems.add(where + " is larger than " + (KernelModule.MAX_BYTES >> 20) + " MiB: not a kernel module");
            return;
        }
        try {
            KernelModule module = KernelModule.parse(where, Files.readAllBytes(file));
            tally.modules++;
            tally.versions += module.versions().size();
            tally.fromOfed += module.versions().keySet().stream().filter(ofed.crcs()::containsKey).count();
            problems.addAll(ModuleVersionCheck.verify(where, module, ofed, kernelSymvers, release));
        } catch (KernelModuleFormatException e) {
            problems.add("cannot read " + e.getMessage());
        }
    }
}

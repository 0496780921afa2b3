package io.github.mellanoxlustre.build;

import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.kernel.KernelSymbolCheck;
import io.github.mellanoxlustre.kernel.ModuleSymvers;
import io.github.mellanoxlustre.ofed.OfedRpm;
import io.github.mellanoxlustre.publish.BuiltRpm;
import io.github.mellanoxlustre.rpm.RpmFormatException;
import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase 8: read every Lustre RPM and check that it would install on the target next to the OFED
 * packages built for it ({@link KernelSymbolCheck}): InfiniBand {@code ksym}/{@code kernel}
 * requirements provided with the same CRC, OFED package requirements met, every kernel module for
 * the target kernel.
 */
final class VerifyPhase {
    static final String TITLE = "Verify kernel symbols";

    private final RpmReader reader;

    VerifyPhase(RpmReader reader) {
        this.reader = reader;
    }

    static PlannedPhase plan(int index, String kernel) {
        return new PlannedPhase(index, TITLE, "", List.of(
                "every ksym()/kernel() requirement of the Lustre packages on an InfiniBand symbol is provided, "
                        + "same name and CRC, by the OFED kernel packages of phase 3",
                "Lustre's requirements on OFED packages (kmod-mlnx-ofa_kernel) are met",
                "every kernel module is under /lib/modules/" + kernel + "/"), List.of());
    }

    List<BuiltRpm> run(PhaseContext ctx, List<Path> lustreRpms, List<OfedRpm> ofed, ModuleSymvers ofedSymvers,
                       ResolvedKernel kernel) throws PhaseFailedException {
        List<BuiltRpm> lustre = new ArrayList<>();
        for (Path f : lustreRpms) {
            try {
                lustre.add(new BuiltRpm(f, reader.read(f), BuiltRpm.Origin.LUSTRE));
            } catch (RpmFormatException e) {
                throw new PhaseFailedException("cannot read the Lustre RPM " + f + ": " + e.getReason());
            }
        }
        List<RpmPackage> ofedPkgs = ofed.stream().map(OfedRpm::pkg).toList();
        List<String> problems = KernelSymbolCheck.verify(lustre.stream().map(BuiltRpm::pkg).toList(), ofedPkgs,
                ofedSymvers, kernel.release());
        if (!problems.isEmpty()) {
            throw new PhaseFailedException(problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + ": the Lustre packages would not install with the OFED packages built for " + kernel.release(),
                    problems);
        }
        long requirements = lustre.stream().flatMap(r -> r.pkg().requires().stream())
                .filter(d -> d.isKernelSymbol()).count();
        ctx.log("checked " + lustre.size() + " Lustre packages (" + requirements + " kernel symbol requirements) "
                + "against " + ofed.size() + " OFED packages: all met");
        return lustre;
    }
}

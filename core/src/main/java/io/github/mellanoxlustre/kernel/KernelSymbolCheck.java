package io.github.mellanoxlustre.kernel;

import io.github.mellanoxlustre.rpm.RpmDependency;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, before anything is published, what would otherwise fail at install time on the target:
 *
 * <ul>
 *   <li>every CRC a Lustre package requires for a symbol that OFED's {@code Module.symvers} exports is
 *       the CRC exported there (whatever the package metadata says: otherwise the module does not
 *       load next to these OFED modules);</li>
 *   <li>every {@code ksym(<symbol>) = <crc>} / {@code kernel(<symbol>) = <crc>} requirement of a Lustre
 *       package on an InfiniBand symbol is provided, with the same name and the same CRC, by the OFED
 *       kernel packages built for this kernel. Otherwise the install says
 *       {@code nothing provides kernel(__ib_alloc_pd) = 0x... needed by kmod-lustre-...}, or ko2iblnd
 *       "disagrees about version of symbol" at load time. A symbol counts as InfiniBand when the OFED
 *       packages provide a symbol of that name, OFED's {@code Module.symvers} exports it, or its
 *       name starts like the RDMA core API's ({@code ib_}, {@code __ib_}, {@code rdma_},
 *       {@code __rdma_}, {@code iw_}, {@code ibdev}).</li>
 *   <li>a Lustre requirement on an OFED package ({@code kmod-mlnx-ofa_kernel}, which Lustre 2.16+
 *       requires when built against MOFED) is met by a package that was built;</li>
 *   <li>every kernel module in Lustre's and OFED's packages is for the target kernel
 *       ({@code /lib/modules/<release>/...}).</li>
 * </ul>
 */
public final class KernelSymbolCheck {
    private static final Pattern SYMBOL = Pattern.compile("(?:ksym|kernel)\\((.+)\\)");
    private static final Pattern MODULE_PATH = Pattern.compile("^(?:/usr)?/lib/modules/([^/]+)/.+");
    private static final List<String> IB_PREFIXES = List.of("ib_", "__ib_", "rdma_", "__rdma_", "iw_", "ibdev");

    private KernelSymbolCheck() {
    }

    /** The bare symbol of a {@code ksym(...)}/{@code kernel(...)} capability, or null. */
    static String symbol(String capability) {
        Matcher m = SYMBOL.matcher(capability);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * Runs every check.
     *
     * @param lustre        the Lustre packages that were built
     * @param ofed          the OFED kernel packages that were built (or came from the cache)
     * @param ofedSymvers   OFED's {@code Module.symvers} (from the staged devel tree)
     * @param kernelRelease the target kernel
     * @return one line per problem, empty when all is well
     */
    public static List<String> verify(Collection<RpmPackage> lustre, Collection<RpmPackage> ofed,
                                      ModuleSymvers ofedSymvers, String kernelRelease) {
        Set<String> ibSymbols = new TreeSet<>(ofedSymvers.crcs().keySet());
        for (RpmPackage p : ofed) {
            for (RpmDependency d : p.provides()) {
                String s = symbol(d.name());
                if (s != null) {
                    ibSymbols.add(s);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (RpmPackage pkg : lustre) {
            for (RpmDependency req : pkg.requires()) {
                String sym = symbol(req.name());
                if (sym != null && (ibSymbols.contains(sym) || looksInfiniBand(sym))) {
                    checkCrc(pkg, req, sym, ofedSymvers, problems);
                    checkProvided(pkg, req, sym, ofed, ofedSymvers, problems);
                } else if (sym == null && namesOfedPackage(req.name())) {
                    checkPackagePresent(pkg, req, ofed, problems);
                }
            }
        }
        checkKernel(lustre, kernelRelease, problems);
        checkKernel(ofed, kernelRelease, problems);
        return problems;
    }

    /**
     * The checks that need no OFED packages, for a build against an installed OFED (whose packages
     * are on the target already, not at hand): every CRC a Lustre package requires for a symbol OFED's
     * {@code Module.symvers} exports is the one exported there, and Lustre's modules are for the
     * target kernel.
     */
    public static List<String> verifyAgainstSymvers(Collection<RpmPackage> lustre, ModuleSymvers ofedSymvers,
                                                    String kernelRelease) {
        List<String> problems = new ArrayList<>();
        for (RpmPackage pkg : lustre) {
            for (RpmDependency req : pkg.requires()) {
                String sym = symbol(req.name());
                if (sym != null && ofedSymvers.crcs().containsKey(sym)) {
                    checkCrc(pkg, req, sym, ofedSymvers, problems);
                }
            }
        }
        checkKernel(lustre, kernelRelease, problems);
        return problems;
    }

    private static boolean looksInfiniBand(String sym) {
        return IB_PREFIXES.stream().anyMatch(sym::startsWith);
    }

    private static boolean namesOfedPackage(String name) {
        return name.startsWith("kmod-mlnx-ofa_kernel") || name.startsWith("mlnx-ofa_kernel");
    }

    /**
     * The ground truth, apart from package metadata: the CRC the module was built against must be the
     * one OFED's {@code Module.symvers} exports, or the module "disagrees about version of symbol" and
     * does not load next to these OFED modules.
     */
    private static void checkCrc(RpmPackage pkg, RpmDependency req, String sym, ModuleSymvers ofedSymvers,
                                 List<String> problems) {
        String exported = ofedSymvers.crcs().get(sym);
        if (exported != null && !req.version().isEmpty() && !sameCrc(exported, req.version())) {
            problems.add(pkg.nevra() + " was built against another " + sym + ": it requires " + req
                    + ", but OFED's Module.symvers exports " + sym + " = " + exported + " (its modules would not load "
                    + "next to these OFED modules: disagrees about version of symbol " + sym + ")");
        }
    }

    private static boolean sameCrc(String a, String b) {
        try {
            return Long.decode(a.strip()).equals(Long.decode(b.strip()));
        } catch (NumberFormatException e) {
            return a.strip().equalsIgnoreCase(b.strip());
        }
    }

    /** The package metadata: what dnf would say. */
    private static void checkProvided(RpmPackage pkg, RpmDependency req, String sym, Collection<RpmPackage> ofed,
                                      ModuleSymvers ofedSymvers, List<String> problems) {
        List<String> sameName = new ArrayList<>();
        for (RpmPackage o : ofed) {
            for (RpmDependency prov : o.provides()) {
                if (prov.name().equals(req.name())) {
                    if (satisfies(prov, req)) {
                        return;
                    }
                    sameName.add(o.name() + " provides " + prov);
                }
            }
        }
        String exported = ofedSymvers.crcs().get(sym);
        if (exported != null && !req.version().isEmpty() && !sameCrc(exported, req.version())) {
            return; // reported by checkCrc: the build itself is wrong, not only its metadata
        }
        String line = "nothing provides " + req + " needed by " + pkg.nevra();
        if (!sameName.isEmpty()) {
            line += " (" + String.join("; ", sameName) + ")";
        } else if (exported != null) {
            line += " (the CRC is OFED's, so the module loads; but no OFED package provides " + req.name()
                    + ", so dnf refuses the install: rebuild mlnx-ofa_kernel as KMP with EL's kmod dependency "
                    + "generators (redhat-rpm-config, kernel-rpm-macros: find-provides.ksyms) so that "
                    + "kmod-mlnx-ofa_kernel provides ksym(" + sym + "))";
        }
        problems.add(line);
    }

    /** rpm's rule for these dependencies: an unversioned side matches; otherwise equal versions. */
    private static boolean satisfies(RpmDependency provide, RpmDependency require) {
        if (require.version().isEmpty() || provide.version().isEmpty()) {
            return true;
        }
        return provide.version().equalsIgnoreCase(require.version());
    }

    private static void checkPackagePresent(RpmPackage pkg, RpmDependency req, Collection<RpmPackage> ofed,
                                            List<String> problems) {
        for (RpmPackage o : ofed) {
            if (o.name().equals(req.name())) {
                return;
            }
            for (RpmDependency prov : o.provides()) {
                if (prov.name().equals(req.name())) {
                    return;
                }
            }
        }
        String hint = req.name().startsWith("kmod-")
                ? " (only a KMP rebuild of mlnx-ofa_kernel makes kmod-mlnx-ofa_kernel)" : "";
        problems.add("nothing provides " + req + " needed by " + pkg.nevra() + hint);
    }

    private static void checkKernel(Collection<RpmPackage> pkgs, String kernelRelease, List<String> problems) {
        for (RpmPackage p : pkgs) {
            Set<String> others = new LinkedHashSet<>();
            for (String f : p.files()) {
                Matcher m = MODULE_PATH.matcher(f);
                if (m.matches() && !m.group(1).equals(kernelRelease)) {
                    others.add(m.group(1));
                }
            }
            if (!others.isEmpty()) {
                problems.add(p.nevra() + " has kernel modules for " + String.join(", ", others)
                        + ", not for the target kernel " + kernelRelease);
            }
        }
    }
}

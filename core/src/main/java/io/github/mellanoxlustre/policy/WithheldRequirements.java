package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmDependency;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Published packages that need a withheld one: a requirement that no published package meets but a
 * withheld package does (e.g. {@code lustre-osd-zfs-mount} requires {@code kmod-lustre-osd-zfs},
 * which the policy withholds). Such a package cannot be installed from the published repository
 * alone. It is still published (it may be distributed); each such requirement is a
 * {@link Severity#WARNING} finding {@value #ID} on it, naming the requirement and the withheld
 * package.
 *
 * <p>A requirement is met by a package's name, by any of its provides or, for a path, by any of its
 * files, matched by capability name: versions are not compared. Requirements nothing in the set
 * meets (the distribution's packages, {@code zfs}, the kernel) are not looked at, nor are
 * {@code rpmlib(...)} features and rich dependencies ({@code (a or b)}); source packages neither
 * need nor meet anything here.
 */
public final class WithheldRequirements {
    /** The finding's rule id. */
    public static final String ID = "needs-withheld-package";

    private static final String WHICH_ONLY = ", which only the withheld ";
    private static final String PROVIDES = " provides: it cannot be installed from the published repository alone";

    private final Set<String> published = new HashSet<>();
    private final Map<String, RpmPackage> withheld = new HashMap<>();

    /** The capabilities of the published and of the withheld packages. */
    public WithheldRequirements(List<RpmPackage> published, List<RpmPackage> withheld) {
        for (RpmPackage p : published) {
            this.published.addAll(capabilities(p));
        }
        for (RpmPackage p : withheld) {
            if (p.source()) {
                continue;   // a source package installs nothing
            }
            for (String c : capabilities(p)) {
                this.withheld.putIfAbsent(c, p);
            }
        }
    }

    /** The requirements of {@code pkg} (a published package) that only a withheld package meets. */
    public List<Finding> findings(RpmPackage pkg) {
        if (withheld.isEmpty() || pkg.source()) {
            return List.of();   // a source package's requirements are build requirements
        }
        List<Finding> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (RpmDependency r : pkg.requires()) {
            String name = r.name();
            if ((r.flags() & RpmDependency.RPMLIB) != 0 || name.startsWith("(") || published.contains(name)
                    || !seen.add(name)) {
                continue;
            }
            RpmPackage provider = withheld.get(name);
            if (provider != null) {
                out.add(Finding.of(ID, Severity.WARNING, "requires " + name + WHICH_ONLY + provider.nevra() + PROVIDES,
                        r.toString()));
            }
        }
        return out;
    }

    /** The withheld package (its NEVRA) a {@value #ID} finding names; empty for any other finding. */
    public static Optional<String> withheldProvider(Finding f) {
        int from = f.message().indexOf(WHICH_ONLY);
        int to = f.message().lastIndexOf(PROVIDES);
        if (!f.rule().equals(ID) || from < 0 || to < from) {
            return Optional.empty();
        }
        return Optional.of(f.message().substring(from + WHICH_ONLY.length(), to));
    }

    private static Set<String> capabilities(RpmPackage p) {
        Set<String> c = new HashSet<>();
        c.add(p.name());
        p.provides().forEach(d -> c.add(d.name()));
        c.addAll(p.files());
        return c;
    }
}

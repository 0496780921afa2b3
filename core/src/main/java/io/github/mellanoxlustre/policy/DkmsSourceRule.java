package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;
import java.util.Optional;

/**
 * {@code dkms-source} (informational): a DKMS package (a {@code dkms.conf} below {@code /usr/src},
 * or a name ending in {@code -dkms}) that ships no kernel module file carries sources only; the
 * modules are compiled on the installing host, so it may be distributed ({@code zfs-dkms},
 * {@code lustre-zfs-dkms}). Never forbids.
 */
public final class DkmsSourceRule implements Rule {
    /** The rule id. */
    public static final String ID = "dkms-source";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reason() {
        return "DKMS packages ship sources that are compiled on the installing host";
    }

    @Override
    public List<Finding> evaluate(RpmPackage pkg) {
        if (pkg.source() || pkg.files().stream().anyMatch(f -> KernelModuleFile.of(f).isPresent())) {
            return List.of();
        }
        Optional<String> conf = pkg.files().stream()
                .filter(f -> f.startsWith("/usr/src/") && f.endsWith("/dkms.conf")).findFirst();
        if (conf.isEmpty() && !pkg.name().endsWith("-dkms")) {
            return List.of();
        }
        return List.of(Finding.of(ID, Severity.INFO,
                "DKMS package: sources only, modules are built on the installing host", conf.orElse(pkg.name())));
    }
}

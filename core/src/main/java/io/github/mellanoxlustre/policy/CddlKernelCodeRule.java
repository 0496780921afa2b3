package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code cddl-kernel-code}: a package whose License tag names the CDDL (any spelling: {@code CDDL},
 * {@code CDDL-1.0}, {@code GPLv2+ and CDDL}, {@code cddl}; as a word, not inside another word) and
 * that ships any kernel module file below {@code /lib/modules} or {@code /usr/lib/modules} is
 * forbidden. A CDDL-licensed user-space package is not concerned.
 */
public final class CddlKernelCodeRule implements Rule {
    /** The rule id. */
    public static final String ID = "cddl-kernel-code";

    /** "cddl" not preceded by a letter or digit and not followed by a letter. */
    private static final Pattern CDDL = Pattern.compile("(?<![A-Za-z0-9])cddl(?![A-Za-z])",
            Pattern.CASE_INSENSITIVE);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reason() {
        return "CDDL-licensed kernel modules are not distributed with GPL kernel code";
    }

    /**
     * Whether a License tag names the CDDL. A tag without the letters "cddl" in any case (almost
     * every tag) is decided without the regular expression.
     */
    public static boolean namesCddl(String license) {
        return containsCddl(license) && CDDL.matcher(license).find();
    }

    /** Whether "cddl" occurs in any case: what the regular expression needs before it can match. */
    private static boolean containsCddl(String s) {
        for (int i = 0; i + 4 <= s.length(); i++) {
            if (s.regionMatches(true, i, "cddl", 0, 4)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<Finding> evaluate(RpmPackage pkg) {
        if (!namesCddl(pkg.license())) {
            return List.of();
        }
        String first = null;
        long modules = 0;
        for (String f : pkg.files()) {
            var m = KernelModuleFile.installed(f);
            if (m.isPresent()) {
                first = first == null ? m.get().path() : first;
                modules++;
            }
        }
        if (modules == 0) {
            return List.of();
        }
        String count = modules == 1 ? "a kernel module (" + first + ")"
                : modules + " kernel modules (first: " + first + ")";
        return List.of(Finding.of(ID, Severity.FORBIDDEN,
                "License names CDDL and the package ships " + count, pkg.license()));
    }
}

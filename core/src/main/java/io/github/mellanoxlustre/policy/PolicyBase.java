package io.github.mellanoxlustre.policy;

import java.util.Locale;

/** The two built-in policies a policy file can start from. */
public enum PolicyBase {
    /** For RPMs that leave the site: rule matches forbid the package. */
    DISTRIBUTE,
    /** For RPMs that stay on the site that built them: rule matches are warnings only. */
    INTERNAL;

    /** {@code distribute} or {@code internal}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code distribute}/{@code internal} (any case); empty when it is neither. */
    public static java.util.Optional<PolicyBase> parse(String s) {
        for (PolicyBase b : values()) {
            if (b.label().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return java.util.Optional.of(b);
            }
        }
        return java.util.Optional.empty();
    }
}

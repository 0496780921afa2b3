package io.github.mellanoxlustre.policy;

/** How much a {@link Finding} weighs in a package's {@link Verdict}. */
public enum Severity {
    /** The package must not leave the site: makes its verdict {@link Verdict#FORBIDDEN}. */
    FORBIDDEN,
    /** A rule matched, but the policy's base is {@code internal}: reported, not forbidding. */
    WARNING,
    /** A rule matched, but a policy-file exception with a written reason allows the package. */
    ALLOWED,
    /** For information only (e.g. a DKMS source package). */
    INFO;

    /** Lower-case name as written in reports ({@code forbidden}, {@code warning}, ...). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

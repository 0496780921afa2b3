package io.github.mellanoxlustre.policy;

import java.util.Objects;

/**
 * One reason a rule gives about a package.
 *
 * @param rule      the rule id, e.g. {@code zfs-module-file}
 * @param severity  how it counts in the verdict
 * @param message   one line, for a human
 * @param evidence  what matched: a file path, the license string, a dependency or the package name
 * @param exception the written reason of the policy-file exception that allowed it, empty when none
 */
public record Finding(String rule, Severity severity, String message, String evidence, String exception) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(evidence, "evidence");
        exception = exception == null ? "" : exception;
        if (severity == Severity.ALLOWED && exception.isBlank()) {
            throw new IllegalArgumentException("an ALLOWED finding needs the exception's reason");
        }
    }

    /** A finding no exception applies to. */
    public static Finding of(String rule, Severity severity, String message, String evidence) {
        return new Finding(rule, severity, message, evidence, "");
    }

    /** This finding with another severity (keeps the exception reason). */
    public Finding withSeverity(Severity s) {
        return new Finding(rule, s, message, evidence, exception);
    }

    /** This finding allowed by a policy-file exception with this written reason. */
    public Finding allowedBecause(String reason) {
        return new Finding(rule, Severity.ALLOWED, message, evidence, reason);
    }
}

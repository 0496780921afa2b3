package io.jenkins.plugins.mellanoxlustre;

import java.io.Serializable;

/** One reason a policy rule gives about a package, as the build page shows it. */
public final class FindingRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String rule;
    private final String severity;
    private final String message;
    private final String evidence;
    private final String exception;

    /**
     * @param rule      the rule id, e.g. {@code zfs-module-file}
     * @param severity  {@code FORBIDDEN}, {@code WARNING}, {@code ALLOWED} or {@code INFO}
     * @param message   one line for a human
     * @param evidence  what matched (a file path, a license, a dependency, the name)
     * @param exception the written reason of the policy-file exception that allowed it, or empty
     */
    public FindingRecord(String rule, String severity, String message, String evidence, String exception) {
        this.rule = rule;
        this.severity = severity;
        this.message = message;
        this.evidence = evidence;
        this.exception = exception == null ? "" : exception;
    }

    public String getRule() {
        return rule;
    }

    public String getSeverity() {
        return severity;
    }

    public String getMessage() {
        return message;
    }

    public String getEvidence() {
        return evidence;
    }

    public String getException() {
        return exception;
    }
}

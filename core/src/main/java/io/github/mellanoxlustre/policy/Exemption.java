package io.github.mellanoxlustre.policy;

import java.util.Objects;
import java.util.Set;

/**
 * A policy-file exception: findings of the given rules (all rules when {@code rules} is empty) on
 * packages whose name matches {@code name} are allowed, and the written reason appears next to
 * each allowed finding in the report.
 *
 * @param name   the package-name glob
 * @param rules  the rule ids it is restricted to; empty for every rule
 * @param reason why the site may distribute these packages anyway (required, non-blank)
 */
public record Exemption(NamePattern name, Set<String> rules, String reason) {

    public Exemption {
        Objects.requireNonNull(name, "name");
        rules = Set.copyOf(rules);
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("an exception needs a written reason");
        }
    }

    /** Whether this exception covers a finding of rule {@code ruleId} on package {@code packageName}. */
    public boolean covers(String packageName, String ruleId) {
        return name.matches(packageName) && (rules.isEmpty() || rules.contains(ruleId));
    }
}

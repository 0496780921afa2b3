package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;
import java.util.Objects;

/**
 * A site rule from a policy file's {@code forbid} list: packages (binary or source) whose name
 * matches the pattern are forbidden, for the reason written in the file.
 *
 * @param id      the rule id ({@value #DEFAULT_ID} unless the file names one)
 * @param pattern the name glob
 * @param reason  the written reason, shown in the finding
 */
public record ForbiddenNameRule(String id, NamePattern pattern, String reason) implements Rule {
    /** The id of a {@code forbid} entry that names none. */
    public static final String DEFAULT_ID = "site-forbidden-name";

    public ForbiddenNameRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a forbidden name pattern needs a reason");
        }
    }

    @Override
    public List<Finding> evaluate(RpmPackage pkg) {
        if (!pattern.matches(pkg.name())) {
            return List.of();
        }
        return List.of(Finding.of(id, Severity.FORBIDDEN,
                "name matches site pattern " + pattern + ": " + reason, pkg.name()));
    }
}

package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;

/**
 * {@code rpm-lead-mismatch}: the lead (the file's first 96 bytes) says source where the signed
 * header says binary, or the other way round, or gives a type that is neither. No digest or
 * signature covers the lead and rpm ignores it ({@code rpmkeys -K} still passes when it is
 * altered), so the check decides from the header as rpm does; a file whose two parts disagree was
 * altered after it was built or written by a broken tool, and is forbidden so that a person looks
 * at it. It never makes another rule apply less.
 */
public final class LeadMismatchRule implements Rule {
    /** The rule id. */
    public static final String ID = "rpm-lead-mismatch";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String reason() {
        return "the unsigned lead of an RPM must not disagree with its signed header";
    }

    @Override
    public List<Finding> evaluate(RpmPackage pkg) {
        if (pkg.leadAgrees()) {
            return List.of();
        }
        String lead = switch (pkg.leadType()) {
            case 0 -> "binary";
            case 1 -> "source";
            default -> "type " + pkg.leadType();
        };
        return List.of(Finding.of(ID, Severity.FORBIDDEN, "the lead says " + lead + " package, the signed header says "
                + (pkg.source() ? "source" : "binary") + " (rpm decides from the header, as this check does):"
                + " the file was altered after it was built, or written by a broken tool",
                "lead type " + pkg.leadType()));
    }
}

package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.CheckTally;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.PolicyBase;
import java.util.Objects;

/**
 * What a report is written from: the policy, the totals, and the results, which a writer may walk
 * more than once (the HTML report walks them once per row group) and which need not be in memory
 * ({@link ResultSpool}).
 *
 * @param policy   the policy's name
 * @param base     the policy's base
 * @param totals   the counts of {@code packages}
 * @param packages one result per file, in scan order
 */
public record ReportInput(String policy, PolicyBase base, CheckTally totals, Iterable<PackageResult> packages) {

    public ReportInput {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(packages, "packages");
    }

    /** The input of a report held in memory. */
    public static ReportInput of(CheckReport report) {
        return new ReportInput(report.policy(), report.base(), report.tally(), report.packages());
    }
}

package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.CheckTally;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.PolicyBase;
import java.util.Objects;

/**
 * What a report is written from: the header (policy, date, host, tool), the totals, and the
 * results, which a writer may walk more than once (the HTML report walks them once per row group)
 * and which need not be in memory ({@link ResultSpool}).
 *
 * @param header   the policy and who made the report, when and where
 * @param totals   the counts of {@code packages}
 * @param packages one result per file, in scan order
 */
public record ReportInput(ReportHeader header, CheckTally totals, Iterable<PackageResult> packages) {

    public ReportInput {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(packages, "packages");
    }

    /** The input of a report held in memory, made now on this machine. */
    public static ReportInput of(CheckReport report) {
        return of(report, ReportHeader.now(report.policy(), report.base(), report.policySource()));
    }

    /** The input of a report held in memory, with this header. */
    public static ReportInput of(CheckReport report, ReportHeader header) {
        return new ReportInput(header, report.tally(), report.packages());
    }

    /** The policy's name. */
    public String policy() {
        return header.policy();
    }

    /** The policy's base. */
    public PolicyBase base() {
        return header.base();
    }
}

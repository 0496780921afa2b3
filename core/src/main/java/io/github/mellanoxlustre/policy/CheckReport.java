package io.github.mellanoxlustre.policy;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking a set of RPMs against a policy.
 *
 * @param policy   the policy's name ({@code distribute}, {@code internal} or a policy file's name)
 * @param base     the policy's base
 * @param packages one result per file (or path error), in scan order
 * @param skipped  how many files found in directories were not checked (not named {@code *.rpm})
 * @param policySource where the policy comes from ({@link DistributionPolicy#source()}); empty when
 *                 not known
 */
public record CheckReport(String policy, PolicyBase base, List<PackageResult> packages, long skipped,
                          String policySource) {

    /** Exit code: nothing forbidden and every file read. */
    public static final int EXIT_PASS = 0;
    /** Exit code: at least one package forbidden. */
    public static final int EXIT_FORBIDDEN = 1;
    /** Exit code: nothing forbidden, but some file could not be read (also used for usage errors). */
    public static final int EXIT_ERROR = 2;
    /**
     * Exit code: nothing forbidden, but the checker itself failed on a file (out of memory, a bug);
     * the report still lists every other file.
     */
    public static final int EXIT_INTERNAL = 3;

    public CheckReport {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(base, "base");
        packages = List.copyOf(packages);
        policySource = policySource == null ? "" : policySource;
        if (skipped < 0) {
            throw new IllegalArgumentException("skipped files: " + skipped);
        }
    }

    /** A report of these results, no file skipped, the policy's source not known. */
    public CheckReport(String policy, PolicyBase base, List<PackageResult> packages) {
        this(policy, base, packages, 0, "");
    }

    /** The report of checking with this policy. */
    public static CheckReport of(DistributionPolicy policy, List<PackageResult> packages, long skipped) {
        return new CheckReport(policy.name(), policy.base(), packages, skipped, policy.source());
    }

    /** The counts of this report's results (computed on each call). */
    public CheckTally tally() {
        CheckTally t = CheckTally.of(packages);
        t.skip(skipped);
        return t;
    }

    /** {@link CheckVerdict#FAIL} when any package is forbidden. */
    public CheckVerdict verdict() {
        return tally().verdict();
    }

    /** Whether any file could not be read (or a path did not exist). */
    public boolean hasErrors() {
        return tally().hasErrors();
    }

    /** Whether the checker itself failed on some file (out of memory, a bug). */
    public boolean hasInternalErrors() {
        return tally().hasInternalErrors();
    }

    /** How many results have this verdict. */
    public int count(Verdict v) {
        return tally().count(v);
    }

    /** How many findings, over all packages, have this severity. */
    public int count(Severity s) {
        return tally().count(s);
    }

    /**
     * 0 nothing forbidden and all read; 1 at least one forbidden; 3 nothing forbidden but the
     * checker failed on a file; 2 nothing forbidden but some file unreadable.
     */
    public int exitCode() {
        return tally().exitCode();
    }

    /**
     * What a person reads first: {@code FAIL} (something forbidden), {@code PASS} (every file read,
     * nothing forbidden) or {@code INCOMPLETE} (nothing forbidden, but a file could not be read, so the
     * check has not shown that the whole set may be distributed).
     */
    public String headline() {
        return tally().headline();
    }

    /** e.g. {@code FAIL: 4 files, 2 distributable, 1 forbidden, 1 error, 3 warnings}. */
    public String summary() {
        return tally().summary();
    }
}

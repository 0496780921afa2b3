package io.github.mellanoxlustre.policy;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking a set of RPMs against a policy.
 *
 * @param policy   the policy's name ({@code distribute}, {@code internal} or a policy file's name)
 * @param base     the policy's base
 * @param packages one result per file, in scan order
 */
public record CheckReport(String policy, PolicyBase base, List<PackageResult> packages) {

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
    }

    /** {@link CheckVerdict#FAIL} when any package is forbidden. */
    public CheckVerdict verdict() {
        return count(Verdict.FORBIDDEN) > 0 ? CheckVerdict.FAIL : CheckVerdict.PASS;
    }

    /** Whether any file could not be read (or a path did not exist). */
    public boolean hasErrors() {
        return count(Verdict.ERROR) > 0;
    }

    /** Whether the checker itself failed on some file (out of memory, a bug). */
    public boolean hasInternalErrors() {
        return packages.stream().anyMatch(PackageResult::internal);
    }

    /** How many results have this verdict. */
    public int count(Verdict v) {
        return (int) packages.stream().filter(p -> p.verdict() == v).count();
    }

    /** How many findings, over all packages, have this severity. */
    public int count(Severity s) {
        return (int) packages.stream().flatMap(p -> p.findings().stream()).filter(f -> f.severity() == s).count();
    }

    /**
     * 0 nothing forbidden and all read; 1 at least one forbidden; 3 nothing forbidden but the
     * checker failed on a file; 2 nothing forbidden but some file unreadable.
     */
    public int exitCode() {
        if (verdict() == CheckVerdict.FAIL) {
            return EXIT_FORBIDDEN;
        }
        if (hasInternalErrors()) {
            return EXIT_INTERNAL;
        }
        return hasErrors() ? EXIT_ERROR : EXIT_PASS;
    }

    /**
     * What a person reads first: {@code FAIL} (something forbidden), {@code PASS} (every file read,
     * nothing forbidden) or {@code INCOMPLETE} (nothing forbidden, but a file could not be read, so the
     * check has not shown that the whole set may be distributed).
     */
    public String headline() {
        return verdict() == CheckVerdict.PASS && hasErrors() ? "INCOMPLETE" : verdict().toString();
    }

    /** e.g. {@code FAIL: 4 files, 2 distributable, 1 forbidden, 1 error, 3 warnings}. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(headline()).append(": ").append(plural(packages.size(), "file", "files"))
                .append(", ").append(count(Verdict.DISTRIBUTABLE)).append(" distributable")
                .append(", ").append(count(Verdict.FORBIDDEN)).append(" forbidden")
                .append(", ").append(plural(count(Verdict.ERROR), "error", "errors"));
        int warnings = count(Severity.WARNING);
        if (warnings > 0) {
            s.append(", ").append(plural(warnings, "warning", "warnings"));
        }
        int allowed = count(Severity.ALLOWED);
        if (allowed > 0) {
            s.append(", ").append(allowed).append(" allowed by exception");
        }
        return s.toString();
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}

package io.github.mellanoxlustre.policy;

/**
 * The counts a report prints, kept as results arrive, so that a report can be written without
 * keeping the results: how many files, per verdict and per finding severity, how many files were
 * skipped (not named {@code *.rpm}), and whether the checker itself failed on one. A path error
 * ({@link PackageResult#pathError()}) is an error but not a file. Not thread-safe.
 */
public final class CheckTally {
    private int files;
    private final int[] verdicts = new int[Verdict.values().length];
    private final int[] severities = new int[Severity.values().length];
    private boolean internal;
    private long skipped;
    private int allowedFiles;

    /** The counts of these results. */
    public static CheckTally of(Iterable<PackageResult> results) {
        CheckTally t = new CheckTally();
        results.forEach(t::add);
        return t;
    }

    /** Counts one more result. */
    public void add(PackageResult r) {
        if (r.isFile()) {
            files++;
        }
        verdicts[r.verdict().ordinal()]++;
        boolean allowed = false;
        for (Finding f : r.findings()) {
            severities[f.severity().ordinal()]++;
            allowed |= f.severity() == Severity.ALLOWED;
        }
        if (allowed) {
            allowedFiles++;
        }
        internal |= r.internal();
    }

    /** How many files were checked or found unreadable (path errors are not files). */
    public int files() {
        return files;
    }

    /** How many files have a finding an exception allowed (whatever their verdict). */
    public int allowedFiles() {
        return allowedFiles;
    }

    /** Counts {@code n} more files found in a directory and not checked (not named {@code *.rpm}). */
    public void skip(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("skipped files: " + n);
        }
        skipped += n;
    }

    /** How many files found in directories were not checked (not named {@code *.rpm}). */
    public long skipped() {
        return skipped;
    }

    /** How many results have this verdict. */
    public int count(Verdict v) {
        return verdicts[v.ordinal()];
    }

    /** How many findings, over all results, have this severity. */
    public int count(Severity s) {
        return severities[s.ordinal()];
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
        return internal;
    }

    /** See {@link CheckReport#exitCode()}. */
    public int exitCode() {
        if (verdict() == CheckVerdict.FAIL) {
            return CheckReport.EXIT_FORBIDDEN;
        }
        if (hasInternalErrors()) {
            return CheckReport.EXIT_INTERNAL;
        }
        return hasErrors() ? CheckReport.EXIT_ERROR : CheckReport.EXIT_PASS;
    }

    /** See {@link CheckReport#headline()}. */
    public String headline() {
        return verdict() == CheckVerdict.PASS && hasErrors() ? "INCOMPLETE" : verdict().toString();
    }

    /** See {@link CheckReport#summary()}. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(headline()).append(": ").append(plural(files, "file", "files"))
                .append(", ").append(count(Verdict.DISTRIBUTABLE)).append(" distributable")
                .append(", ").append(count(Verdict.FORBIDDEN)).append(" forbidden")
                .append(", ").append(plural(count(Verdict.ERROR), "error", "errors"));
        int warnings = count(Severity.WARNING);
        if (warnings > 0) {
            s.append(", ").append(plural(warnings, "warning", "warnings"));
        }
        if (allowedFiles > 0) {
            s.append(", ").append(allowedFiles).append(" allowed by exception");
        }
        if (skipped > 0) {
            s.append(", ").append(skipped).append(skipped == 1 ? " other file" : " other files")
                    .append(" skipped (not *.rpm)");
        }
        return s.toString();
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}

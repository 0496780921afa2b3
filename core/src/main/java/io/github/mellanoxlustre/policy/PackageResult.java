package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmIdentity;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The check result for one file, or for a path that yielded no file to read (a path that does not
 * exist, a directory that cannot be listed or holds no {@code *.rpm} file): such a path is an error
 * but not a file, and reports do not count it as one.
 *
 * @param file     the path as found (as given, or below a given directory)
 * @param rpm      who the package is (name, version, kind: what reports show, not its file and
 *                 dependency lists, which are not kept); empty when the file could not be read
 * @param verdict  {@link Verdict#ERROR} when unreadable, otherwise the policy's verdict
 * @param findings the policy's findings, empty for an error
 * @param error    why the file could not be read; empty unless the verdict is ERROR
 * @param internal whether the error is a failure of the checker itself (out of memory, a bug)
 *                 rather than something wrong with the file
 * @param pathError whether the error is about a path that yielded no file to read, not about a file
 *                 (then {@code file} is that path)
 */
public record PackageResult(String file, Optional<RpmIdentity> rpm, Verdict verdict, List<Finding> findings,
                            String error, boolean internal, boolean pathError) {

    /** A result for a file (not a path error). */
    public PackageResult(String file, Optional<RpmIdentity> rpm, Verdict verdict, List<Finding> findings,
                         String error, boolean internal) {
        this(file, rpm, verdict, findings, error, internal, false);
    }

    public PackageResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(rpm, "rpm");
        Objects.requireNonNull(verdict, "verdict");
        findings = List.copyOf(findings);
        error = error == null ? "" : error;
        if ((verdict == Verdict.ERROR) != rpm.isEmpty() || (verdict == Verdict.ERROR) == error.isEmpty()) {
            throw new IllegalArgumentException("an ERROR result has a reason and no package, any other a package");
        }
        if (internal && verdict != Verdict.ERROR) {
            throw new IllegalArgumentException("only an ERROR result can be an internal failure");
        }
        if (pathError && verdict != Verdict.ERROR) {
            throw new IllegalArgumentException("only an ERROR result can be a path error");
        }
    }

    /** A file that was read and evaluated; only the package's identity is kept. */
    public static PackageResult evaluated(String file, RpmPackage rpm, Evaluation evaluation) {
        return new PackageResult(file, Optional.of(rpm.identity()), evaluation.verdict(), evaluation.findings(),
                "", false);
    }

    /** A file (or path) that could not be read, and why. */
    public static PackageResult error(String file, String reason) {
        return new PackageResult(file, Optional.empty(), Verdict.ERROR, List.of(),
                reason == null || reason.isBlank() ? "unreadable" : reason, false);
    }

    /**
     * A path that yielded no file to read (it does not exist, cannot be listed or holds no
     * {@code *.rpm} file), and why: an error, not a file.
     */
    public static PackageResult pathError(String path, String reason) {
        return new PackageResult(path, Optional.empty(), Verdict.ERROR, List.of(),
                reason == null || reason.isBlank() ? "unusable path" : reason, false, true);
    }

    /** A path the checker failed on while listing it (out of memory, a bug): a path error and an internal failure. */
    public static PackageResult internalPathError(String path, String reason) {
        return new PackageResult(path, Optional.empty(), Verdict.ERROR, List.of(),
                "internal failure: " + (reason == null || reason.isBlank() ? "unknown" : reason), true, true);
    }

    /** Whether this result is a file (read or not), which reports count; a path error is not. */
    public boolean isFile() {
        return !pathError;
    }

    /** A file the checker failed on (out of memory, a bug): an error, and a failure of the check itself. */
    public static PackageResult internalError(String file, String reason) {
        return new PackageResult(file, Optional.empty(), Verdict.ERROR, List.of(),
                "internal failure: " + (reason == null || reason.isBlank() ? "unknown" : reason), true);
    }

    /** The findings with this severity. */
    public List<Finding> findings(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).toList();
    }
}

package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The check result for one file.
 *
 * @param file     the path as found (as given, or below a given directory)
 * @param rpm      what the RPM's headers say; empty when the file could not be read
 * @param verdict  {@link Verdict#ERROR} when unreadable, otherwise the policy's verdict
 * @param findings the policy's findings, empty for an error
 * @param error    why the file could not be read; empty unless the verdict is ERROR
 */
public record PackageResult(String file, Optional<RpmPackage> rpm, Verdict verdict, List<Finding> findings,
                            String error) {

    public PackageResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(rpm, "rpm");
        Objects.requireNonNull(verdict, "verdict");
        findings = List.copyOf(findings);
        error = error == null ? "" : error;
        if ((verdict == Verdict.ERROR) != rpm.isEmpty() || (verdict == Verdict.ERROR) == error.isEmpty()) {
            throw new IllegalArgumentException("an ERROR result has a reason and no package, any other a package");
        }
    }

    /** A file that was read and evaluated. */
    public static PackageResult evaluated(String file, RpmPackage rpm, Evaluation evaluation) {
        return new PackageResult(file, Optional.of(rpm), evaluation.verdict(), evaluation.findings(), "");
    }

    /** A file (or path) that could not be read, and why. */
    public static PackageResult error(String file, String reason) {
        return new PackageResult(file, Optional.empty(), Verdict.ERROR, List.of(),
                reason == null || reason.isBlank() ? "unreadable" : reason);
    }

    /** The findings with this severity. */
    public List<Finding> findings(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).toList();
    }
}

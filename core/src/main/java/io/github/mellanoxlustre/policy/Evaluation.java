package io.github.mellanoxlustre.policy;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link DistributionPolicy} says about one package.
 *
 * @param verdict  {@link Verdict#FORBIDDEN} when a finding is {@link Severity#FORBIDDEN},
 *                 {@link Verdict#DISTRIBUTABLE} otherwise
 * @param findings every finding, in rule order
 */
public record Evaluation(Verdict verdict, List<Finding> findings) {

    public Evaluation {
        Objects.requireNonNull(verdict, "verdict");
        findings = List.copyOf(findings);
        boolean forbidden = findings.stream().anyMatch(f -> f.severity() == Severity.FORBIDDEN);
        if (verdict == Verdict.ERROR || forbidden != (verdict == Verdict.FORBIDDEN)) {
            throw new IllegalArgumentException("verdict " + verdict + " does not follow from the findings");
        }
    }

    /** The verdict that follows from these findings. */
    public static Evaluation of(List<Finding> findings) {
        boolean forbidden = findings.stream().anyMatch(f -> f.severity() == Severity.FORBIDDEN);
        return new Evaluation(forbidden ? Verdict.FORBIDDEN : Verdict.DISTRIBUTABLE, findings);
    }
}

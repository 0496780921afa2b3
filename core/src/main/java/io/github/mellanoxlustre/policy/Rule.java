package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmPackage;
import java.util.List;

/**
 * One distribution rule. A rule reports what it sees with the severity it means under the
 * {@code distribute} base ({@link Severity#FORBIDDEN} or {@link Severity#INFO});
 * {@link DistributionPolicy} turns those into warnings or allowed findings as its base and
 * exceptions say. Implementations are immutable and stateless per call.
 */
public interface Rule {

    /** Stable id used in reports and in policy-file exceptions, e.g. {@code zfs-kmod-name}. */
    String id();

    /** Why the rule exists, one line. */
    String reason();

    /** The findings for this package, empty when the rule does not apply. */
    List<Finding> evaluate(RpmPackage pkg);
}

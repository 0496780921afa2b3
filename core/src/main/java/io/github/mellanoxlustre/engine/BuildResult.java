package io.github.mellanoxlustre.engine;

import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.CheckVerdict;
import io.github.mellanoxlustre.policy.Finding;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.WithheldRequirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a completed build published.
 *
 * @param verdict      PASS, or FAIL when the policy forbade an RPM (it was withheld, the rest published)
 * @param policy       the policy's name
 * @param outputDir    the output directory
 * @param published    the RPMs in it
 * @param withheldDir  the withheld directory, when something was withheld
 * @param withheld     the forbidden RPMs in it
 * @param manifest     {@code manifest.json}
 * @param sha256sums   {@code SHA256SUMS}
 * @param jsonReport   {@code report.json}
 * @param htmlReport   {@code report.html}
 * @param repoMetadata whether {@code repodata/} was made ({@code createrepo_c} installed)
 * @param warnings     policy findings of severity warning (e.g. under {@code internal})
 * @param ofedCacheKey the OFED cache key
 * @param ofedCacheHit whether phase 3 was a cache hit
 * @param lustreCommit the Lustre commit built, when known
 * @param phases       each phase's timing
 * @param elapsed      the whole build's wall time
 * @param toolTime     the part spent inside child processes
 * @param report       the policy check of every RPM the build made, the one that decided what was
 *                     published and what withheld (each package's {@code file} is its file name in
 *                     {@link #published()} or {@link #withheld()}); the same as {@link #jsonReport()}
 */
public record BuildResult(CheckVerdict verdict, String policy, Path outputDir, List<Path> published,
                          Optional<Path> withheldDir, List<Path> withheld, Path manifest, Path sha256sums,
                          Path jsonReport, Path htmlReport, boolean repoMetadata, int warnings, String ofedCacheKey,
                          boolean ofedCacheHit, Optional<String> lustreCommit, List<PhaseTiming> phases,
                          Duration elapsed, Duration toolTime, CheckReport report) {

    /** CLI exit code: the build passed. */
    public static final int EXIT_PASS = 0;
    /** CLI exit code: a forbidden RPM was withheld (the distributable set was published). */
    public static final int EXIT_FORBIDDEN = 1;

    public BuildResult {
        published = List.copyOf(published);
        withheld = List.copyOf(withheld);
        phases = List.copyOf(phases);
        Objects.requireNonNull(report, "report");
    }

    /** 0 for PASS, 1 for FAIL. */
    public int exitCode() {
        return verdict == CheckVerdict.PASS ? EXIT_PASS : EXIT_FORBIDDEN;
    }

    /** The engine's own time: wall time minus time inside child processes. */
    public Duration engineTime() {
        return elapsed.minus(toolTime);
    }

    /** One line for the console. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(verdict).append(" (policy ").append(policy).append("): ").append(published.size())
                .append(" RPM").append(published.size() == 1 ? "" : "s").append(" published to ").append(outputDir);
        if (!withheld.isEmpty()) {
            b.append("; ").append(withheld.size()).append(" forbidden RPM").append(withheld.size() == 1 ? "" : "s")
                    .append(" withheld in ").append(withheldDir.map(Path::toString).orElse("?"));
        }
        if (warnings > 0) {
            b.append("; ").append(warnings).append(" warning").append(warnings == 1 ? "" : "s");
        }
        List<String> needs = needsWithheld();
        if (!needs.isEmpty()) {
            b.append("; ").append(needs.size()).append(needs.size() == 1 ? " requirement" : " requirements")
                    .append(" of published RPMs only met by withheld ones: ").append(String.join(", ", needs));
        }
        return b.toString();
    }

    /**
     * Each requirement of a published RPM that only a withheld RPM meets, as
     * {@code lustre-osd-zfs-mount requires kmod-lustre-osd-zfs (withheld kmod-lustre-osd-zfs-2.15.4-1.el8.x86_64)}:
     * such an RPM was published but cannot be installed from the output directory alone.
     */
    public List<String> needsWithheld() {
        List<String> out = new ArrayList<>();
        for (PackageResult p : report.packages()) {
            for (Finding f : p.findings()) {
                Optional<String> by = WithheldRequirements.withheldProvider(f);
                if (by.isPresent() && p.rpm().isPresent()) {
                    out.add(p.rpm().get().name() + " requires " + f.evidence() + " (withheld " + by.get() + ")");
                }
            }
        }
        return out;
    }
}

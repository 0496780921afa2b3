package io.github.mellanoxlustre.build;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link BuildResult} as plain strings and numbers, {@link Serializable}: what the Jenkins plugin
 * sends from the agent (where the engine runs inside a FileCallable) back to the controller.
 *
 * @param verdict        {@code PASS} or {@code FAIL}
 * @param policy         the policy's name
 * @param exitCode       0 (PASS) or 1 (a forbidden RPM was withheld)
 * @param outputDir      the output directory (agent path)
 * @param published      file names of the RPMs in it
 * @param withheldDir    the withheld directory (agent path), empty when nothing was withheld
 * @param withheld       file names of the withheld RPMs
 * @param manifest       {@code manifest.json} (agent path)
 * @param jsonReport     {@code report.json} (agent path)
 * @param htmlReport     {@code report.html} (agent path)
 * @param repoMetadata   whether {@code repodata/} was made
 * @param warnings       policy warnings
 * @param ofedCacheKey   the OFED cache key
 * @param ofedCacheHit   whether phase 3 hit the cache
 * @param lustreCommit   the Lustre commit built, empty when unknown
 * @param elapsedMillis  the build's wall time
 * @param engineMillis   the engine's own time (wall time minus time inside tools)
 * @param summary        the one-line summary
 */
public record BuildSummary(String verdict, String policy, int exitCode, String outputDir, List<String> published,
                           String withheldDir, List<String> withheld, String manifest, String jsonReport,
                           String htmlReport, boolean repoMetadata, int warnings, String ofedCacheKey,
                           boolean ofedCacheHit, String lustreCommit, long elapsedMillis, long engineMillis,
                           String summary) implements Serializable {
    private static final long serialVersionUID = 1L;

    public BuildSummary {
        published = List.copyOf(published);
        withheld = List.copyOf(withheld);
    }

    /** The summary of a result. */
    public static BuildSummary of(BuildResult r) {
        return new BuildSummary(r.verdict().name(), r.policy(), r.exitCode(), r.outputDir().toString(),
                r.published().stream().map(p -> p.getFileName().toString()).toList(),
                r.withheldDir().map(Path::toString).orElse(""),
                r.withheld().stream().map(p -> p.getFileName().toString()).toList(), r.manifest().toString(),
                r.jsonReport().toString(), r.htmlReport().toString(), r.repoMetadata(), r.warnings(), r.ofedCacheKey(),
                r.ofedCacheHit(), r.lustreCommit().orElse(""), r.elapsed().toMillis(), r.engineTime().toMillis(),
                r.summary());
    }
}

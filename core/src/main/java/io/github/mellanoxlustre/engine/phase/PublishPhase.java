package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.files.Sha256;
import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.ofed.OfedRelease;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.DistributionPolicy;
import io.github.mellanoxlustre.policy.Evaluation;
import io.github.mellanoxlustre.policy.Finding;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.Severity;
import io.github.mellanoxlustre.policy.Verdict;
import io.github.mellanoxlustre.policy.WithheldRequirements;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ProgramPath;
import io.github.mellanoxlustre.process.SecretMasker;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.publish.BuiltRpm;
import io.github.mellanoxlustre.publish.Manifest;
import io.github.mellanoxlustre.publish.Sha256Sums;
import io.github.mellanoxlustre.publish.StagedOutput;
import io.github.mellanoxlustre.report.ReportFormat;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.rpm.RpmPackage;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Phase 9: check every RPM against the distribution policy and publish.
 *
 * <p>Everything is written into a staging directory beside the output ({@link StagedOutput}):
 * the distributable RPMs (Lustre's and OFED's rebuilt kernel packages), {@code report.json} and
 * {@code report.html} (the policy check of every RPM), {@code manifest.json}, yum repository
 * metadata ({@code createrepo_c}, when installed) and last {@code SHA256SUMS}. Forbidden RPMs go to
 * the withheld directory's staging copy with a {@code WITHHELD.txt} saying why. Then both are
 * renamed into place. A forbidden RPM makes the verdict FAIL, but the distributable set is still
 * published: it is safe to ship, and the failure says what was withheld.
 */
public final class PublishPhase {
    static final Phase PHASE = Phase.PUBLISH;
    static final String JSON_REPORT = "report.json";
    static final String HTML_REPORT = "report.html";

    /**
     * @param report    the policy check of every RPM
     * @param published the RPMs in the output directory
     * @param withheld  the RPMs in the withheld directory
     * @param manifest  manifest.json
     * @param sums      SHA256SUMS
     * @param json      the JSON report
     * @param html      the HTML report
     * @param repodata  whether yum metadata was made
     */
    public record Result(CheckReport report, List<Path> published, List<Path> withheld, Path manifest, Path sums, Path json,
                  Path html, boolean repodata) {
    }

    public static PlannedPhase plan(BuildRequest r) {
        Path out = r.outputDir().toAbsolutePath().normalize();
        String staging = out.resolveSibling("." + out.getFileName() + ".staging-<id>").toString();
        return new PlannedPhase(PHASE, "policy " + r.policy(), List.of(
                "check every Lustre and OFED RPM against the policy " + r.policy(),
                "write distributable RPMs, report.json, report.html, manifest.json into " + staging,
                "forbidden RPMs go to " + r.withheldDir() + " (never into the output)",
                "rename the staging directory to " + out + " (and the withheld one beside it) when all is written"),
                List.of(new PlannedCommand(staging, List.of("createrepo_c", staging))));
    }

    public Result run(PhaseContext ctx, BuildRequest req, DistributionPolicy policy, List<BuiltRpm> rpms, BuildFacts facts,
               Map<String, String> environment)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        checkUniqueNames(rpms);
        List<Evaluation> evaluations = withheldRequirements(rpms.stream().map(r -> policy.evaluate(r.pkg())).toList(),
                rpms);
        CheckReport report = report(ctx, policy, rpms, evaluations);
        SecretMasker masker = ctx.tools().masker();
        Path withheldFinal = req.withheldDir().toAbsolutePath().normalize();
        Path outFinal = req.outputDir().toAbsolutePath().normalize();
        try (StagedOutput out = StagedOutput.create(req.outputDir(), req.withheldDir(),
                req.settings().replaceOutput())) {
            Placed placed = place(ctx, out, rpms, evaluations, outFinal, withheldFinal);
            if (out.hasWithheld()) {
                Files.writeString(out.withheldDir().resolve("WITHHELD.txt"),
                        masker.mask(withheldReasons(policy, placed, report, outFinal)), StandardCharsets.UTF_8);
            }
            writeReport(ReportFormat.JSON, report, out.dir().resolve(JSON_REPORT), masker);
            writeReport(ReportFormat.HTML, report, out.dir().resolve(HTML_REPORT), masker);
            Map<String, String> tools = ToolVersions.collect(ctx.tools(), out.dir(), environment);
            Manifest manifest = manifest(req, facts, report, tools, placed.entries(),
                    out.hasWithheld() ? withheldFinal : null);
            manifest.write(out.dir().resolve(Manifest.FILE), masker);
            boolean repodata = repodata(ctx, out.dir(), environment);
            Sha256Sums.write(out.dir());
            ctx.checkAborted();
            out.commit();
            logPublished(ctx, placed, report, outFinal, withheldFinal);
            return new Result(report, placed.published(), placed.withheld(), outFinal.resolve(Manifest.FILE),
                    outFinal.resolve(Sha256Sums.FILE), outFinal.resolve(JSON_REPORT), outFinal.resolve(HTML_REPORT),
                    repodata);
        }
    }

    private static void checkUniqueNames(List<BuiltRpm> rpms) throws PhaseFailedException {
        Set<String> names = new HashSet<>();
        for (BuiltRpm r : rpms) {
            if (!names.add(r.fileName())) {
                throw new PhaseFailedException("two RPMs share the file name " + r.fileName());
            }
        }
    }

    /** The policy report of every RPM, also written to the phase log as text. */
    private static CheckReport report(PhaseContext ctx, DistributionPolicy policy, List<BuiltRpm> rpms,
                                      List<Evaluation> evaluations) throws IOException {
        List<PackageResult> results = new ArrayList<>();
        for (int i = 0; i < rpms.size(); i++) {
            results.add(PackageResult.evaluated(rpms.get(i).fileName(), rpms.get(i).pkg(), evaluations.get(i)));
        }
        CheckReport report = CheckReport.of(policy, results, 0);
        StringWriter text = new StringWriter();
        ReportFormat.TEXT.writer().write(report, text);
        text.toString().lines().forEach(ctx::log);
        return report;
    }

    /**
     * Where the RPMs went: the published ones and the withheld ones (final paths), the manifest's
     * entries, and each withheld RPM with its forbidding findings (for {@code WITHHELD.txt}).
     */
    private record Placed(List<Path> published, List<Path> withheld, List<Manifest.Rpm> entries, String forbidden) {
    }

    /** Copies each RPM into the staged output, or its withheld directory when the policy forbids it. */
    private static Placed place(PhaseContext ctx, StagedOutput out, List<BuiltRpm> rpms, List<Evaluation> evaluations,
                                Path outFinal, Path withheldFinal) throws IOException, AbortedException {
        String withheldRel = outFinal.relativize(withheldFinal).toString();
        List<Path> published = new ArrayList<>();
        List<Path> withheld = new ArrayList<>();
        List<Manifest.Rpm> entries = new ArrayList<>();
        StringBuilder why = new StringBuilder();
        for (int i = 0; i < rpms.size(); i++) {
            ctx.checkAborted();
            BuiltRpm r = rpms.get(i);
            Evaluation e = evaluations.get(i);
            boolean forbidden = e.verdict() == Verdict.FORBIDDEN;
            Path target = (forbidden ? out.withheldDir() : out.dir()).resolve(r.fileName());
            Files.copy(r.file(), target);
            if (forbidden) {
                withheld.add(withheldFinal.resolve(r.fileName()));
                why.append(r.fileName()).append('\n');
                e.findings().stream().filter(f -> f.severity() == Severity.FORBIDDEN).forEach(f -> why.append("    ")
                        .append(f.rule()).append(": ").append(f.message()).append('\n'));
            } else {
                published.add(outFinal.resolve(r.fileName()));
            }
            entries.add(entry(r, target, e, !forbidden, forbidden ? withheldRel + "/" + r.fileName() : r.fileName()));
        }
        return new Placed(published, withheld, entries, why.toString());
    }

    /** {@code WITHHELD.txt}: what was withheld and why, and the published RPMs that need a withheld one. */
    private static String withheldReasons(DistributionPolicy policy, Placed placed, CheckReport report,
                                          Path outFinal) {
        StringBuilder why = new StringBuilder("RPMs withheld from " + outFinal + " by the distribution policy "
                + policy.name() + ":\n\n").append(placed.forbidden());
        List<String> needing = needsWithheld(report);
        if (!needing.isEmpty()) {
            why.append("\nPublished RPMs that need a withheld one (they cannot be installed from ").append(outFinal)
                    .append(" alone):\n\n");
            needing.forEach(line -> why.append(line).append('\n'));
        }
        return why.toString();
    }

    private static void logPublished(PhaseContext ctx, Placed placed, CheckReport report, Path outFinal,
                                     Path withheldFinal) {
        int published = placed.published().size();
        int withheld = placed.withheld().size();
        ctx.log("published " + published + " RPM" + (published == 1 ? "" : "s") + " to " + outFinal
                + (withheld == 0 ? "" : "; withheld " + withheld + " forbidden RPM" + (withheld == 1 ? "" : "s")
                + " in " + withheldFinal));
        needsWithheld(report).forEach(line -> ctx.log("warning: published " + line));
    }

    /**
     * The evaluations with a {@link WithheldRequirements} warning on each published RPM that needs a
     * withheld one: it is still published, and the report and the summary say what it lacks.
     */
    static List<Evaluation> withheldRequirements(List<Evaluation> evaluations, List<BuiltRpm> rpms) {
        List<RpmPackage> published = new ArrayList<>();
        List<RpmPackage> withheld = new ArrayList<>();
        for (int i = 0; i < rpms.size(); i++) {
            (evaluations.get(i).verdict() == Verdict.FORBIDDEN ? withheld : published).add(rpms.get(i).pkg());
        }
        WithheldRequirements needs = new WithheldRequirements(published, withheld);
        List<Evaluation> out = new ArrayList<>();
        for (int i = 0; i < rpms.size(); i++) {
            Evaluation e = evaluations.get(i);
            List<Finding> more = e.verdict() == Verdict.FORBIDDEN ? List.of() : needs.findings(rpms.get(i).pkg());
            if (more.isEmpty()) {
                out.add(e);
            } else {
                List<Finding> all = new ArrayList<>(e.findings());
                all.addAll(more);
                out.add(Evaluation.of(all));
            }
        }
        return out;
    }

    /** A report written with the build's secrets masked. */
    private static void writeReport(ReportFormat format, CheckReport report, Path file, SecretMasker masker)
            throws IOException {
        StringWriter w = new StringWriter();
        format.writer().write(report, w);
        Files.writeString(file, masker.mask(w.toString()), StandardCharsets.UTF_8);
    }

    /** {@code lustre-osd-zfs-mount-2.15.4-1.el8.x86_64 requires kmod-lustre-osd-zfs (withheld: ...)}, one per need. */
    static List<String> needsWithheld(CheckReport report) {
        List<String> out = new ArrayList<>();
        for (PackageResult p : report.packages()) {
            for (Finding f : p.findings()) {
                if (f.rule().equals(WithheldRequirements.ID)) {
                    out.add(p.rpm().map(i -> i.nevra()).orElse(p.file()) + " " + f.message());
                }
            }
        }
        return out;
    }

    private static boolean repodata(PhaseContext ctx, Path dir, Map<String, String> environment)
            throws ToolFailedException, IOException, AbortedException {
        String path = environment.containsKey("PATH") ? environment.get("PATH") : System.getenv("PATH");
        if (ProgramPath.find("createrepo_c", path).isEmpty()) {
            ctx.log("createrepo_c is not installed: no yum repository metadata (repodata/) was made; install the "
                    + "createrepo_c package (EL: dnf install createrepo_c; Debian: apt install createrepo-c) to get it");
            return false;
        }
        ctx.tools().run(ToolCommand.of(dir, "createrepo_c", dir.toString()));
        return true;
    }

    private static Manifest.Rpm entry(BuiltRpm r, Path copy, Evaluation e, boolean published, String rel)
            throws IOException {
        RpmPackage p = r.pkg();
        List<Manifest.Finding> findings = e.findings().stream()
                .map(f -> new Manifest.Finding(f.rule(), f.severity().label(), f.message())).toList();
        return new Manifest.Rpm(r.fileName(), p.name(), p.epoch().isPresent() ? p.epoch().getAsInt() : null,
                p.version(), p.release(), p.arch(), r.origin().id(), Files.size(copy), Sha256.of(copy),
                e.verdict().name(), published, rel, findings);
    }

    private static Manifest manifest(BuildRequest req, BuildFacts f, CheckReport report, Map<String, String> tools,
                                     List<Manifest.Rpm> rpms, Path withheld) {
        OfedInput in = f.input();
        OfedRelease rel = in.release();
        String location = in.source().location().map(Object::toString).orElseGet(() -> in.installed()
                .map(t -> t.dir().toString()).orElse(in.source().describe()));
        if (in.source() instanceof OfedSource.Installed && in.rebuilds() && in.file().isPresent()) {
            location = in.file().get().toString();
        }
        if (in.source() instanceof OfedSource.DocaRepo doca && doca.dir().isPresent()) {
            location = doca.dir().get().toString();
        }
        Manifest.Ofed ofed = new Manifest.Ofed(location,
                in.file().map(p -> p.getFileName().toString()).orElse(null), rel.version(), rel.distro().orElse(null),
                rel.arch(), in.sha256().orElse(null), in.rebuilds() ? req.ofedRebuild().id() : null,
                f.ofed().keyHash(), f.ofed().cacheHit(), f.ofed().note(), in.source().field(), rel.flavour(),
                rel.docaVersion().orElse(null), in.rebuilds() ? (req.settings().ofedKmp() ? "kmp" : "modules") : null);
        Manifest.Kernel kernel = new Manifest.Kernel(f.kernel().release(), f.kernel().sourceDir().toString(),
                f.symversSha256());
        LustreOptions o = req.lustreOptions();
        LustreTree t = f.lustre();
        boolean git = t.ref().isPresent();
        Manifest.Lustre lustre = new Manifest.Lustre(git ? "git" : "directory", t.origin(), t.ref().orElse(null),
                t.commit().orElse(null), git ? null : t.dirty(), o.server(),
                o.backends().stream().map(LustreOptions.Backend::id).sorted().toList(),
                o.packaging().stream().map(LustreOptions.Packaging::id).sorted().toList(), o.makeJobs(),
                f.configureArgv(), f.o2ib().toString());
        return new Manifest(1, "mlnx-lustre " + EngineVersion.get(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), report.verdict().name(), report.policy(),
                ofed, kernel, lustre, tools, rpms, new Manifest.Reports(JSON_REPORT, HTML_REPORT),
                withheld == null ? null : withheld.toString());
    }
}

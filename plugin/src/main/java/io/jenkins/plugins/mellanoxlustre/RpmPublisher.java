package io.jenkins.plugins.mellanoxlustre;

import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Fingerprint;
import hudson.model.FingerprintMap;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Fingerprinter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.util.BuildListenerAdapter;

/**
 * Controller side of publishing a report: archives the files the agent listed (the distributable
 * RPMs, manifest, checksums, repository metadata and reports; never a forbidden RPM), records their
 * fingerprints, attaches the {@link LustreRpmsAction} and decides the build result.
 */
final class RpmPublisher {
    private static final JenkinsFacade JENKINS = new JenkinsFacade();

    private RpmPublisher() {
    }

    /** What publishing gave. */
    record Published(LustreRpmsAction action, Result result, String message, List<String> archived) {
    }

    /**
     * Fails early when this build already has a result for the same directory: two calls publishing
     * the same path would overwrite each other's artifacts.
     */
    static void checkUnique(Run<?, ?> run, LustreRpmsAction.Kind kind, String dir, String field) throws AbortException {
        String name = LustreRpmsAction.urlNameFor(kind, dir);
        for (LustreRpmsAction a : run.getActions(LustreRpmsAction.class)) {
            if (a.getUrlName().equals(name)) {
                throw new AbortException(field + ": '" + dir + "' was already used by another call in this build; "
                        + "give each call its own " + field + " (e.g. one per distro and backend)");
            }
        }
    }

    static Published publish(Run<?, ?> run, FilePath workspace, Launcher launcher, TaskListener listener,
                             LustreRpmsAction.Kind kind, RpmReport report, boolean archive)
            throws IOException, InterruptedException {
        List<ArchivedFile> files = archivable(report, listener);
        List<String> archived = new ArrayList<>();
        if (archive && !files.isEmpty()) {
            Map<String, String> artifacts = new LinkedHashMap<>();
            for (ArchivedFile f : files) {
                artifacts.put(f.getWorkspacePath(), f.getWorkspacePath());
                archived.add(f.getWorkspacePath());
            }
            listener.getLogger().println("[mellanox-lustre] archiving " + artifacts.size() + " file(s) from "
                    + report.getOutputDir());
            run.pickArtifactManager().archive(workspace, launcher, BuildListenerAdapter.wrap(listener), artifacts);
            fingerprint(run, files);
        }
        List<PackageRecord> packages = new ArrayList<>();
        Set<String> archivedNames = new HashSet<>();
        for (String a : archived) {
            archivedNames.add(a);
        }
        for (PackageRecord p : report.getPackages()) {
            String path = archivedPathOf(p, archived);
            packages.add(path == null ? p : p.archivedAs(path));
        }
        RpmReport updated = report.withPackages(packages);
        Outcome outcome = outcome(updated);
        LustreRpmsAction action = new LustreRpmsAction(kind, updated, archive && !archived.isEmpty(),
                outcome.result().toString());
        run.addAction(action);
        return new Published(action, outcome.result(), outcome.message(), archived);
    }

    /**
     * The agent's archive list, minus anything that must never leave: an RPM whose file name is that of
     * a forbidden (or unreadable) package, or an RPM the report does not call distributable.
     */
    static List<ArchivedFile> archivable(RpmReport report, TaskListener listener) {
        Set<String> distributable = new HashSet<>();
        Set<String> blocked = new HashSet<>();
        for (PackageRecord p : report.getPackages()) {
            if ("DISTRIBUTABLE".equals(p.getVerdict())) {
                distributable.add(p.getFileName());
            } else {
                blocked.add(p.getFileName());
            }
        }
        List<ArchivedFile> out = new ArrayList<>();
        for (ArchivedFile f : report.getFiles()) {
            boolean rpm = f.getFileName().endsWith(".rpm");
            if (rpm && (blocked.contains(f.getFileName()) || !distributable.contains(f.getFileName()))) {
                listener.getLogger().println("[mellanox-lustre] not archiving " + f.getWorkspacePath()
                        + ": not a distributable RPM under the policy");
                continue;
            }
            out.add(f);
        }
        return out;
    }

    private static String archivedPathOf(PackageRecord p, List<String> archived) {
        if (!"DISTRIBUTABLE".equals(p.getVerdict())) {
            return null;
        }
        for (String a : archived) {
            if (a.equals(p.getFile())) {
                return a;
            }
        }
        for (String a : archived) {
            if (a.endsWith("/" + p.getFileName()) || a.equals(p.getFileName())) {
                return a;
            }
        }
        return null;
    }

    /** Records each archived file's fingerprint against this build, as {@code fingerprint} does. */
    private static void fingerprint(Run<?, ?> run, List<ArchivedFile> files) throws IOException {
        FingerprintMap map = JENKINS.getFingerprintMap();
        Map<String, String> record = new LinkedHashMap<>();
        for (ArchivedFile f : files) {
            Fingerprint fp = map.getOrCreate(run, f.getFileName(), f.getMd5());
            fp.addFor(run);
            record.put(f.getWorkspacePath(), fp.getHashString());
        }
        Fingerprinter.FingerprintAction existing = run.getAction(Fingerprinter.FingerprintAction.class);
        if (existing != null) {
            existing.add(record);
        } else {
            run.addAction(new Fingerprinter.FingerprintAction(run, record));
        }
    }

    /** The result a report gives the build, and why. */
    record Outcome(Result result, String message) {
    }

    /**
     * {@code FAILURE} when a package is forbidden (only the {@code distribute} policy forbids) or a file
     * could not be read; {@code UNSTABLE} when the {@code internal} policy reported warnings; else
     * {@code SUCCESS}.
     */
    static Outcome outcome(RpmReport report) {
        List<String> forbidden = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (PackageRecord p : report.getPackages()) {
            if (p.isForbidden()) {
                forbidden.add(p.getFileName());
            } else if (p.isError()) {
                unreadable.add(p.getFile() + " (" + p.getError() + ")");
            }
        }
        if (!forbidden.isEmpty()) {
            return new Outcome(Result.FAILURE,
                    Messages.Result_Forbidden(forbidden.size(), report.getPolicy(), String.join(", ", forbidden)));
        }
        if (!unreadable.isEmpty()) {
            return new Outcome(Result.FAILURE, Messages.Result_Unreadable(unreadable.size(), String.join(", ", unreadable)));
        }
        if (report.getWarningCount() > 0) {
            return new Outcome(Result.UNSTABLE, Messages.Result_Warnings(report.getWarningCount(), report.getPolicy()));
        }
        return new Outcome(Result.SUCCESS, "");
    }
}

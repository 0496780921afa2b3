package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.files.Sha256;
import io.github.mellanoxlustre.kernel.MachineArch;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.ofed.DocaKernelSupportTool;
import io.github.mellanoxlustre.ofed.OfedKernelPackages;
import io.github.mellanoxlustre.ofed.OfedRelease;
import io.github.mellanoxlustre.ofed.OfedRpm;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ProgramPath;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.rpm.RpmFormatException;
import io.github.mellanoxlustre.rpm.RpmReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code doca-kernel-support} rebuild method (docs/tool-contracts.md, section 17): DOCA-Host's own
 * tool, from {@code doca-extra}, rebuilds the installed DOCA-OFED's kernel packages for a kernel and
 * writes {@code doca-kernel-repo-<doca version>-1.kver.<kernel>.<arch>.rpm} into a temporary
 * {@code /tmp/DOCA.*} directory it makes and leaves; the kernel packages are taken from that RPM's
 * payload, so phases 4 to 9 work on them as on any rebuilt OFED.
 */
final class DocaKernelSupportStep {
    /** The tool's name. */
    static final String TOOL = DocaKernelSupportTool.NAME;
    /** A repo RPM's path in the tool's output. */
    private static final Pattern PRINTED_RPM = Pattern.compile("(/\\S*/doca-kernel-repo-[^/\\s]*\\.rpm)");
    /** How many payload files a failure lists. */
    private static final int LISTED = 40;

    private final RpmReader reader;

    DocaKernelSupportStep(RpmReader reader) {
        this.reader = reader;
    }

    /**
     * Phase 2: the tool and, when {@code ofed_info} is on the PATH, the installed DOCA-OFED's version.
     * The tool's SHA-256 stands for the OFED file in the cache key (doca-extra ships a tool per DOCA release).
     */
    OfedInput input(PhaseContext ctx, OfedSource.Installed source, ResolvedKernel kernel, String path)
            throws PhaseFailedException, IOException, AbortedException, ToolFailedException {
        Path tool = DocaKernelSupportTool.locate(path).orElseThrow(() -> new PhaseFailedException(
                DocaKernelSupportTool.missing(path)));
        Optional<String> ofedInfo = Optional.empty();
        if (ProgramPath.find("ofed_info", path).isPresent()) {
            ofedInfo = InstalledOfedStep.firstLine(ctx, List.of("ofed_info", "-s"));
            ctx.log("ofed_info -s: " + ofedInfo.orElse("(nothing)"));
        }
        OfedRelease installed = OfedRelease.ofInstalled(ofedInfo, MachineArch.of(kernel));
        OfedRelease release = new OfedRelease(OfedRelease.DOCA_OFED, installed.version(), installed.arch(),
                Optional.empty(), Optional.empty());
        ctx.log("doca-kernel-support: " + tool + " (rebuilds the installed DOCA-OFED for " + kernel.release()
                + " in phase 3)");
        return new OfedInput(source, release, Optional.of(tool), Optional.of(Sha256.of(tool)), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static List<String> argv(String tool, String kernel) {
        return List.of(tool, "-k", kernel);
    }

    /** Phase 3: runs the tool, finds its repo RPM and unpacks it; returns the RPMs of its payload. */
    List<Path> rebuild(PhaseContext ctx, BuildRequest req, ResolvedKernel kernel, OfedInput input, WorkLayout w)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        Path tool = input.file().orElseThrow();
        boolean sudo = OfedRebuildPhase.useSudo(req.settings().sudo());
        ToolCommand cmd = new ToolCommand(argv(tool.toString(), kernel.release()), w.ofedBuild(), Map.of(),
                Set.of(0), List.of());
        // mtimes may have whole seconds only
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> printed = new ArrayList<>();
        OfedRebuildPhase.runAsRoot(ctx, cmd, sudo, TOOL, "use --ofed-rebuild srpm-rebuild with the DOCA "
                + "repository (--doca-repo, rootless)", line -> {
                    Matcher m = PRINTED_RPM.matcher(line);
                    if (m.find()) {
                        printed.add(m.group(1));
                    }
                });
        Path tmp = sudo ? Path.of("/tmp") : Path.of(req.settings().toolEnvironment().getOrDefault("TMPDIR", "/tmp"));
        Path repo = repoRpm(ctx, printed, tmp, started);
        ctx.log("doca-kernel-support left its temporary directory " + repo.getParent() + " in place (this build "
                + "did not create it and does not delete it)");
        ctx.checkAborted();
        Path payload = w.ofedExt();
        FileTrees.delete(payload);
        Files.createDirectories(payload);
        ctx.log("unpacking " + repo + " into " + payload);
        ctx.tools().pipe(ToolCommand.of(payload, OfedDevelPhase.rpm2cpioArgv(repo.toString())),
                ToolCommand.of(payload, OfedDevelPhase.cpioArgv()));
        List<Path> files = OfedKernelPackages.rpmFiles(payload);
        requireOfaKernel(repo, payload, files, kernel.release());
        return files;
    }

    /** The repo RPM: the path the tool printed, else the one in the {@code DOCA*} directory it made. */
    static Path repoRpm(PhaseContext ctx, List<String> printed, Path tmp, Instant started)
            throws IOException, PhaseFailedException {
        for (int i = printed.size() - 1; i >= 0; i--) {
            Path p = Path.of(printed.get(i));
            if (Files.isRegularFile(p)) {
                ctx.log("doca-kernel-support made " + p + " (named in its output)");
                return p;
            }
        }
        List<Path> found = scan(tmp, started);
        if (found.size() == 1) {
            ctx.log("doca-kernel-support made " + found.get(0) + " (its output named no repo RPM: found the newest "
                    + "doca-kernel-repo-*.rpm in a " + tmp + "/DOCA* directory made during the run)");
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new PhaseFailedException("doca-kernel-support succeeded but neither named a doca-kernel-repo-*.rpm "
                    + "in its output nor left one in a " + tmp + "/DOCA* directory made after " + started,
                    printed.stream().map(p -> "named but missing: " + p).toList());
        }
        throw new PhaseFailedException("doca-kernel-support named no doca-kernel-repo-*.rpm in its output and "
                + found.size() + " " + tmp + "/DOCA* directories made during the run hold one; not guessing "
                + "between them: " + String.join(" and ", found.stream().map(Path::toString).toList()));
    }

    /** Per {@code DOCA*} directory under {@code tmp} changed since {@code started}: its newest repo RPM made since. */
    static List<Path> scan(Path tmp, Instant started) throws IOException {
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(tmp)) {
            dirs = s.filter(p -> p.getFileName().toString().startsWith("DOCA") && Files.isDirectory(p)
                    && since(p, started)).sorted().toList();
        }
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            try (Stream<Path> s = Files.walk(d, 3)) {
                s.filter(p -> isRepoRpm(p) && since(p, started))
                        .max(Comparator.comparing(DocaKernelSupportStep::mtime)).ifPresent(out::add);
            }
        }
        return out;
    }

    private static boolean isRepoRpm(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith("doca-kernel-repo-") && n.endsWith(".rpm") && Files.isRegularFile(p);
    }

    private static boolean since(Path p, Instant started) {
        return !mtime(p).isBefore(started);
    }

    private static Instant mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** The payload must hold {@code mlnx-ofa_kernel}'s kernel packages for the kernel. */
    private void requireOfaKernel(Path repo, Path payload, List<Path> files, String kernel)
            throws IOException, PhaseFailedException {
        List<OfedRpm> selected;
        try {
            selected = OfedKernelPackages.select(files, kernel, reader);
        } catch (RpmFormatException e) {
            throw new PhaseFailedException(repo.getFileName() + " holds an RPM that cannot be read: " + e.getMessage());
        }
        boolean ofaKernel = selected.stream().anyMatch(r -> r.pkg().name().startsWith(OfedKernelPackages.SOURCE_PACKAGE)
                || r.pkg().name().startsWith("kmod-" + OfedKernelPackages.SOURCE_PACKAGE));
        if (ofaKernel) {
            return;
        }
        List<String> held = new ArrayList<>();
        try (Stream<Path> s = Files.walk(payload)) {
            s.filter(Files::isRegularFile).sorted().limit(LISTED).forEach(p -> held.add("holds: /" + payload.relativize(p)));
        }
        if (held.isEmpty()) {
            held.add("holds: nothing");
        }
        throw new PhaseFailedException(repo + " (made by doca-kernel-support) holds no mlnx-ofa_kernel kernel packages "
                + "for " + kernel + " (kmod-mlnx-ofa_kernel, mlnx-ofa_kernel-devel, mlnx-ofa_kernel-modules, ...)",
                held);
    }
}

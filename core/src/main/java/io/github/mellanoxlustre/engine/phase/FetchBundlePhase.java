package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.engine.preflight.Preflight;
import io.github.mellanoxlustre.engine.preflight.PreflightReport;
import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.kernel.MachineArch;
import io.github.mellanoxlustre.kernel.ResolvedKernel;
import io.github.mellanoxlustre.ofed.BundleChecksumException;
import io.github.mellanoxlustre.ofed.BundleFetcher;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.ExtractedArchive;
import io.github.mellanoxlustre.ofed.FetchedBundle;
import io.github.mellanoxlustre.ofed.OfedBundleName;
import io.github.mellanoxlustre.ofed.OfedRelease;
import io.github.mellanoxlustre.ofed.DocaKernelSupportTool;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ofed.SafeArchiveExtractor;
import io.github.mellanoxlustre.ofed.UnsafeArchiveException;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.rpm.RpmFormatException;
import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.rpm.RpmReader;
import io.github.mellanoxlustre.ssh.HostKeyRejectedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Phase 2: get OFED. For a bundle, a source RPM or a DOCA repository's sources archive: fetch it ({@link BundleFetcher}: local copy, HTTP(S), or SFTP/SCP with the host
 * key verified), verify its SHA-256, and extract it with {@link SafeArchiveExtractor} (no entry may
 * leave the target: {@code ..}, absolute paths, links pointing out, device files stop the build and
 * name the entry). A source RPM's header must be {@code mlnx-ofa_kernel}'s (its version is read there);
 * a DOCA repository's {@code SOURCES/mlnx_ofed/MLNX_OFED_SRC-*.tgz} is extracted and its
 * {@code SRPMS/mlnx-ofa_kernel-*.src.rpm} taken. An installed OFED is found by {@link InstalledOfedTree}.
 */
public final class FetchBundlePhase {
    static final Phase PHASE = Phase.GET_OFED;

    /** Kept free below the free space preflight measured: 1 GiB, or a tenth of that space when less. */
    static final long MAX_MARGIN = 1L << 30;

    private final BundleFetcher fetcher;
    private final RpmReader reader = new RpmReader();
    private final Optional<PreflightReport.FreeSpace> workSpace;
    private SafeArchiveExtractor extractor;

    /**
     * @param workSpace the free space preflight measured for the work directory: the extraction limit
     *                  is lowered to it, less the fetched bundle and a margin (see {@link #limited})
     */
    public FetchBundlePhase(BundleFetcher fetcher, SafeArchiveExtractor extractor,
                     Optional<PreflightReport.FreeSpace> workSpace) {
        this.fetcher = fetcher;
        this.extractor = extractor;
        this.workSpace = workSpace;
    }

    /** The extractor with the limit this phase used (phase 3 extracts with the same). */
    public SafeArchiveExtractor extractor() {
        return extractor;
    }

    /**
     * {@code base} with its byte limit lowered to what fits in the work directory: the free space
     * preflight measured, less {@code fetchedBytes} (the bundle downloaded since) and a margin of
     * {@link #MAX_MARGIN} or a tenth of the free space, whichever is less. The error of an extraction
     * this limit stops says so, with the numbers and what to do.
     */
    static SafeArchiveExtractor limited(SafeArchiveExtractor base, Optional<PreflightReport.FreeSpace> space,
                                        long fetchedBytes) {
        if (space.isEmpty()) {
            return base;
        }
        PreflightReport.FreeSpace s = space.get();
        long margin = Math.min(MAX_MARGIN, s.usableBytes() / 10);
        long limit = s.usableBytes() - fetchedBytes - margin;
        return base.limitedTo(limit, "the free space on the work directory " + s.dir() + " (" + s.fileSystem()
                + ") measured at preflight, " + s.usableBytes() + " bytes (" + size(s.usableBytes())
                + "), less " + fetchedBytes + " bytes for the fetched bundle and a margin of " + margin + " bytes: "
                + "the archive does not fit there (or is a compression bomb); free space on that file system or "
                + "use a work directory on a larger one");
    }

    public static PlannedPhase plan(BuildRequest r, WorkLayout w) {
        if (r.ofed() instanceof OfedSource.Installed && r.ofedRebuild() == RebuildMethod.DOCA_KERNEL_SUPPORT) {
            return new PlannedPhase(PHASE, "installed DOCA-OFED", List.of("find doca-kernel-support on the tools' "
                    + "PATH, else at " + DocaKernelSupportTool.DEFAULT + " (package " + DocaKernelSupportTool.PACKAGE
                    + "), and record its SHA-256 (it stands for the OFED file in the cache key)", "ofed_info -s, when "
                    + "on the PATH, gives the installed DOCA-OFED's version; nothing is fetched"), List.of());
        }
        if (r.ofed() instanceof OfedSource.Installed installed) {
            return new PlannedPhase(PHASE, "installed OFED", List.of("find the installed OFED's kernel tree "
                    + installed.dir().map(d -> "at or under " + d).orElse("on this machine (ofed_info and the "
                    + "package manager when ofed_info is on the PATH)") + ": a directory with include/rdma/rdma_cm.h, "
                    + "looked for at usr/src/ofa_kernel/<arch>/<kernel>, usr/src/ofa_kernel-dkms/<arch>/<kernel>, "
                    + "usr/src/ofa_kernel/default; two different trees stop the build", "nothing is fetched, "
                    + "rebuilt or published from OFED"), List.of());
        }
        if (r.ofed() instanceof OfedSource.DocaRepo doca && doca.dir().isPresent()) {
            return new PlannedPhase(PHASE, "DOCA repository", List.of("find SOURCES/mlnx_ofed/MLNX_OFED_SRC-"
                    + "*.tgz in " + doca.dir().get() + " (or in it directly), copy it to " + w.download()
                    + " and record its SHA-256", "extract it safely into " + w.ofedSrc() + " and take its "
                    + "SRPMS/mlnx-ofa_kernel-*.src.rpm (the repository's prebuilt kernel packages are for the stock "
                    + "kernel and are not used)"), List.of());
        }
        BundleLocation location = r.ofed().location().orElseThrow();
        List<String> notes = new ArrayList<>();
        String how;
        if (location instanceof BundleLocation.Local l) {
            how = "copy " + l.path().toAbsolutePath();
        } else if (location instanceof BundleLocation.Http h) {
            how = "download " + h.uri().getScheme() + "://" + h.uri().getHost()
                    + (h.uri().getPort() < 0 ? "" : ":" + h.uri().getPort()) + h.uri().getPath();
        } else {
            how = "read " + location + " over SSH (key " + r.bundleSsh().map(a -> a.privateKey().toString())
                    .orElse("?") + ", host key checked against " + r.bundleSsh().map(a -> a.knownHosts().toString())
                    .orElse("?") + ")";
        }
        notes.add(how + " to " + w.download().resolve(location.fileName()));
        notes.add(location.sha256().map(s -> "verify SHA-256 " + s)
                .orElse("compute its SHA-256 (none given to compare) and record it in the manifest"));
        if (r.ofed() instanceof OfedSource.Bundle) {
            notes.add("extract safely into " + w.bundle() + " (no '..', absolute paths, links out or device files; "
                    + "no more than the free space preflight measures there, less the bundle and a margin); <bundle> = "
                    + w.bundle().resolve(location.bundleName().baseName()));
        } else if (r.ofed() instanceof OfedSource.SourceRpm) {
            notes.add("read its header: it must be the source RPM of mlnx-ofa_kernel (the version is read there)");
        } else {
            notes.add("extract it safely into " + w.ofedSrc() + " and take its SRPMS/mlnx-ofa_kernel-*.src.rpm");
        }
        return new PlannedPhase(PHASE, location.fileName(), notes, List.of());
    }

    /** {@code bytes} in MiB below 1 GiB, in GiB above. */
    static String size(long bytes) {
        return bytes < (1L << 30) ? String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20))
                : Preflight.gib(bytes);
    }

    public OfedInput run(PhaseContext ctx, BuildRequest req, ResolvedKernel kernel, WorkLayout w)
            throws PhaseFailedException, IOException, AbortedException, ToolFailedException {
        OfedInput input;
        if (req.ofed() instanceof OfedSource.Bundle) {
            input = OfedInput.ofBundle(req.ofed(), runBundle(ctx, req, w));
        } else if (req.ofed() instanceof OfedSource.SourceRpm) {
            FetchedBundle fetched = fetch(ctx, req, req.ofed().location().orElseThrow(), w);
            input = OfedInput.ofSourceRpm(req.ofed(), srpmRelease(fetched.file(), kernel, Optional.empty(), false),
                    fetched.file(), fetched.sha256(), fetched.file());
        } else if (req.ofed() instanceof OfedSource.DocaRepo doca) {
            input = doca(ctx, req, doca, kernel, w);
        } else if (req.ofedRebuild() == RebuildMethod.DOCA_KERNEL_SUPPORT) {
            input = new DocaKernelSupportStep(reader).input(ctx, (OfedSource.Installed) req.ofed(), kernel,
                    req.settings().toolEnvironment().getOrDefault("PATH", ""));
        } else {
            input = new InstalledOfedStep().run(ctx, (OfedSource.Installed) req.ofed(), kernel,
                    req.settings().toolEnvironment().getOrDefault("PATH", ""));
        }
        ctx.log("OFED: " + input.release().describe() + " (from the " + req.ofed().describe() + ")");
        return input;
    }

    private OfedInput doca(PhaseContext ctx, BuildRequest req, OfedSource.DocaRepo doca, ResolvedKernel kernel,
                           WorkLayout w) throws PhaseFailedException, IOException, AbortedException {
        BundleLocation archive = doca.sources().isPresent() ? doca.sources().get() : docaArchive(doca.dir().get());
        FetchedBundle fetched = fetch(ctx, req, archive, w);
        ctx.checkAborted();
        extractor = limited(extractor, workSpace, Files.size(fetched.file()));
        FileTrees.delete(w.ofedSrc());
        Files.createDirectories(w.ofedSrc());
        extract(fetched.file(), w.ofedSrc());
        List<Path> found = OfedRebuildPhase.srpms(w.ofedSrc(), 4);
        if (found.size() != 1) {
            throw new PhaseFailedException(archive.fileName() + " has " + (found.isEmpty() ? "no" : found.size())
                    + " SRPMS/mlnx-ofa_kernel-*.src.rpm", found.stream().map(Path::toString).toList());
        }
        OfedRelease release = srpmRelease(found.get(0), kernel, doca.docaVersion(), true);
        return OfedInput.ofSourceRpm(req.ofed(), release, fetched.file(), fetched.sha256(), found.get(0));
    }

    /** The sources archive of a local DOCA repository directory ({@code doca/<version>/} or its {@code SOURCES/mlnx_ofed}). */
    static BundleLocation docaArchive(Path dir) throws PhaseFailedException, IOException {
        List<Path> found = new ArrayList<>();
        for (Path d : List.of(dir.resolve("SOURCES/mlnx_ofed"), dir)) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.getFileName().toString().matches("MLNX_OFED_SRC-[0-9].*\\.(tgz|tar\\.gz)")
                            && Files.isRegularFile(p)).sorted().forEach(found::add);
                }
            }
            if (!found.isEmpty()) {
                break;
            }
        }
        if (found.size() != 1) {
            List<String> details = new ArrayList<>(found.stream().map(p -> "found: " + p).toList());
            if (Files.isDirectory(dir.resolve("SOURCES"))) {
                try (Stream<Path> s = Files.list(dir.resolve("SOURCES"))) {
                    s.sorted().forEach(p -> details.add("in SOURCES: " + p.getFileName()));
                }
            }
            throw new PhaseFailedException("docaRepo: " + dir + (found.isEmpty() ? " has no" : " has several")
                    + " SOURCES/mlnx_ofed/MLNX_OFED_SRC-<version>.tgz; expected a DOCA-Host repository's doca/<version>/ "
                    + "directory" + (found.isEmpty() ? "" : " with one; name the archive itself"), details);
        }
        return BundleLocation.parse(BundleLocation.Kind.DOCA_SOURCES, found.get(0).toString(), null);
    }

    /** Extracts {@code file} safely into {@code target}; an unsafe entry or a broken archive stops the phase. */
    private ExtractedArchive extract(Path file, Path target) throws PhaseFailedException, InterruptedIOException {
        try {
            return extractor.extract(file, target);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (UnsafeArchiveException e) {
            throw new PhaseFailedException(e.getMessage(), List.of("offending entry: " + e.entry()), e);
        } catch (IOException e) {
            throw new PhaseFailedException("cannot extract " + file + ": " + e.getMessage(), List.of(), e);
        }
    }

    /** Which OFED a source RPM is, from its header; it must be mlnx-ofa_kernel's source package. */
    private OfedRelease srpmRelease(Path srpm, ResolvedKernel kernel, Optional<String> docaVersion, boolean doca)
            throws PhaseFailedException {
        RpmPackage pkg;
        try {
            pkg = reader.read(srpm);
        } catch (RpmFormatException e) {
            throw new PhaseFailedException("ofedSrpm: " + srpm.getFileName() + " cannot be read as an RPM: "
                    + e.getReason());
        }
        if (!pkg.source() || !OfedRebuildPhase.SOURCE_PACKAGE.equals(pkg.name())) {
            throw new PhaseFailedException("ofedSrpm: " + srpm.getFileName() + " is " + (pkg.source()
                    ? "the source RPM of " + pkg.name() : "a binary package (" + pkg.nevra() + ")") + ", not the "
                    + "source RPM of " + OfedRebuildPhase.SOURCE_PACKAGE + "; expected mlnx-ofa_kernel-<version>.src.rpm "
                    + "(from a bundle's src/MLNX_OFED_SRC-*.tgz or a DOCA repository)");
        }
        return OfedRelease.ofSourceRpm(pkg.version(), pkg.release(), MachineArch.of(kernel), docaVersion, doca);
    }

    private FetchedBundle fetch(PhaseContext ctx, BuildRequest req, BundleLocation location, WorkLayout w)
            throws PhaseFailedException, IOException {
        try {
            return fetcher.fetch(location, req.bundleSsh(), w.download(), ctx::log);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (BundleChecksumException e) {
            throw new PhaseFailedException((location.kind() == BundleLocation.Kind.BUNDLE ? "the bundle's SHA-256"
                    : "the SHA-256 of " + location.fileName()) + " does not match: " + e.getMessage(),
                    List.of("expected " + e.expected(), "actual   " + e.actual()), e);
        } catch (HostKeyRejectedException e) {
            throw new PhaseFailedException(e.getMessage(), List.of(), e);
        } catch (IOException e) {
            throw new PhaseFailedException("cannot fetch " + (location.kind() == BundleLocation.Kind.BUNDLE
                    ? "the bundle " : "") + location + ": " + e.getMessage(), List.of(), e);
        }
    }

    private OfedBundleDir runBundle(PhaseContext ctx, BuildRequest req, WorkLayout w)
            throws PhaseFailedException, IOException, AbortedException {
        BundleLocation location = req.ofed().location().orElseThrow();
        FetchedBundle fetched = fetch(ctx, req, location, w);
        ctx.checkAborted();
        extractor = limited(extractor, workSpace, Files.size(fetched.file()));
        ctx.log("extraction limit: " + extractor.maxBytes() + " bytes (" + size(extractor.maxBytes()) + ")");
        FileTrees.delete(w.bundle());
        ExtractedArchive extracted = extract(fetched.file(), w.bundle());
        OfedBundleName name = location.bundleName();
        Path dir = w.bundle().resolve(name.baseName());
        if (!Files.isDirectory(dir)) {
            if (extracted.topLevel().size() == 1 && Files.isDirectory(w.bundle().resolve(extracted.topLevel().get(0)))) {
                dir = w.bundle().resolve(extracted.topLevel().get(0));
                ctx.log("the bundle's top directory is " + dir.getFileName() + " (expected " + name.baseName() + ")");
            } else {
                throw new PhaseFailedException("the bundle has no top directory " + name.baseName(),
                        extracted.topLevel().stream().map(t -> "top-level entry: " + t).toList());
            }
        }
        ctx.log("bundle extracted: " + extracted.entries() + " entries, " + extracted.bytes() + " bytes in " + dir);
        return new OfedBundleDir(dir, name, fetched.sha256(), fetched.file());
    }
}

package io.github.mellanoxlustre.build;

import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.ofed.BundleChecksumException;
import io.github.mellanoxlustre.ofed.BundleFetcher;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.ExtractedArchive;
import io.github.mellanoxlustre.ofed.FetchedBundle;
import io.github.mellanoxlustre.ofed.HostKeyRejectedException;
import io.github.mellanoxlustre.ofed.OfedBundleName;
import io.github.mellanoxlustre.ofed.SafeArchiveExtractor;
import io.github.mellanoxlustre.ofed.UnsafeArchiveException;
import io.github.mellanoxlustre.process.AbortedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Phase 2: fetch the bundle ({@link BundleFetcher}: local copy, HTTP(S), or SFTP/SCP with the host
 * key verified), verify its SHA-256, and extract it with {@link SafeArchiveExtractor} (no entry may
 * leave the target: {@code ..}, absolute paths, links pointing out, device files stop the build and
 * name the entry).
 */
final class FetchBundlePhase {
    static final String TITLE = "Fetch and extract the MLNX_OFED bundle";

    /** Kept free below the free space preflight measured: 1 GiB, or a tenth of that space when less. */
    static final long MAX_MARGIN = 1L << 30;

    private final BundleFetcher fetcher;
    private final Optional<PreflightReport.FreeSpace> workSpace;
    private SafeArchiveExtractor extractor;

    /**
     * @param workSpace the free space preflight measured for the work directory: the extraction limit
     *                  is lowered to it, less the fetched bundle and a margin (see {@link #limited})
     */
    FetchBundlePhase(BundleFetcher fetcher, SafeArchiveExtractor extractor,
                     Optional<PreflightReport.FreeSpace> workSpace) {
        this.fetcher = fetcher;
        this.extractor = extractor;
        this.workSpace = workSpace;
    }

    /** The extractor with the limit this phase used (phase 3 extracts with the same). */
    SafeArchiveExtractor extractor() {
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

    static PlannedPhase plan(int index, BuildRequest r, WorkLayout w) {
        OfedBundleName n = r.bundle().bundleName();
        List<String> notes = new ArrayList<>();
        String how;
        if (r.bundle() instanceof BundleLocation.Local l) {
            how = "copy " + l.path().toAbsolutePath();
        } else if (r.bundle() instanceof BundleLocation.Http h) {
            how = "download " + h.uri().getScheme() + "://" + h.uri().getHost()
                    + (h.uri().getPort() < 0 ? "" : ":" + h.uri().getPort()) + h.uri().getPath();
        } else {
            how = "read " + r.bundle() + " over SSH (key " + r.bundleSsh().map(a -> a.privateKey().toString())
                    .orElse("?") + ", host key checked against " + r.bundleSsh().map(a -> a.knownHosts().toString())
                    .orElse("?") + ")";
        }
        notes.add(how + " to " + w.download().resolve(n.fileName()));
        notes.add(r.bundle().sha256().map(s -> "verify SHA-256 " + s)
                .orElse("compute its SHA-256 (none given to compare) and record it in the manifest"));
        notes.add("extract safely into " + w.bundle() + " (no '..', absolute paths, links out or device files; "
                + "no more than the free space preflight measures there, less the bundle and a margin); <bundle> = "
                + w.bundle().resolve(n.baseName()));
        return new PlannedPhase(index, TITLE, n.fileName(), notes, List.of());
    }

    /** {@code bytes} in MiB below 1 GiB, in GiB above. */
    static String size(long bytes) {
        return bytes < (1L << 30) ? String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20))
                : Preflight.gib(bytes);
    }

    OfedBundleDir run(PhaseContext ctx, BuildRequest req, WorkLayout w)
            throws PhaseFailedException, IOException, AbortedException {
        FetchedBundle fetched;
        try {
            fetched = fetcher.fetch(req.bundle(), req.bundleSsh(), w.download(), ctx::log);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (BundleChecksumException e) {
            throw new PhaseFailedException("the bundle's SHA-256 does not match: " + e.getMessage(),
                    List.of("expected " + e.expected(), "actual   " + e.actual()), e);
        } catch (HostKeyRejectedException e) {
            throw new PhaseFailedException(e.getMessage(), List.of(), e);
        } catch (IOException e) {
            throw new PhaseFailedException("cannot fetch the bundle " + req.bundle() + ": " + e.getMessage(),
                    List.of(), e);
        }
        ctx.checkAborted();
        extractor = limited(extractor, workSpace, Files.size(fetched.file()));
        ctx.log("extraction limit: " + extractor.maxBytes() + " bytes (" + size(extractor.maxBytes()) + ")");
        FileTrees.delete(w.bundle());
        ExtractedArchive extracted;
        try {
            extracted = extractor.extract(fetched.file(), w.bundle());
        } catch (InterruptedIOException e) {
            throw e;
        } catch (UnsafeArchiveException e) {
            throw new PhaseFailedException(e.getMessage(), List.of("offending entry: " + e.entry()), e);
        } catch (IOException e) {
            throw new PhaseFailedException("cannot extract " + fetched.file() + ": " + e.getMessage(), List.of(), e);
        }
        OfedBundleName name = req.bundle().bundleName();
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

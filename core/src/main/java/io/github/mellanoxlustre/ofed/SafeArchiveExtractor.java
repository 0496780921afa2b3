package io.github.mellanoxlustre.ofed;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.Charset;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Phase 2, second half: extracts a {@code .tgz} (the MLNX_OFED bundle) into a directory such that no
 * entry can write, link or point outside it.
 *
 * <p>Rules, checked entry by entry; the first offending entry stops extraction with an
 * {@link UnsafeArchiveException} naming it, and the target directory is removed:
 * <ul>
 *   <li>Names: an absolute name ({@code /etc/x}) or one with a {@code ..} component is refused; a
 *       leading {@code ./} is dropped. Names and link targets must be usable as Linux paths: no NUL,
 *       every character representable in the file-name encoding of the locale ({@code LC_ALL=C}
 *       allows ASCII only), at most {@value #MAX_PATH_BYTES} bytes (and short enough to fit under the
 *       target directory within {@code PATH_MAX}), components at most {@value #MAX_COMPONENT_BYTES}
 *       bytes, all of them together at most {@value #MAX_TOTAL_NAME_BYTES} bytes. Names are read as
 *       UTF-8.</li>
 *   <li>Tar extensions: GNU long names and PAX headers are bounded before they are read into memory
 *       ({@link BoundedTarInputStream}).</li>
 *   <li>Types: regular files, directories, symbolic links and hard links only. Character and block
 *       devices, FIFOs and other types (volume headers, multi-volume continuations) are refused.</li>
 *   <li>Symbolic links: the target must be relative and, resolved from the link's directory, stay
 *       inside the target directory. Links are created only after every other entry has been written
 *       (so nothing is ever written through one), and then each link is resolved again through the
 *       finished tree, following every link it passes (at most 40 hops): a chain of individually
 *       harmless links that together point outside is refused too. An entry whose path goes through a
 *       symbolic link the archive declared earlier is refused.</li>
 *   <li>Hard links must name a regular file extracted earlier from the same archive.</li>
 *   <li>An entry appearing twice (other than a directory) is refused.</li>
 *   <li>Limits: at most {@link #maxEntries()} entries (default {@value #DEFAULT_MAX_ENTRIES}) and
 *       {@link #maxBytes()} bytes of file content (default 32 GiB; an MLNX_OFED bundle is a few hundred
 *       MiB to a few GiB unpacked; a build lowers it to the free space of its work directory with
 *       {@link #limitedTo}), counted as written, so a compression bomb stops at the limit. The error
 *       says which limit it was, where it comes from and what to do.</li>
 * </ul>
 *
 * <p>Modes: the permission bits of files and directories are kept (the bundle's scripts stay
 * executable), without setuid, setgid and sticky bits; the owner always keeps read permission on files
 * and read, write and search permission on directories (so the tree can be removed later). Ownership
 * is not restored. Modification times of files are kept.
 *
 * <p>The target directory must not exist or be empty; it is created.
 */
public final class SafeArchiveExtractor {

    /** Default limit on the number of entries. */
    public static final int DEFAULT_MAX_ENTRIES = 200_000;

    /** Default limit on the bytes of file content: 32 GiB. */
    public static final long DEFAULT_MAX_BYTES = 32L << 30;

    /** Limit of an entry's name or link target in bytes ({@code PATH_MAX} less the terminating NUL). */
    static final int MAX_PATH_BYTES = 4095;
    /** Limit of one component of a name or link target in bytes ({@code NAME_MAX}). */
    static final int MAX_COMPONENT_BYTES = 255;
    /** Limit of all names and link targets of an archive together, in bytes. */
    static final int MAX_TOTAL_NAME_BYTES = 16 << 20;

    private static final int MAX_LINK_HOPS = 40;
    private static final int BUFFER = 128 * 1024;

    private final long maxBytes;
    private final int maxEntries;
    private final Charset fileNames;
    /** Where {@link #maxBytes} comes from, and what to do when an archive exceeds it. */
    private final String limitSource;

    public SafeArchiveExtractor() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES);
    }

    public SafeArchiveExtractor(long maxBytes, int maxEntries) {
        this(maxBytes, maxEntries, platformFileNames());
    }

    /** With {@code fileNames} as the encoding of file names (tests; otherwise the platform's). */
    SafeArchiveExtractor(long maxBytes, int maxEntries, Charset fileNames) {
        this(maxBytes, maxEntries, fileNames, maxBytes == DEFAULT_MAX_BYTES
                ? "the extractor's maximum, far above any MLNX_OFED bundle (a few GiB unpacked): this archive is no "
                + "bundle or a compression bomb; check that it is the file you meant"
                : "the limit this extractor was made with");
        if (maxBytes < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }

    private SafeArchiveExtractor(long maxBytes, int maxEntries, Charset fileNames, String limitSource) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
        this.fileNames = Objects.requireNonNull(fileNames, "fileNames");
        this.limitSource = Objects.requireNonNull(limitSource, "limitSource");
    }

    /**
     * This extractor with the byte limit lowered to {@code bytes} (0 or more) when that is lower than
     * {@link #maxBytes()}; {@code source} says where the lower limit comes from and what to do when an
     * archive exceeds it, and goes into that error. E.g. the free space of the work directory:
     * {@code "the free space on /work measured at preflight (...); free some space there or ..."}.
     */
    public SafeArchiveExtractor limitedTo(long bytes, String source) {
        Objects.requireNonNull(source, "source");
        if (bytes >= maxBytes) {
            return this;
        }
        return new SafeArchiveExtractor(Math.max(0, bytes), maxEntries, fileNames, source);
    }

    /**
     * The encoding the JVM turns file names into bytes with ({@code sun.jnu.encoding}, from the
     * locale: ASCII under {@code LC_ALL=C}); a name it cannot encode is no valid {@link Path}.
     */
    static Charset platformFileNames() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", ""));
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /**
     * Extracts the gzip-compressed tar {@code archive} into {@code target}.
     *
     * @throws UnsafeArchiveException naming the first entry that breaks a rule
     * @throws InterruptedIOException when the thread is interrupted (build aborted)
     * @throws IOException            when the archive cannot be read (not gzip, truncated, ...) or the
     *                                target cannot be written; in every case the target is removed
     */
    public ExtractedArchive extract(Path archive, Path target) throws IOException {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(target, "target");
        if (!Files.isRegularFile(archive)) {
            throw new IOException("archive " + archive + " is not a regular file");
        }
        Path dir = target.toAbsolutePath().normalize();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("extraction target " + dir + " exists and is not a directory");
            }
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IOException("extraction target " + dir + " is not empty");
                }
            }
        }
        Files.createDirectories(dir);
        Run run = new Run(archive, dir.toRealPath());
        boolean ok = false;
        try {
            ExtractedArchive result = run.extract();
            ok = true;
            return result;
        } catch (ClosedByInterruptException e) {
            InterruptedIOException ie = new InterruptedIOException("extraction of " + archive.getFileName()
                    + " interrupted (build aborted)");
            ie.initCause(e);
            throw ie;
        } finally {
            if (!ok) {
                deleteTree(dir);
            }
        }
    }

    /** One extraction. */
    private final class Run {
        private final Path archive;
        private final Path root;
        private final String label;
        /** Symbolic links declared by the archive, created at the end: relative path to link target. */
        private final Map<String, String> symlinks = new LinkedHashMap<>();
        private final Set<String> regularFiles = new HashSet<>();
        /** Directories extracted, with what to apply at the end (not the entry: it may hold 64 KiB of PAX). */
        private final Map<Path, DirectoryMode> directories = new LinkedHashMap<>();
        private int entries;
        private long bytes;
        private long nameBytes;
        /** Longest name that fits under root within PATH_MAX. */
        private final int maxNameBytes;

        Run(Path archive, Path root) {
            this.archive = archive;
            this.root = root;
            this.maxNameBytes = MAX_PATH_BYTES - root.toString().getBytes(fileNames).length - 1;
            this.label = archive.getFileName().toString();
        }

        ExtractedArchive extract() throws IOException {
            try (InputStream file = Files.newInputStream(archive);
                 InputStream gz = gunzip(file);
                 BoundedTarInputStream tar = BoundedTarInputStream.open(gz, label)) {
                TarArchiveEntry entry;
                while ((entry = nextEntry(tar)) != null) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("extraction of " + label + " interrupted (build aborted)");
                    }
                    if (++entries > maxEntries) {
                        throw unsafe(printable(entry.getName()), "exceeds the limit of " + maxEntries + " entries");
                    }
                    try {
                        extractEntry(tar, entry);
                    } catch (InvalidPathException e) {
                        throw unsafe(printable(entry.getName()), "cannot be a file name on this machine: "
                                + e.getMessage());
                    }
                }
            }
            if (entries == 0) {
                throw new IOException("archive " + archive + " holds no entries");
            }
            createSymlinks();
            applyDirectoryModes();
            List<String> top;
            try (Stream<Path> s = Files.list(root)) {
                top = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            return new ExtractedArchive(root, entries, bytes, top);
        }

        private InputStream gunzip(InputStream file) throws IOException {
            try {
                return GzipCompressorInputStream.builder()
                        .setInputStream(new BufferedInputStream(file, BUFFER))
                        .setDecompressConcatenated(true)
                        .get();
            } catch (IOException e) {
                throw new IOException("cannot read archive " + archive + " (not a gzip-compressed tar file): "
                        + BundleFetcher.describe(e), e);
            }
        }

        private TarArchiveEntry nextEntry(BoundedTarInputStream tar) throws IOException {
            try {
                return tar.next();
            } catch (UnsafeArchiveException | InterruptedIOException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read archive " + archive + " (not a gzip-compressed tar file, "
                        + "or damaged): " + BundleFetcher.describe(e), e);
            }
        }

        private void extractEntry(TarArchiveInputStream tar, TarArchiveEntry entry) throws IOException {
            String name = entry.getName();
            if (entry.isCharacterDevice() || entry.isBlockDevice()) {
                throw unsafe(name, "is a device file");
            }
            if (entry.isFIFO()) {
                throw unsafe(name, "is a FIFO");
            }
            String rel = relativeName(name, name);
            if (rel.isEmpty()) {
                if (entry.isDirectory()) {
                    return; // "./" itself
                }
                throw unsafe(name, "has an empty name");
            }
            checkNotThroughSymlink(name, rel);
            Path dest = root.resolve(rel);
            if (!dest.normalize().startsWith(root)) {
                throw unsafe(name, "would be written outside the target directory");
            }
            if (entry.isDirectory()) {
                extractDirectory(entry, name, dest);
                return;
            }
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) || symlinks.containsKey(rel)) {
                throw unsafe(name, "appears twice in the archive");
            }
            if (entry.isSymbolicLink()) {
                recordSymlink(entry, name, rel, dest);
            } else if (entry.isLink()) {
                extractHardLink(entry, name, rel, dest);
            } else {
                extractFile(tar, entry, name, rel, dest);
            }
        }

        private void extractDirectory(TarArchiveEntry entry, String name, Path dest) throws IOException {
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(name, "is a directory, but a file of that name was extracted before");
            }
            makeDirectories(name, dest);
            directories.put(dest, new DirectoryMode(entry.getMode(), modTime(entry)));
        }

        /** A symbolic link inside the target, made only when everything else is extracted. */
        private void recordSymlink(TarArchiveEntry entry, String name, String rel, Path dest) throws IOException {
            String link = entry.getLinkName();
            if (link == null || link.isEmpty()) {
                throw unsafe(name, "is a symbolic link without a target");
            }
            checkFileName(name, link, "link target", false);
            if (link.startsWith("/")) {
                throw unsafe(name, "is a symbolic link to the absolute path '" + link + "'");
            }
            Path resolved = dest.getParent().resolve(link).normalize();
            if (!resolved.startsWith(root)) {
                throw unsafe(name, "is a symbolic link to '" + link + "', which points outside the target directory");
            }
            makeDirectories(name, dest.getParent());
            symlinks.put(rel, link);
        }

        /** A hard link to a regular file this archive extracted before, and to nothing else. */
        private void extractHardLink(TarArchiveEntry entry, String name, String rel, Path dest) throws IOException {
            String linkName = entry.getLinkName();
            String source = relativeName(name, linkName == null ? "" : linkName);
            if (!regularFiles.contains(source)) {
                throw unsafe(name, "is a hard link to '" + linkName
                        + "', which is not a regular file extracted before from this archive");
            }
            makeDirectories(name, dest.getParent());
            Files.createLink(dest, root.resolve(source));
            regularFiles.add(rel);
        }

        private void extractFile(TarArchiveInputStream tar, TarArchiveEntry entry, String name, String rel, Path dest)
                throws IOException {
            byte flag = entry.getLinkFlag();
            boolean regular = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM
                    || flag == TarConstants.LF_CONTIG || entry.isSparse();
            if (!regular || !entry.isFile()) {
                throw unsafe(name, "has an unsupported entry type (tar type flag '" + (char) flag + "')");
            }
            makeDirectories(name, dest.getParent());
            writeFile(tar, entry, name, dest);
            regularFiles.add(rel);
        }

        /** The entry name as a clean relative path ("a/b/c"), or "" for the archive root. */
        private String relativeName(String entryName, String name) throws UnsafeArchiveException {
            if (name.startsWith("/")) {
                throw unsafe(entryName, name.equals(entryName) ? "has an absolute path"
                        : "refers to the absolute path '" + name + "'");
            }
            checkFileName(entryName, name, name.equals(entryName) ? "name" : "link target", true);
            List<String> parts = new ArrayList<>();
            for (String part : name.split("/")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    throw unsafe(entryName, name.equals(entryName) ? "has a '..' component"
                            : "refers to '" + name + "', which has a '..' component");
                }
                parts.add(part);
            }
            return String.join("/", parts);
        }

        /**
         * A name or link target this machine can use as a path: no NUL, every character representable
         * in the file-name encoding, at most {@value #MAX_PATH_BYTES} bytes, components at most
         * {@value #MAX_COMPONENT_BYTES} bytes; a path in the tree ({@code inTree}: a name, a hard link's
         * target) short enough to be written under the target directory; and all names together within
         * {@value #MAX_TOTAL_NAME_BYTES} bytes (they are kept in memory until the links are checked).
         */
        private void checkFileName(String entryName, String value, String what, boolean inTree)
                throws UnsafeArchiveException {
            if (value.indexOf('\0') >= 0) {
                throw unsafe(printable(entryName), "has a NUL character in its " + what);
            }
            if (!fileNames.newEncoder().canEncode(value)) {
                throw unsafe(printable(entryName), "has a " + what + " with characters this machine cannot use in a file name ("
                        + "the file-name encoding is " + fileNames.name() + ", set by the locale: LC_ALL, LC_CTYPE, "
                        + "LANG); run the build with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
            }
            byte[] bytes = value.getBytes(fileNames);
            if (bytes.length > MAX_PATH_BYTES) {
                throw unsafe(printable(entryName), "has a " + what + " of " + bytes.length + " bytes; names and link "
                        + "targets are limited to " + MAX_PATH_BYTES + " bytes (PATH_MAX)");
            }
            if (inTree && bytes.length > maxNameBytes) {
                throw unsafe(printable(entryName), "has a " + what + " of " + bytes.length + " bytes, too long under "
                        + "the target directory " + root + ": with it a path would exceed Linux's " + MAX_PATH_BYTES
                        + " bytes (PATH_MAX); extract into a directory with a shorter path");
            }
            int start = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i == bytes.length || bytes[i] == '/') {
                    if (i - start > MAX_COMPONENT_BYTES) {
                        throw unsafe(printable(entryName), "has a " + what + " with a component of " + (i - start)
                                + " bytes; components are limited to " + MAX_COMPONENT_BYTES + " bytes (NAME_MAX)");
                    }
                    start = i + 1;
                }
            }
            nameBytes += bytes.length;
            if (nameBytes > MAX_TOTAL_NAME_BYTES) {
                throw unsafe(printable(entryName), "takes the names and link targets of the archive past "
                        + MAX_TOTAL_NAME_BYTES + " bytes together");
            }
        }

        private void checkNotThroughSymlink(String name, String rel) throws UnsafeArchiveException {
            int slash = -1;
            while ((slash = rel.indexOf('/', slash + 1)) >= 0) {
                String prefix = rel.substring(0, slash);
                if (symlinks.containsKey(prefix)) {
                    throw unsafe(name, "goes through the symbolic link '" + prefix + "' declared earlier in the archive");
                }
            }
        }

        private void makeDirectories(String name, Path dir) throws IOException {
            // Every existing component is a real directory: no symbolic link exists yet in the tree.
            Path relDir = root.relativize(dir);
            Path current = root;
            for (Path part : relDir) {
                if (part.toString().isEmpty()) {
                    continue;
                }
                current = current.resolve(part);
                if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                    throw unsafe(name, "needs '" + root.relativize(current) + "' to be a directory, but it is a file");
                }
                Files.createDirectory(current);
            }
        }

        private void writeFile(TarArchiveInputStream tar, TarArchiveEntry entry, String name, Path dest) throws IOException {
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while (true) {
                    try {
                        n = tar.read(buffer);
                    } catch (IOException e) {
                        throw new IOException("cannot read entry '" + name + "' of archive " + archive
                                + " (truncated or damaged): " + BundleFetcher.describe(e), e);
                    }
                    if (n < 0) {
                        break;
                    }
                    bytes += n;
                    if (bytes > maxBytes) {
                        throw unsafe(name, "takes the extracted size past the limit of " + maxBytes + " bytes ("
                                + size(maxBytes) + "), " + limitSource);
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("extraction of " + label + " interrupted (build aborted)");
                    }
                    out.write(buffer, 0, n);
                }
            }
            Files.setPosixFilePermissions(dest, permissions(entry.getMode() | 0400));
            FileTime mtime = modTime(entry);
            if (mtime != null) {
                Files.setLastModifiedTime(dest, mtime);
            }
        }

        private void createSymlinks() throws IOException {
            for (Map.Entry<String, String> link : symlinks.entrySet()) {
                Path at = root.resolve(link.getKey());
                if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                    throw unsafe(link.getKey(), "is a symbolic link, but the archive also holds a file or "
                            + "directory of that name");
                }
                Files.createSymbolicLink(at, Path.of(link.getValue()));
            }
            for (Map.Entry<String, String> link : symlinks.entrySet()) {
                checkResolvesInside(link.getKey(), link.getValue());
            }
        }

        /** Resolves the link through the finished tree, following every link on the way. */
        private void checkResolvesInside(String rel, String linkTarget) throws IOException {
            Deque<String> current = new ArrayDeque<>(Arrays.asList(rel.split("/")));
            current.removeLast(); // the link's directory
            Deque<String> todo = new ArrayDeque<>(Arrays.asList(linkTarget.split("/")));
            int hops = 1;
            while (!todo.isEmpty()) {
                String part = todo.removeFirst();
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    if (current.isEmpty()) {
                        throw unsafe(rel, "is a symbolic link to '" + linkTarget
                                + "', which leads outside the target directory through other links");
                    }
                    current.removeLast();
                    continue;
                }
                Path here = root.resolve(String.join("/", current)).resolve(part);
                if (Files.isSymbolicLink(here)) {
                    if (++hops > MAX_LINK_HOPS) {
                        throw unsafe(rel, "is a symbolic link that does not resolve within " + MAX_LINK_HOPS
                                + " links (a loop)");
                    }
                    String next = Files.readSymbolicLink(here).toString();
                    if (next.startsWith("/")) {
                        throw unsafe(rel, "leads to the absolute link target '" + next + "'");
                    }
                    List<String> nextParts = Arrays.asList(next.split("/"));
                    for (int i = nextParts.size() - 1; i >= 0; i--) {
                        todo.addFirst(nextParts.get(i));
                    }
                } else {
                    current.addLast(part);
                }
            }
        }

        private void applyDirectoryModes() throws IOException {
            List<Map.Entry<Path, DirectoryMode>> dirs = new ArrayList<>(directories.entrySet());
            for (int i = dirs.size() - 1; i >= 0; i--) {
                Path d = dirs.get(i).getKey();
                DirectoryMode mode = dirs.get(i).getValue();
                Files.setPosixFilePermissions(d, permissions(mode.mode() | 0700));
                if (mode.mtime() != null) {
                    Files.setLastModifiedTime(d, mode.mtime());
                }
            }
        }

        private UnsafeArchiveException unsafe(String entry, String reason) {
            return new UnsafeArchiveException(label, entry, reason);
        }
    }

    /** {@code bytes} in MiB below 1 GiB, in GiB above, one decimal. */
    static String size(long bytes) {
        return bytes < (1L << 30)
                ? String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20))
                : String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    /** What is applied to an extracted directory at the end. */
    private record DirectoryMode(int mode, FileTime mtime) {
    }

    /** A name fit for a message: control characters as '?', at most 200 characters. */
    static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 200; i++) {
            char c = name.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return name.length() > 200 ? sb + "..." : sb.toString();
    }

    private static FileTime modTime(TarArchiveEntry entry) {
        try {
            return entry.getLastModifiedTime();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The rwx bits of a mode (setuid, setgid and sticky dropped). */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    /**
     * Removes a tree without following symbolic links, first giving the owner write and search
     * permission on each directory so read-only directories from the archive do not block it.
     */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS);
                if (!perms.containsAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE))) {
                    perms.addAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE));
                    Files.setPosixFilePermissions(d, perms);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

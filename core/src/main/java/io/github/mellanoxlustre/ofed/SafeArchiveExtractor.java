package io.github.mellanoxlustre.ofed;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
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
 *       leading {@code ./} is dropped.</li>
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
 *       MiB to a few GiB unpacked), counted as written, so a compression bomb stops at the limit.</li>
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

    private static final int MAX_LINK_HOPS = 40;
    private static final int BUFFER = 128 * 1024;

    private final long maxBytes;
    private final int maxEntries;

    public SafeArchiveExtractor() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES);
    }

    public SafeArchiveExtractor(long maxBytes, int maxEntries) {
        if (maxBytes < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
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
        private final Map<Path, TarArchiveEntry> directories = new LinkedHashMap<>();
        private int entries;
        private long bytes;

        Run(Path archive, Path root) {
            this.archive = archive;
            this.root = root;
            this.label = archive.getFileName().toString();
        }

        ExtractedArchive extract() throws IOException {
            try (InputStream file = Files.newInputStream(archive);
                 InputStream gz = gunzip(file);
                 TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
                TarArchiveEntry entry;
                while ((entry = nextEntry(tar)) != null) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("extraction of " + label + " interrupted (build aborted)");
                    }
                    if (++entries > maxEntries) {
                        throw unsafe(entry.getName(), "exceeds the limit of " + maxEntries + " entries");
                    }
                    extractEntry(tar, entry);
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
                return new GzipCompressorInputStream(new BufferedInputStream(file, BUFFER), true);
            } catch (IOException e) {
                throw new IOException("cannot read archive " + archive + " (not a gzip-compressed tar file): "
                        + BundleFetcher.describe(e), e);
            }
        }

        private TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
            try {
                return tar.getNextEntry();
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
                if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                    throw unsafe(name, "is a directory, but a file of that name was extracted before");
                }
                makeDirectories(name, dest);
                directories.put(dest, entry);
                return;
            }
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) || symlinks.containsKey(rel)) {
                throw unsafe(name, "appears twice in the archive");
            }
            if (entry.isSymbolicLink()) {
                String link = entry.getLinkName();
                if (link == null || link.isEmpty()) {
                    throw unsafe(name, "is a symbolic link without a target");
                }
                if (link.startsWith("/")) {
                    throw unsafe(name, "is a symbolic link to the absolute path '" + link + "'");
                }
                Path resolved = dest.getParent().resolve(link).normalize();
                if (!resolved.startsWith(root)) {
                    throw unsafe(name, "is a symbolic link to '" + link + "', which points outside the target directory");
                }
                makeDirectories(name, dest.getParent());
                symlinks.put(rel, link);
                return;
            }
            if (entry.isLink()) {
                String linkName = entry.getLinkName();
                String source = relativeName(name, linkName == null ? "" : linkName);
                if (!regularFiles.contains(source)) {
                    throw unsafe(name, "is a hard link to '" + linkName
                            + "', which is not a regular file extracted before from this archive");
                }
                makeDirectories(name, dest.getParent());
                Files.createLink(dest, root.resolve(source));
                regularFiles.add(rel);
                return;
            }
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
            if (name.indexOf('\0') >= 0) {
                throw unsafe(entryName, "has a NUL character in its name");
            }
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
                        throw unsafe(name, "takes the extracted size past the limit of " + maxBytes + " bytes");
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
            List<Map.Entry<Path, TarArchiveEntry>> dirs = new ArrayList<>(directories.entrySet());
            for (int i = dirs.size() - 1; i >= 0; i--) {
                Path d = dirs.get(i).getKey();
                TarArchiveEntry entry = dirs.get(i).getValue();
                Files.setPosixFilePermissions(d, permissions(entry.getMode() | 0700));
                FileTime mtime = modTime(entry);
                if (mtime != null) {
                    Files.setLastModifiedTime(d, mtime);
                }
            }
        }

        private UnsafeArchiveException unsafe(String entry, String reason) {
            return new UnsafeArchiveException(label, entry, reason);
        }
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

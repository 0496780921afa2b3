package io.jenkins.plugins.mellanoxlustre.agent;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory only the agent's user can enter (0700), for key material that must exist as a file
 * while a tool reads it: each file is created 0600 before anything is written to it, and the
 * directory and its files are removed by {@link #close()}, whatever happened in between.
 */
final class PrivateDir implements AutoCloseable {
    private final Path dir;

    private PrivateDir(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates a fresh private directory under {@code parent}.
     *
     * @throws IOException when the agent's file system has no POSIX permissions (key material is
     *                     never written where it could not be made private)
     */
    static PrivateDir create(Path parent, String prefix) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            throw new IOException("SSH key material can only be written on an agent with POSIX file permissions "
                    + "(Linux); this agent has none");
        }
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new PrivateDir(dir);
    }

    Path path() {
        return dir;
    }

    /** Writes a file that only the owner can read and write (0600), created before any byte is in it. */
    Path write(String name, CharSequence content) throws IOException {
        Path file = dir.resolve(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            w.append(content);
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        IOException first = null;
        for (Path p : all) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw new IOException("could not remove the private key directory " + dir, first);
        }
    }
}

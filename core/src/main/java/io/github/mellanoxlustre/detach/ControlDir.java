package io.github.mellanoxlustre.detach;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The control directory of one detached engine process: the files the launcher, the engine process
 * and a watcher share (see docs/durable-builds.md for the contract). The directory is the build's
 * only identity: a watcher in a JVM that started later finds everything here.
 *
 * <table>
 * <caption>files, writer, when</caption>
 * <tr><td>{@value #REQUEST}</td><td>launcher</td><td>before the process starts; no secrets</td></tr>
 * <tr><td>{@value #SECRETS}</td><td>launcher (0600)</td><td>before start; deleted by the process as
 *     soon as it has read it</td></tr>
 * <tr><td>{@value #PID}</td><td>launcher</td><td>right after start: pid, start time, boot id</td></tr>
 * <tr><td>{@value #LOG}</td><td>the process (its stdout and stderr, appended)</td><td>all along</td></tr>
 * <tr><td>{@value #PROGRESS}</td><td>the process</td><td>at start and at each phase</td></tr>
 * <tr><td>{@value #RESULT}</td><td>the process</td><td>at the end, when the build completed</td></tr>
 * <tr><td>{@value #EXIT}</td><td>the process (or a watcher that had to kill it)</td><td>last</td></tr>
 * </table>
 *
 * <p>Every JSON file is written whole to a temporary file in this directory and renamed over its
 * name ({@link #writeAtomically}), so a reader sees the old content or the new, never half.
 */
public final class ControlDir {
    public static final String REQUEST = "request.json";
    public static final String SECRETS = "secrets.json";
    public static final String PID = "pid.json";
    public static final String LOG = "build.log";
    public static final String PROGRESS = "progress.json";
    public static final String RESULT = "result.json";
    public static final String EXIT = "exit.json";

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    private ControlDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** An existing control directory (a watcher attaching). */
    public static ControlDir of(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new ControlDir(dir);
    }

    /**
     * A new control directory: {@code dir} is created (owner-only where POSIX permissions exist) and
     * must not exist or be empty.
     */
    static ControlDir create(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(dir.toString(), null,
                            "controlDir: not empty; expected a new or empty directory for one build");
                }
            }
        } else {
            Files.createDirectories(dir);
        }
        if (isPosix(dir)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        }
        return new ControlDir(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * Writes {@code bytes} to {@code name}: to a temporary file beside it first, forced to disk, then
     * renamed over it with {@code ATOMIC_MOVE}. Readers see the old file or the new one, never part.
     */
    void writeAtomically(String name, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp", fileAttributes());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("controlDir: " + dir + " does not support atomic renames (" + e.getMessage()
                        + "); expected a local file system", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates {@code name} readable and writable by its owner only (0600), failing if it exists. */
    void writeOwnerOnly(String name, byte[] bytes) throws IOException {
        Path f = file(name);
        try (FileChannel ch = FileChannel.open(f, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                fileAttributes())) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    private FileAttribute<?>[] fileAttributes() {
        return isPosix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
    }

    private static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}

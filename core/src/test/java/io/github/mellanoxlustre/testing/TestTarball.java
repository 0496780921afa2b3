package io.github.mellanoxlustre.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Writes {@code .tgz} files entry by entry with commons-compress, including entries a well-behaved
 * {@code tar} would never write (absolute names, {@code ..}, links pointing out, devices), to test
 * that extraction refuses them.
 *
 * <pre>{@code
 * TestTarball.create()
 *         .dir("MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64/", 0755)
 *         .file("MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64/mlnxofedinstall", "#!/bin/sh\n", 0755)
 *         .symlink("MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64/evil", "../../etc")
 *         .write(dir.resolve("bundle.tgz"));
 * }</pre>
 */
public final class TestTarball {
    private interface Writer {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private final List<Writer> entries = new ArrayList<>();

    private TestTarball() {
    }

    public static TestTarball create() {
        return new TestTarball();
    }

    /** A directory entry (a trailing '/' is added when missing). */
    public TestTarball dir(String name, int mode) {
        String n = name.endsWith("/") ? name : name + "/";
        return raw(n, TarConstants.LF_DIR, e -> e.setMode(040000 | mode), null);
    }

    /** A regular file with UTF-8 content. */
    public TestTarball file(String name, String content, int mode) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    /** A regular file. */
    public TestTarball file(String name, byte[] content, int mode) {
        return raw(name, TarConstants.LF_NORMAL, e -> {
            e.setMode(0100000 | mode);
            e.setSize(content.length);
        }, content);
    }

    /** A symbolic link {@code name -> target}. */
    public TestTarball symlink(String name, String target) {
        return raw(name, TarConstants.LF_SYMLINK, e -> {
            e.setMode(0120777);
            e.setLinkName(target);
        }, null);
    }

    /** A hard link {@code name} to the archive member {@code target}. */
    public TestTarball hardlink(String name, String target) {
        return raw(name, TarConstants.LF_LINK, e -> e.setLinkName(target), null);
    }

    /** A character device entry. */
    public TestTarball charDevice(String name) {
        return raw(name, TarConstants.LF_CHR, e -> {
            e.setDevMajor(1);
            e.setDevMinor(3);
        }, null);
    }

    /** A block device entry. */
    public TestTarball blockDevice(String name) {
        return raw(name, TarConstants.LF_BLK, e -> {
            e.setDevMajor(8);
            e.setDevMinor(0);
        }, null);
    }

    /** A FIFO entry. */
    public TestTarball fifo(String name) {
        return raw(name, TarConstants.LF_FIFO, e -> { }, null);
    }

    /**
     * Any entry: the name is stored as given (no normalization, so {@code /etc/passwd} or
     * {@code ../x} stay as they are), the type flag is set, then {@code customize} runs.
     */
    public TestTarball raw(String name, byte typeFlag, Consumer<TarArchiveEntry> customize, byte[] content) {
        entries.add(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name, typeFlag, true);
            e.setModTime(1_600_000_000_000L);
            customize.accept(e);
            if (content != null) {
                e.setSize(content.length);
            }
            tar.putArchiveEntry(e);
            if (content != null) {
                new ByteArrayInputStream(content).transferTo(tar);
            }
            tar.closeArchiveEntry();
        });
        return this;
    }

    /** Writes the gzip-compressed tar file and returns it. */
    public Path write(Path tgz) throws IOException {
        Files.createDirectories(tgz.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(tgz);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Writer w : entries) {
                w.write(tar);
            }
            tar.finish();
        }
        return tgz;
    }
}

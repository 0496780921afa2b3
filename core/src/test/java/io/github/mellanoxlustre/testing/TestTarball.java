package io.github.mellanoxlustre.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
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

    /** The tar extensions that carry a name in the entry's data, which a reader buffers. */
    public enum LongName {
        /** GNU long name: a {@code ././@LongLink} entry of type 'L' holding the next entry's name. */
        GNU_NAME('L', null),
        /** GNU long link: type 'K', the next entry's link target. */
        GNU_LINK('K', null),
        /** A PAX extended header (type 'x') with a {@code path} record. */
        PAX_PATH('x', "path"),
        /** A PAX extended header (type 'x') with a {@code linkpath} record. */
        PAX_LINKPATH('x', "linkpath"),
        /** A PAX global header (type 'g') with a {@code comment} record. */
        PAX_GLOBAL('g', "comment");

        private final char type;
        private final String paxKey;

        LongName(char type, String paxKey) {
            this.type = type;
            this.paxKey = paxKey;
        }
    }

    /**
     * Writes a {@code .tgz} whose first entry {@code a} (a regular file, or a symbolic link for the
     * link kinds) is preceded by a {@code kind} extension holding {@code length} bytes of 'a': the
     * bytes are streamed into gzip, so a name of hundreds of MiB costs this JVM nothing and the file
     * a few hundred KiB (a run of one byte compresses about 1000:1).
     */
    public static Path longName(Path tgz, LongName kind, long length) throws IOException {
        return rawTar(tgz, tar -> {
            boolean link = kind == LongName.GNU_LINK || kind == LongName.PAX_LINKPATH;
            if (kind.paxKey == null) {
                tar.header("././@LongLink", kind.type, length, "");
                tar.repeat('a', length);
            } else {
                String key = " " + kind.paxKey + "=";
                long body = key.length() + length + 1;
                long record = body + Long.toString(body).length();
                if (Long.toString(record).length() != Long.toString(body).length()) {
                    record++;
                }
                tar.header("PaxHeaders/a", kind.type, record, "");
                tar.ascii(record + key);
                tar.repeat('a', length);
                tar.ascii("\n");
            }
            tar.pad();
            tar.header("a", link ? '2' : '0', 0, link ? "b" : "");
        });
    }

    /**
     * Writes a {@code .tgz} with {@code count} empty extension headers of {@code type} ('x', 'g',
     * 'L', 'K') in a row before one empty file {@code a}: a reader that handles each by recursing runs
     * out of stack.
     */
    public static Path extensionChain(Path tgz, char type, int count) throws IOException {
        return rawTar(tgz, tar -> {
            for (int i = 0; i < count; i++) {
                tar.header(type == 'L' || type == 'K' ? "././@LongLink" : "PaxHeaders/a", type, 0, "");
            }
            tar.header("a", '0', 0, "");
        });
    }

    /** The body of a hand-written tar. */
    public interface RawBody {
        void write(RawTarWriter tar) throws IOException;
    }

    /** Writes a {@code .tgz} record by record ({@link RawTarWriter}); the end-of-archive records are added. */
    public static Path rawTar(Path tgz, RawBody body) throws IOException {
        Files.createDirectories(tgz.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(tgz);
             GZIPOutputStream gz = new GZIPOutputStream(new java.io.BufferedOutputStream(file, 1 << 16), 1 << 16)) {
            RawTarWriter tar = new RawTarWriter(gz);
            body.write(tar);
            tar.end();
        }
        return tgz;
    }

    /** Writes ustar records as they are given, with no check at all (sizes, types, names). */
    public static final class RawTarWriter {
        private final OutputStream out;
        private long written;

        private RawTarWriter(OutputStream out) {
            this.out = out;
        }

        /** A ustar header: mode 0644, mtime 1600000000, the size in octal (below 8 GiB). */
        public void header(String name, char type, long size, String linkName) throws IOException {
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            put(h, 100, 8, "0000644");
            put(h, 108, 8, "0000000");
            put(h, 116, 8, "0000000");
            put(h, 124, 12, String.format("%011o", size));
            put(h, 136, 12, String.format("%011o", 1_600_000_000L));
            h[156] = (byte) type;
            put(h, 157, 100, linkName);
            put(h, 257, 6, "ustar");
            put(h, 263, 2, "00");
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 8, String.format("%06o", sum));
            h[155] = ' ';
            write(h, h.length);
        }

        /**
         * A PAX header entry ({@code type} 'x' or 'g') named {@code name} with these records, each
         * {@code "<length> <key>=<value>\n"}, the value in UTF-8 (it may hold any character, NUL too).
         */
        public void pax(String name, char type, Map<String, String> records) throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            for (Map.Entry<String, String> r : records.entrySet()) {
                byte[] kv = (" " + r.getKey() + "=" + r.getValue() + "\n").getBytes(StandardCharsets.UTF_8);
                int length = kv.length + Integer.toString(kv.length).length();
                if (Integer.toString(length).length() != Integer.toString(kv.length).length()) {
                    length++;
                }
                body.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(kv);
            }
            header(name, type, body.size(), "");
            write(body.toByteArray(), body.size());
            pad();
        }

        /** {@code count} copies of {@code c}. */
        public void repeat(char c, long count) throws IOException {
            repeat(String.valueOf(c), count);
        }

        /** {@code count} copies of the ASCII string {@code unit}. */
        public void repeat(String unit, long count) throws IOException {
            byte[] u = unit.getBytes(StandardCharsets.ISO_8859_1);
            int perChunk = Math.max(1, (1 << 16) / u.length);
            byte[] chunk = new byte[perChunk * u.length];
            for (int i = 0; i < perChunk; i++) {
                System.arraycopy(u, 0, chunk, i * u.length, u.length);
            }
            for (long left = count; left > 0; left -= perChunk) {
                write(chunk, (int) Math.min(perChunk, left) * u.length);
            }
        }

        public void ascii(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            write(b, b.length);
        }

        /** Zeros up to the next 512-byte boundary. */
        public void pad() throws IOException {
            int rest = (int) (written % 512);
            if (rest != 0) {
                write(new byte[512 - rest], 512 - rest);
            }
        }

        private void end() throws IOException {
            pad();
            write(new byte[1024], 1024);
        }

        private void write(byte[] b, int len) throws IOException {
            out.write(b, 0, len);
            written += len;
        }

        private static void put(byte[] h, int off, int len, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, off, Math.min(len, b.length));
        }
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

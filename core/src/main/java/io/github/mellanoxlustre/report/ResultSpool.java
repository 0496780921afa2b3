package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.Finding;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.Severity;
import io.github.mellanoxlustre.policy.Verdict;
import io.github.mellanoxlustre.rpm.RpmIdentity;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Check results kept on disk instead of in memory, so that a report whose totals come before its
 * entries (JSON, HTML) can be written for any number of files: {@link #add} appends a result to an
 * unnamed temporary file (created 0600 in {@code java.io.tmpdir} and unlinked at once, so nothing
 * is left behind even if the process is killed), and every iteration reads them back, in order,
 * exactly as they were added (strings round-trip whatever their characters). {@link #close()}
 * releases the file. Not thread-safe.
 */
public final class ResultSpool implements Iterable<PackageResult>, AutoCloseable {
    /** Characters per {@code writeUTF} chunk: at most 3 bytes each, under its 65,535-byte limit. */
    private static final int CHUNK = 65535 / 3;
    private static final int BUFFER = 64 * 1024;

    private final FileChannel channel;
    private final DataOutputStream out;
    private long count;

    /** An empty spool backed by a new temporary file. */
    public ResultSpool() throws IOException {
        Path file = Files.createTempFile("mlnx-lustre-check-", ".spool");
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.deleteIfExists(file);
        }
        out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER));
    }

    /** Appends one result. */
    public void add(PackageResult r) throws IOException {
        writeString(r.file());
        out.writeBoolean(r.rpm().isPresent());
        if (r.rpm().isPresent()) {
            RpmIdentity p = r.rpm().get();
            writeString(p.name());
            out.writeBoolean(p.epoch().isPresent());
            out.writeInt(p.epoch().orElse(0));
            writeString(p.version());
            writeString(p.release());
            writeString(p.arch());
            writeString(p.license());
            out.writeBoolean(p.source());
            out.writeBoolean(p.noSource());
        }
        out.writeByte(r.verdict().ordinal());
        out.writeInt(r.findings().size());
        for (Finding f : r.findings()) {
            writeString(f.rule());
            out.writeByte(f.severity().ordinal());
            writeString(f.message());
            writeString(f.evidence());
            writeString(f.exception());
        }
        writeString(r.error());
        out.writeBoolean(r.internal());
        out.writeBoolean(r.pathError());
        count++;
    }

    /** How many results were added. */
    public long size() {
        return count;
    }

    /** The results added so far, read back from the file. */
    @Override
    public Iterator<PackageResult> iterator() {
        try {
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(new At(channel.position()), BUFFER));
            long n = count;
            return new Iterator<>() {
                private long read;

                @Override
                public boolean hasNext() {
                    return read < n;
                }

                @Override
                public PackageResult next() {
                    if (read >= n) {
                        throw new NoSuchElementException();
                    }
                    read++;
                    try {
                        return readResult(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read back the check results: " + e.getMessage(), e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the check results: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void writeString(String s) throws IOException {
        out.writeInt(s.length());
        for (int i = 0; i < s.length(); i += CHUNK) {
            out.writeUTF(s.substring(i, Math.min(s.length(), i + CHUNK)));
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        StringBuilder s = new StringBuilder(length);
        while (s.length() < length) {
            s.append(in.readUTF());
        }
        return s.toString();
    }

    private static PackageResult readResult(DataInputStream in) throws IOException {
        String file = readString(in);
        Optional<RpmIdentity> rpm = Optional.empty();
        if (in.readBoolean()) {
            String name = readString(in);
            boolean hasEpoch = in.readBoolean();
            int epoch = in.readInt();
            rpm = Optional.of(new RpmIdentity(name, hasEpoch ? OptionalInt.of(epoch) : OptionalInt.empty(),
                    readString(in), readString(in), readString(in), readString(in), in.readBoolean(), in.readBoolean()));
        }
        Verdict verdict = Verdict.values()[in.readByte()];
        int findings = in.readInt();
        List<Finding> list = new ArrayList<>(findings);
        for (int i = 0; i < findings; i++) {
            String rule = readString(in);
            Severity severity = Severity.values()[in.readByte()];
            list.add(new Finding(rule, severity, readString(in), readString(in), readString(in)));
        }
        return new PackageResult(file, rpm, verdict, list, readString(in), in.readBoolean(), in.readBoolean());
    }

    /** The file's bytes from 0 to {@code end}, read at positions (the channel's own position is the writer's). */
    private final class At extends InputStream {
        private final long end;
        private long position;

        At(long end) {
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }
}

package io.github.mellanoxlustre.rpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;

/**
 * A strict reader of what an RPM file's headers say: the lead, the signature header and the main
 * header, never the payload.
 *
 * <p>Every count and length is checked against rpm's own limits ({@code lib/header.c}) and against
 * the file's size before memory is allocated for it, and the header bytes held in memory for one
 * file are capped ({@link #DEFAULT_MAX_HEADER_BYTES} unless configured). When the signature header
 * carries a SHA-256 (tag 273) or, failing that, a SHA-1 (tag 269) digest of the main header, the
 * digest is verified. NAME, VERSION and RELEASE must be present. Anything malformed, truncated or
 * hostile ends in an {@link RpmFormatException} naming the file and the reason.
 *
 * <p>The file is read through one buffer of {@link #BUFFER_BYTES}, so at most the header bytes plus
 * one buffer are read, whatever the payload size. Instances hold no state between calls: one
 * reader may be shared by any number of threads.
 */
public final class RpmReader {
    /** Default cap on the header bytes (signature plus main header) read into memory per file. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024 * 1024;
    /** The read buffer; reading stops at most this many bytes past the end of the main header. */
    public static final int BUFFER_BYTES = 16 * 1024;

    /** rpm's {@code HEADER_TAGS_MAX}. */
    static final int MAIN_TAGS_MAX = 0x0000ffff;
    /** rpm's {@code HEADER_DATA_MAX}. */
    static final int MAIN_DATA_MAX = 0x0fffffff;
    /** rpm's limit on signature header tags ({@code hdrblobVerifyLengths}). */
    static final int SIG_TAGS_MAX = 32;
    /** rpm's limit on signature header data bytes ({@code hdrblobVerifyLengths}). */
    static final int SIG_DATA_MAX = 64 * 1024 * 1024;

    static final int LEAD_BYTES = 96;
    private static final byte[] LEAD_MAGIC = {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb};
    private static final int LEAD_TYPE_SOURCE = 1;

    private final int maxHeaderBytes;
    private final boolean verifyDigest;

    /** A reader with the default limits. */
    public RpmReader() {
        this(DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * A reader that refuses files whose signature and main header together exceed
     * {@code maxHeaderBytes}.
     *
     * @param maxHeaderBytes 4096 .. 268435455 (rpm's own per-header data limit)
     */
    public RpmReader(int maxHeaderBytes) {
        this(maxHeaderBytes, true);
    }

    /**
     * Only for the fuzz test, to reach the code behind the digest check with mutated main headers;
     * production readers always verify the digest.
     */
    RpmReader(int maxHeaderBytes, boolean verifyDigest) {
        if (maxHeaderBytes < 4096 || maxHeaderBytes > MAIN_DATA_MAX) {
            throw new IllegalArgumentException("maxHeaderBytes must be between 4096 and " + MAIN_DATA_MAX
                    + " bytes, got " + maxHeaderBytes);
        }
        this.maxHeaderBytes = maxHeaderBytes;
        this.verifyDigest = verifyDigest;
    }

    /** The cap on header bytes per file this reader enforces. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /**
     * Reads the headers of an RPM file.
     *
     * @throws RpmFormatException when the file cannot be read or is not a well-formed RPM package
     */
    public RpmPackage read(Path file) throws RpmFormatException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new RpmFormatException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new RpmFormatException(file, "permission denied");
        } catch (IOException e) {
            throw new RpmFormatException(file, "cannot read file attributes: " + e.getMessage(), e);
        }
        if (attrs.isDirectory()) {
            throw new RpmFormatException(file, "is a directory, not an RPM file");
        }
        if (!attrs.isRegularFile()) {
            throw new RpmFormatException(file, "not a regular file");
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (RpmFormatException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new RpmFormatException(file, "permission denied");
        } catch (NoSuchFileException e) {
            throw new RpmFormatException(file, "no such file");
        } catch (IOException e) {
            throw new RpmFormatException(file, "read error: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the headers from an open channel positioned at the start of the file; {@code file}
     * only names it in errors. The channel's {@code size()} bounds what the headers may claim.
     */
    RpmPackage read(Path file, SeekableByteChannel ch) throws IOException {
        try {
            return parse(file, new Input(file, ch, ch.size() - ch.position()));
        } catch (RuntimeException e) {
            // Last net: the checks above are meant to make this unreachable.
            throw new RpmFormatException(file, "malformed RPM (" + e + ")", e);
        }
    }

    private RpmPackage parse(Path file, Input in) throws IOException {
        byte[] lead = new byte[LEAD_BYTES];
        if (in.remaining() < LEAD_BYTES) {
            throw new RpmFormatException(file, in.remaining() == 0 ? "empty file, not an RPM package"
                    : "too short for an RPM lead (" + in.remaining() + " bytes)");
        }
        in.readFully(lead, "lead");
        for (int i = 0; i < LEAD_MAGIC.length; i++) {
            if (lead[i] != LEAD_MAGIC[i]) {
                throw new RpmFormatException(file, "not an RPM package (bad lead magic)");
            }
        }
        int leadType = ((lead[6] & 0xff) << 8) | (lead[7] & 0xff);

        long budget = maxHeaderBytes;
        HeaderBlob sig = readHeader(file, in, "signature header", HeaderBlob.TAG_HEADERSIGNATURES,
                SIG_TAGS_MAX, SIG_DATA_MAX, false, budget);
        budget -= sig.size();
        int pad = (int) ((8 - (sig.size() % 8)) % 8);
        if (pad > 0) {
            if (in.remaining() < pad) {
                throw new RpmFormatException(file, "truncated: file ends in the signature header padding");
            }
            in.readFully(new byte[pad], "signature header padding");
        }
        HeaderBlob main = readHeader(file, in, "main header", HeaderBlob.TAG_HEADERIMMUTABLE,
                MAIN_TAGS_MAX, MAIN_DATA_MAX, true, budget);
        long headerBytes = in.position();

        sig.requireUniqueTags();
        main.requireUniqueTags();
        if (verifyDigest) {
            verifyDigest(file, sig, main);
        }
        return toPackage(file, main, leadType, headerBytes);
    }

    private static HeaderBlob readHeader(Path file, Input in, String what, int regionTag, int tagsMax,
            int dataMax, boolean exactSize, long budget) throws IOException {
        if (in.remaining() < HeaderBlob.INTRO_BYTES) {
            throw new RpmFormatException(file, "truncated: file ends before the " + what);
        }
        byte[] intro = new byte[HeaderBlob.INTRO_BYTES];
        in.readFully(intro, what);
        for (int i = 0; i < HeaderBlob.MAGIC.length; i++) {
            if (intro[i] != HeaderBlob.MAGIC[i]) {
                throw new RpmFormatException(file, what + ": bad header magic");
            }
        }
        int il = HeaderBlob.int32(intro, 8);
        int dl = HeaderBlob.int32(intro, 12);
        if (il < 0 || il > tagsMax) {
            throw new RpmFormatException(file, what + ": tag count " + Integer.toUnsignedString(il)
                    + " out of range 0.." + tagsMax);
        }
        if (dl < 0 || dl > dataMax) {
            throw new RpmFormatException(file, what + ": data length " + Integer.toUnsignedString(dl)
                    + " out of range 0.." + dataMax);
        }
        long need = (long) il * HeaderBlob.ENTRY_BYTES + dl;
        if (HeaderBlob.INTRO_BYTES + need > budget) {
            throw new RpmFormatException(file, what + ": " + (HeaderBlob.INTRO_BYTES + need)
                    + " bytes exceed the header size cap (" + budget + " bytes left of " + "the cap)");
        }
        if (need > in.remaining()) {
            throw new RpmFormatException(file, "truncated: " + what + " needs " + need + " more bytes, file has "
                    + in.remaining());
        }
        byte[] body = new byte[(int) need];
        in.readFully(body, what);
        return HeaderBlob.parse(file, what, intro, body, regionTag, exactSize);
    }

    private static void verifyDigest(Path file, HeaderBlob sig, HeaderBlob main) throws RpmFormatException {
        String expected = sig.string(RpmTag.SIG_SHA256);
        String algorithm = "SHA-256";
        int hexLength = 64;
        if (expected == null) {
            expected = sig.string(RpmTag.SIG_SHA1);
            algorithm = "SHA-1";
            hexLength = 40;
        }
        if (expected == null) {
            return; // packages from before rpm 4.0.3 carry neither; nothing to verify
        }
        if (expected.length() != hexLength) {
            throw new RpmFormatException(file, "signature header: " + algorithm + " header digest is not "
                    + hexLength + " hex digits");
        }
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
        main.digest(md);
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equalsIgnoreCase(expected)) {
            throw new RpmFormatException(file, "main header " + algorithm + " digest mismatch (header corrupted):"
                    + " signature header says " + expected + ", main header hashes to " + actual);
        }
    }

    private RpmPackage toPackage(Path file, HeaderBlob h, int leadType, long headerBytes)
            throws RpmFormatException {
        String name = required(file, h, RpmTag.NAME, "NAME");
        String version = required(file, h, RpmTag.VERSION, "VERSION");
        String release = required(file, h, RpmTag.RELEASE, "RELEASE");
        int[] epochs = h.int32Array(RpmTag.EPOCH);
        OptionalInt epoch = OptionalInt.empty();
        if (epochs != null) {
            if (epochs.length != 1 || epochs[0] < 0) {
                throw new RpmFormatException(file, "main header: EPOCH must be one value in 0.."
                        + Integer.MAX_VALUE);
            }
            epoch = OptionalInt.of(epochs[0]);
        }
        String sourceRpm = h.string(RpmTag.SOURCERPM);
        // rpm's headerIsSource(): a package without SOURCERPM is a source package.
        boolean source = leadType == LEAD_TYPE_SOURCE || h.has(RpmTag.SOURCEPACKAGE) || sourceRpm == null;
        String compressor = h.string(RpmTag.PAYLOADCOMPRESSOR);
        return new RpmPackage(name, epoch, version, release, h.string(RpmTag.ARCH), h.string(RpmTag.LICENSE),
                source, source ? "" : sourceRpm,
                dependencies(file, h, "require", RpmTag.REQUIRENAME, RpmTag.REQUIREFLAGS, RpmTag.REQUIREVERSION),
                dependencies(file, h, "provide", RpmTag.PROVIDENAME, RpmTag.PROVIDEFLAGS, RpmTag.PROVIDEVERSION),
                files(file, h, maxHeaderBytes), compressor, headerBytes);
    }

    private static String required(Path file, HeaderBlob h, int tag, String label) throws RpmFormatException {
        String v = h.string(tag);
        if (v == null || v.isEmpty()) {
            throw new RpmFormatException(file, "main header: no " + label + " (tag " + tag + ")");
        }
        return v;
    }

    private static List<RpmDependency> dependencies(Path file, HeaderBlob h, String kind, int nameTag,
            int flagsTag, int versionTag) throws RpmFormatException {
        List<String> names = h.stringArray(nameTag);
        int[] flags = h.int32Array(flagsTag);
        List<String> versions = h.stringArray(versionTag);
        if (names == null) {
            if (flags != null || versions != null) {
                throw new RpmFormatException(file, "main header: " + kind + " flags or versions without names");
            }
            return List.of();
        }
        int n = names.size();
        if ((flags != null && flags.length != n) || (versions != null && versions.size() != n)) {
            throw new RpmFormatException(file, "main header: " + n + " " + kind + " names but "
                    + (flags == null ? 0 : flags.length) + " flags and "
                    + (versions == null ? 0 : versions.size()) + " versions");
        }
        List<RpmDependency> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new RpmDependency(names.get(i), flags == null ? 0 : flags[i],
                    versions == null ? "" : versions.get(i)));
        }
        return out;
    }

    /**
     * File paths from DIRNAMES[DIRINDEXES[i]] + BASENAMES[i], or OLDFILENAMES. Since many files may
     * name one long directory, the expanded paths could be far larger than the header; their total
     * length is capped at {@code maxChars} (the header size cap).
     */
    private static List<String> files(Path file, HeaderBlob h, long maxChars) throws RpmFormatException {
        List<String> base = h.stringArray(RpmTag.BASENAMES);
        if (base == null) {
            if (h.has(RpmTag.DIRNAMES) || h.has(RpmTag.DIRINDEXES)) {
                throw new RpmFormatException(file, "main header: DIRNAMES/DIRINDEXES without BASENAMES");
            }
            List<String> old = h.stringArray(RpmTag.OLDFILENAMES);
            return old == null ? List.of() : old;
        }
        List<String> dirs = h.stringArray(RpmTag.DIRNAMES);
        int[] index = h.int32Array(RpmTag.DIRINDEXES);
        if (dirs == null || index == null || index.length != base.size()) {
            throw new RpmFormatException(file, "main header: " + base.size() + " BASENAMES but "
                    + (index == null ? 0 : index.length) + " DIRINDEXES and "
                    + (dirs == null ? "no" : dirs.size()) + " DIRNAMES");
        }
        long chars = 0;
        for (int i = 0; i < index.length; i++) {
            int d = index[i];
            if (d < 0 || d >= dirs.size()) {
                throw new RpmFormatException(file, "main header: DIRINDEXES[" + i + "] = " + d
                        + " outside the " + dirs.size() + " DIRNAMES");
            }
            chars += dirs.get(d).length() + base.get(i).length();
        }
        if (chars > maxChars) {
            throw new RpmFormatException(file, "main header: the " + index.length + " file paths add up to "
                    + chars + " characters, more than the cap of " + maxChars);
        }
        List<String> out = new ArrayList<>(base.size());
        for (int i = 0; i < index.length; i++) {
            out.add(dirs.get(index[i]).concat(base.get(i)));
        }
        return out;
    }

    /**
     * Sequential reads through one {@link #BUFFER_BYTES} buffer: small reads are served from the
     * buffer, a read larger than what the buffer holds copies what it holds and reads the rest
     * straight into the destination, so the channel is never read more than one buffer past the
     * bytes asked for.
     */
    private static final class Input {
        private final Path file;
        private final SeekableByteChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).flip();
        private final long size;
        private long position;

        Input(Path file, SeekableByteChannel ch, long size) {
            this.file = file;
            this.ch = ch;
            this.size = size;
        }

        long position() {
            return position;
        }

        /** Bytes left before the end of the file as sized when opened. */
        long remaining() {
            return Math.max(0, size - position);
        }

        void readFully(byte[] dst, String what) throws IOException {
            int off = 0;
            int len = dst.length;
            int fromBuf = Math.min(len, buf.remaining());
            buf.get(dst, off, fromBuf);
            off += fromBuf;
            len -= fromBuf;
            if (len >= BUFFER_BYTES) {
                ByteBuffer direct = ByteBuffer.wrap(dst, off, len);
                while (direct.hasRemaining()) {
                    if (ch.read(direct) < 0) {
                        throw truncated(what);
                    }
                }
                len = 0;
            }
            while (len > 0) {
                buf.clear();
                int n = ch.read(buf);
                buf.flip();
                if (n < 0) {
                    throw truncated(what);
                }
                int take = Math.min(len, buf.remaining());
                buf.get(dst, dst.length - len, take);
                len -= take;
            }
            position += dst.length;
        }

        private RpmFormatException truncated(String what) {
            return new RpmFormatException(file, "truncated: file ends inside the " + what);
        }
    }
}

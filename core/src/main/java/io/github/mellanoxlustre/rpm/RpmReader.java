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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

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

    /**
     * One read buffer per thread, reused from file to file (a read never calls back into user
     * code, so a thread is never inside two reads at once).
     */
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER_BYTES));
    /**
     * One digest of each kind per thread, reset before each use: looking one up per file costs more
     * than the digest of a small header in a JVM that has just started (a provider search, and
     * reflection that the JVM turns into generated code after 15 calls).
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> digest("SHA-256"));
    private static final ThreadLocal<MessageDigest> SHA_1 = ThreadLocal.withInitial(() -> digest("SHA-1"));
    /** The reader's own SHA-256 ({@link Sha256Digest}), one per thread as the JDK's. */
    private static final ThreadLocal<MessageDigest> OWN_SHA_256 = ThreadLocal.withInitial(Sha256Digest::new);
    /**
     * Header bytes a JVM hashes with {@link Sha256Digest} before it takes the JDK's SHA-256: a
     * process that checks a few packages is spared the JCA's start-up, and a long one gets the
     * JDK's, which the C2 compiler runs with the CPU's SHA instructions.
     */
    static final long OWN_SHA256_BYTES = 4L << 20;
    /** The system property that keeps the reader on its own SHA-256 ({@value #OWN_SHA256_ONLY}). */
    public static final String SHA256_PROPERTY = "mlnx.lustre.sha256";
    /**
     * {@link #SHA256_PROPERTY}'s value the launcher sets when it runs the C1 compiler only, under
     * which the JDK's SHA-256 is the slower one at any size.
     */
    public static final String OWN_SHA256_ONLY = "own";
    private static final boolean OWN_ONLY = OWN_SHA256_ONLY.equals(System.getProperty(SHA256_PROPERTY));
    private static final AtomicLong SHA256_BYTES = new AtomicLong();

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
        Objects.requireNonNull(file, "file");
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
        return read(file, attrs);
    }

    /**
     * Reads the headers of an RPM file whose attributes (links followed) the caller has just read,
     * which saves reading them again.
     *
     * @throws RpmFormatException when the file cannot be read or is not a well-formed RPM package
     */
    public RpmPackage read(Path file, BasicFileAttributes attrs) throws RpmFormatException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(attrs, "attrs");
        if (attrs.isDirectory()) {
            throw new RpmFormatException(file, "is a directory, not an RPM file");
        }
        if (!attrs.isRegularFile()) {
            throw new RpmFormatException(file, "not a regular file");
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ)) {
            // The size is the one just read with the attributes: no fstat/lseek for it here.
            return read(file, ch, attrs.size());
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
        return read(file, ch, ch.size() - ch.position());
    }

    private RpmPackage read(Path file, SeekableByteChannel ch, long size) throws IOException {
        try {
            return parse(file, new Input(file, ch, size, BUFFER.get()));
        } catch (RuntimeException e) {
            // Last net: the checks above are meant to make this unreachable.
            throw new RpmFormatException(file, "malformed RPM (" + e + ")", e);
        }
    }

    private RpmPackage parse(Path file, Input in) throws IOException {
        byte[] lead = new byte[LEAD_BYTES];
        if (in.remaining() < LEAD_BYTES) {
            throw new RpmFormatException(file, in.remaining() == 0 ? "empty file, not an RPM package"
                    : "not an RPM package: only " + in.remaining() + " byte" + (in.remaining() == 1 ? "" : "s")
                    + " long, shorter than the 96 bytes every RPM file starts with (cut short by a download or copy?)");
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
                SIG_TAGS_MAX, SIG_DATA_MAX, false, budget, false);
        budget -= sig.size();
        sig.requireUniqueTags();
        // Taken out now: the signature header may sit in the read buffer the main header refills.
        ExpectedDigest expected = expectedDigest(file, sig);
        int pad = (int) ((8 - (sig.size() % 8)) % 8);
        if (pad > 0) {
            if (in.remaining() < pad) {
                throw new RpmFormatException(file, "truncated: file ends in the signature header padding");
            }
            in.readFully(new byte[pad], "signature header padding");
        }
        HeaderBlob main = readHeader(file, in, "main header", HeaderBlob.TAG_HEADERIMMUTABLE,
                MAIN_TAGS_MAX, MAIN_DATA_MAX, true, budget, true);
        long headerBytes = in.position();

        main.requireUniqueTags();
        if (verifyDigest && expected != null) {
            expected.verify(file, main);
        }
        return toPackage(file, main, leadType, headerBytes);
    }

    /**
     * Reads and checks one header; with {@code keep} its bytes never stay in the shared read
     * buffer (the main header's lists are views of them).
     */
    private static HeaderBlob readHeader(Path file, Input in, String what, int regionTag, int tagsMax,
            int dataMax, boolean exactSize, long budget, boolean keep) throws IOException {
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
        byte[] body = in.bufferArray();
        int base = in.window((int) need);
        if (base >= 0 && keep) {
            // The package's lists are read from these bytes later: not from the reused buffer.
            body = Arrays.copyOfRange(body, base, base + (int) need);
            base = 0;
        } else if (base < 0) {
            body = new byte[(int) need];
            in.readFully(body, what);
            base = 0;
        }
        return HeaderBlob.parse(file, what, intro, body, base, regionTag, exactSize);
    }

    /** The main header digest the signature header carries: SHA-256 (tag 273), else SHA-1 (tag 269). */
    private record ExpectedDigest(String algorithm, String hex, byte[] bytes) {
        void verify(Path file, HeaderBlob main) throws RpmFormatException {
            MessageDigest md = algorithm.equals("SHA-256") ? sha256(main.size()) : SHA_1.get();
            md.reset();
            main.digest(md);
            byte[] actual = md.digest();
            if (!MessageDigest.isEqual(actual, bytes)) {
                throw new RpmFormatException(file, "main header " + algorithm
                        + " digest mismatch (header corrupted): signature header says " + hex
                        + ", main header hashes to " + HexFormat.of().formatHex(actual));
            }
        }
    }

    /** The SHA-256 for a header of {@code bytes}: the reader's own or the JDK's ({@link #ownSha256}). */
    private static MessageDigest sha256(long bytes) {
        return ownSha256(OWN_ONLY, SHA256_BYTES.getAndAdd(bytes)) ? OWN_SHA_256.get() : SHA_256.get();
    }

    /**
     * Whether a header is hashed with {@link Sha256Digest}: always when {@code ownOnly} (the
     * launcher's C1-only runs), else while fewer than {@link #OWN_SHA256_BYTES} header bytes were
     * hashed before it in this JVM.
     */
    static boolean ownSha256(boolean ownOnly, long hashedBefore) {
        return ownOnly || hashedBefore < OWN_SHA256_BYTES;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }

    /** Null when the signature header carries no header digest (packages from before rpm 4.0.3). */
    private static ExpectedDigest expectedDigest(Path file, HeaderBlob sig) throws RpmFormatException {
        String hex = sig.string(RpmTag.SIG_SHA256);
        String algorithm = "SHA-256";
        int hexLength = 64;
        if (hex == null) {
            hex = sig.string(RpmTag.SIG_SHA1);
            algorithm = "SHA-1";
            hexLength = 40;
        }
        if (hex == null) {
            return null;
        }
        if (hex.length() != hexLength) {
            throw new RpmFormatException(file, "signature header: " + algorithm + " header digest is not "
                    + hexLength + " hex digits");
        }
        try {
            return new ExpectedDigest(algorithm, hex, HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new RpmFormatException(file, "signature header: " + algorithm + " header digest is not hex");
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
        boolean source = isSource(h);
        boolean noSource = source && (h.has(RpmTag.NOSOURCE) || h.has(RpmTag.NOPATCH));
        String compressor = h.string(RpmTag.PAYLOADCOMPRESSOR);
        return new RpmPackage(name, epoch, version, release, h.string(RpmTag.ARCH), h.string(RpmTag.LICENSE),
                source, source ? "" : h.string(RpmTag.SOURCERPM),
                dependencies(file, h, "require", RpmTag.REQUIRENAME, RpmTag.REQUIREFLAGS, RpmTag.REQUIREVERSION),
                dependencies(file, h, "provide", RpmTag.PROVIDENAME, RpmTag.PROVIDEFLAGS, RpmTag.PROVIDEVERSION),
                files(file, h, maxHeaderBytes), compressor, headerBytes, leadType, noSource);
    }

    /**
     * Source or binary, decided from the signed main header only, as rpm does when it reads a
     * package file: {@code applyRetrofits} (lib/package.c) gives a header with neither SOURCERPM
     * nor SOURCEPACKAGE a SOURCEPACKAGE when {@code headerIsSourceHeuristic} says so (one DIRNAMES
     * entry, empty, which an old file list of names without a leading {@code /} also becomes) and
     * a SOURCERPM otherwise; then {@code headerIsSource} (lib/headerutil.c) is "no SOURCERPM". The
     * lead's type byte is not looked at: no digest or signature covers it.
     */
    private static boolean isSource(HeaderBlob h) throws RpmFormatException {
        if (h.has(RpmTag.SOURCERPM)) {
            return false;
        }
        if (h.has(RpmTag.SOURCEPACKAGE)) {
            return true;
        }
        HeaderStrings dirs = h.strings(RpmTag.DIRNAMES);
        if (dirs != null) {
            return dirs.size() == 1 && dirs.length(dirs.start(0)) == 0;
        }
        HeaderStrings old = h.strings(RpmTag.OLDFILENAMES);
        // compressFilelist puts every file in the one directory "" when the first has no leading '/'.
        return old != null && !old.get(0).startsWith("/");
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
        HeaderStrings names = h.strings(nameTag);
        HeaderBlob.HeaderInts flags = h.ints(flagsTag);
        HeaderStrings versions = h.strings(versionTag);
        if (names == null) {
            if (flags != null || versions != null) {
                throw new RpmFormatException(file, "main header: " + kind + " flags or versions without names");
            }
            return List.of();
        }
        int n = names.size();
        if ((flags != null && flags.size() != n) || (versions != null && versions.size() != n)) {
            throw new RpmFormatException(file, "main header: " + n + " " + kind + " names but "
                    + (flags == null ? 0 : flags.size()) + " flags and "
                    + (versions == null ? 0 : versions.size()) + " versions");
        }
        return new HeaderDependencies(names, flags, versions);
    }

    /**
     * File paths from DIRNAMES[DIRINDEXES[i]] + BASENAMES[i], or OLDFILENAMES, decoded when read.
     * Since many files may name one long directory, the expanded paths could be far larger than
     * the header; their total length is capped at {@code maxBytes} (the header size cap).
     */
    private static List<String> files(Path file, HeaderBlob h, long maxBytes) throws RpmFormatException {
        HeaderStrings base = h.strings(RpmTag.BASENAMES);
        if (base == null) {
            if (h.has(RpmTag.DIRNAMES) || h.has(RpmTag.DIRINDEXES)) {
                throw new RpmFormatException(file, "main header: DIRNAMES/DIRINDEXES without BASENAMES");
            }
            HeaderStrings old = h.strings(RpmTag.OLDFILENAMES);
            return old == null ? List.of() : old;
        }
        int files = base.size();
        HeaderStrings dirs = h.strings(RpmTag.DIRNAMES);
        HeaderBlob.HeaderInts index = h.ints(RpmTag.DIRINDEXES);
        if (dirs == null || index == null || index.size() != files) {
            throw new RpmFormatException(file, "main header: " + files + " BASENAMES but "
                    + (index == null ? 0 : index.size()) + " DIRINDEXES and "
                    + (dirs == null ? "no" : dirs.size()) + " DIRNAMES");
        }
        long bytes = 0;
        HeaderStrings.Cursor c = base.cursor();
        int lastDir = -1;
        int lastDirLength = 0;
        for (int i = 0; i < files; i++) {
            int d = index.get(i);
            if (d < 0 || d >= dirs.size()) {
                throw new RpmFormatException(file, "main header: DIRINDEXES[" + i + "] = " + d
                        + " outside the " + dirs.size() + " DIRNAMES");
            }
            if (d != lastDir) {
                lastDirLength = dirs.length(dirs.start(d));
                lastDir = d;
            }
            int b = c.next();
            bytes += lastDirLength + (c.lastEnd() - b);
        }
        if (bytes > maxBytes) {
            throw new RpmFormatException(file, "main header: the " + files + " file paths add up to "
                    + bytes + " bytes, more than the cap of " + maxBytes);
        }
        return new HeaderFiles(dirs, index, base);
    }

    /**
     * Sequential reads through one {@link #BUFFER_BYTES} buffer: small reads are served from the
     * buffer, a read larger than what the buffer holds copies what it holds and reads the rest
     * straight into the destination, so the channel is never read more than one buffer past the
     * bytes asked for. A header already whole in the buffer is parsed where it lies ({@link #window}).
     */
    private static final class Input {
        private static final int MAX_IDLE_READS = 1000;
        private final Path file;
        private final SeekableByteChannel ch;
        private final ByteBuffer buf;
        private final long size;
        private long position;
        private int idleReads;

        Input(Path file, SeekableByteChannel ch, long size, ByteBuffer buf) {
            this.buf = buf.clear().flip();
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

        /** The buffer's backing array, for {@link #window}. */
        byte[] bufferArray() {
            return buf.array();
        }

        /**
         * When the next {@code len} bytes are already in the buffer, consumes them and returns where
         * they start in {@link #bufferArray()}; otherwise -1 and nothing is consumed.
         */
        int window(int len) {
            if (buf.remaining() < len) {
                return -1;
            }
            int at = buf.arrayOffset() + buf.position();
            buf.position(buf.position() + len);
            position += len;
            return at;
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
                    progress(ch.read(direct), what);
                }
                len = 0;
            }
            while (len > 0) {
                buf.clear();
                int n = ch.read(buf);
                buf.flip();
                progress(n, what);
                int take = Math.min(len, buf.remaining());
                buf.get(dst, dst.length - len, take);
                len -= take;
            }
            position += dst.length;
        }

        /** Fails at end of file, and when a channel keeps returning nothing (it would spin forever). */
        private void progress(int n, String what) throws RpmFormatException {
            if (n < 0) {
                throw new RpmFormatException(file, "truncated: file ends inside the " + what);
            }
            if (n == 0 && ++idleReads > MAX_IDLE_READS) {
                throw new RpmFormatException(file, "read error: no progress reading the " + what);
            }
            if (n > 0) {
                idleReads = 0;
            }
        }
    }
}

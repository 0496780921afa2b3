package io.github.mellanoxlustre.rpm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * One RPM header structure (signature header or main header) read into memory and checked the way
 * rpm's {@code lib/header.c} ({@code hdrblobInit}, {@code hdrblobVerifyRegion},
 * {@code hdrblobVerifyInfo}) checks it before any value is looked at: tag and data counts within
 * rpm's limits, a well-formed region tag and trailer, every index entry with a known type, an
 * in-range aligned offset, a count that fits the data store, entries in offset order without
 * overlap, and every string NUL-terminated inside the data store.
 *
 * <p>After {@link #parse} succeeds, every accessor reads only bytes the checks proved to be inside
 * the blob, so no accessor can index out of bounds. Accessors check the type of the entry they
 * read and throw {@link RpmFormatException} on a mismatch.
 */
final class HeaderBlob {
    /** The 8 bytes every header starts with ({@code rpm_header_magic}). */
    static final byte[] MAGIC = {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 0x01, 0, 0, 0, 0};
    /** Size of the magic plus the tag count and data length that follow it. */
    static final int INTRO_BYTES = 16;
    /** Size of one index entry: tag, type, offset, count. */
    static final int ENTRY_BYTES = 16;

    static final int TYPE_NULL = 0;
    static final int TYPE_CHAR = 1;
    static final int TYPE_INT8 = 2;
    static final int TYPE_INT16 = 3;
    static final int TYPE_INT32 = 4;
    static final int TYPE_INT64 = 5;
    static final int TYPE_STRING = 6;
    static final int TYPE_BIN = 7;
    static final int TYPE_STRING_ARRAY = 8;
    static final int TYPE_I18NSTRING = 9;

    /** rpm's {@code HEADER_I18NTABLE}: tags below it are reserved for regions. */
    static final int TAG_I18NTABLE = 100;
    static final int TAG_HEADERIMAGE = 61;
    static final int TAG_HEADERSIGNATURES = 62;
    static final int TAG_HEADERIMMUTABLE = 63;

    /** rpm's {@code HEADER_ARRAY_MAX}: most elements any non-binary entry may have. */
    static final int ARRAY_MAX = 0x000fffff;

    /** Eight bytes at once for NUL scanning; little-endian, so the first byte is the lowest. */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int[] TYPE_SIZE = {0, 1, 1, 2, 4, 8, -1, 1, -1, -1};
    private static final int[] TYPE_ALIGN = {1, 1, 1, 2, 4, 8, 1, 1, 1, 1};

    private final Path file;
    private final String what;
    private final byte[] body;
    /** Where the index starts in {@link #body} (a header may be a window of a larger read buffer). */
    private final int base;
    private final int il;
    private final int dl;
    private final int dataStart;
    private final int regionIl;
    private final int regionDl;
    private final boolean hasRegion;
    /** Tags in ascending order and, for each, its index entry: built once, then binary-searched. */
    private final int[] sortedTags;
    private final int[] sortedEntries;

    private HeaderBlob(Path file, String what, byte[] body, int base, int il, int dl,
            boolean hasRegion, int regionIl, int regionDl) {
        this.file = file;
        this.what = what;
        this.body = body;
        this.base = base;
        this.il = il;
        this.dl = dl;
        this.dataStart = base + il * ENTRY_BYTES;
        this.hasRegion = hasRegion;
        this.regionIl = regionIl;
        this.regionDl = regionDl;
        this.sortedTags = new int[il];
        this.sortedEntries = new int[il];
        boolean sorted = true;
        for (int i = 0; i < il; i++) {
            sortedTags[i] = int32(body, base + i * ENTRY_BYTES);
            sortedEntries[i] = i;
            sorted &= i == 0 || sortedTags[i] > sortedTags[i - 1];
        }
        if (!sorted) {
            // rpm writes the index in tag order; anything else is sorted here once.
            long[] keys = new long[il];
            for (int i = 0; i < il; i++) {
                keys[i] = ((long) sortedTags[i] << 32) | i;
            }
            Arrays.sort(keys);
            for (int i = 0; i < il; i++) {
                sortedTags[i] = (int) (keys[i] >> 32);
                sortedEntries[i] = (int) keys[i];
            }
        }
    }

    /** Big-endian signed 32-bit value at {@code off}. */
    static int int32(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    /**
     * Checks a header read into memory.
     *
     * @param intro     the 16 bytes magic, tag count, data length (already checked by the caller)
     * @param body      holds, from {@code base} on, the index ({@code 16 * il} bytes) followed by the
     *                  data store ({@code dl} bytes); the caller guarantees those bytes are there
     * @param base      where the index starts in {@code body}
     * @param regionTag the region tag this header must carry if it has one (62 or 63)
     * @param exactSize whether the region must cover the whole header (rpm requires it of the main
     *                  header of a package file)
     */
    static HeaderBlob parse(Path file, String what, byte[] intro, byte[] body, int base, int regionTag,
            boolean exactSize) throws RpmFormatException {
        int il = int32(intro, 8);
        int dl = int32(intro, 12);
        if (base < 0 || body.length - base < (long) il * ENTRY_BYTES + dl) {
            throw new IllegalStateException("body shorter than il/dl say");
        }
        if (il < 1) {
            throw new RpmFormatException(file, what + ": no tags");
        }
        Index index = new Index(file, what, body, base, il, dl);
        Region region = index.region(regionTag, exactSize);
        boolean typeCheck = regionTag == TAG_HEADERIMMUTABLE;
        long end = 0;
        for (int i = region.present() ? 1 : 0; i < il; i++) {
            end = index.checkEntry(i, end, region, typeCheck);
        }
        return new HeaderBlob(file, what, body, base, il, dl, region.present(), region.ril(), region.rdl());
    }

    /**
     * The region a header's first tag declares, as rpm's {@code headerVerifyRegion} reads it.
     *
     * @param present whether the header has one
     * @param ril     the tags it covers
     * @param rdl     the data bytes it covers, its trailer included
     */
    private record Region(boolean present, int ril, int rdl) {
        static final Region NONE = new Region(false, 0, 0);
    }

    /**
     * A header's index ({@code il} entries from {@code base}) and data store ({@code dl} bytes after
     * it), checked entry by entry as rpm's {@code hdrblobVerifyInfo} does.
     */
    private record Index(Path file, String what, byte[] body, int base, int il, int dl) {
        int dataStart() {
            return base + il * ENTRY_BYTES;
        }

        Region region(int regionTag, boolean exactSize) throws RpmFormatException {
            if (int32(body, base) != regionTag) {
                return Region.NONE;
            }
            int type = int32(body, base + 4);
            int off = int32(body, base + 8);
            int count = int32(body, base + 12);
            if (type != TYPE_BIN || count != ENTRY_BYTES) {
                throw new RpmFormatException(file, what + ": bad region tag (type " + type + ", count " + count + ")");
            }
            if (off < 0 || (long) off + ENTRY_BYTES > dl) {
                throw new RpmFormatException(file, what + ": region trailer offset " + off
                        + " outside the data store of " + dl + " bytes");
            }
            int t = dataStart() + off;
            int ttag = int32(body, t);
            int ttype = int32(body, t + 4);
            long toff = -(long) int32(body, t + 8);
            int tcount = int32(body, t + 12);
            if (regionTag == TAG_HEADERSIGNATURES && ttag == TAG_HEADERIMAGE) {
                ttag = TAG_HEADERSIGNATURES; // as rpm: old packages carry HEADERIMAGE here
            }
            if (ttag != regionTag || ttype != TYPE_BIN || tcount != ENTRY_BYTES) {
                throw new RpmFormatException(file, what + ": bad region trailer (tag " + ttag + ", type "
                        + ttype + ", count " + tcount + ")");
            }
            int rdl = off + ENTRY_BYTES;
            if (toff % ENTRY_BYTES != 0 || toff < 0 || toff / ENTRY_BYTES > il) {
                throw new RpmFormatException(file, what + ": bad region size (trailer offset " + (-toff)
                        + ", " + il + " tags)");
            }
            int ril = (int) (toff / ENTRY_BYTES);
            if (exactSize && (ril != il || rdl != dl)) {
                throw new RpmFormatException(file, what + ": region covers " + ril + " of " + il + " tags and "
                        + rdl + " of " + dl + " data bytes");
            }
            return new Region(true, ril, rdl);
        }

        /** Checks entry {@code i}, whose data must start at or after {@code end}; returns where its data ends. */
        long checkEntry(int i, long end, Region region, boolean typeCheck) throws RpmFormatException {
            int e = base + i * ENTRY_BYTES;
            int tag = int32(body, e);
            int type = int32(body, e + 4);
            int off = int32(body, e + 8);
            int count = int32(body, e + 12);
            checkFields(i, end, tag, type, off, count);
            if (typeCheck) {
                int expected = RpmTag.expectedType(tag);
                if (expected >= 0 && !RpmTag.compatible(expected, type)) {
                    throw bad(i, " has type " + type + ", rpm defines type " + expected + " for this tag");
                }
            }
            long len = dataLength(body, dataStart(), dl, type, off, count);
            if (len <= 0 || off + len > dl) {
                throw bad(i, " data does not fit the data store of " + dl + " bytes");
            }
            long dataEnd = off + len;
            if (region.present() && dataEnd > region.rdl() - ENTRY_BYTES && off < region.rdl()) {
                throw bad(i, " data overlaps the region trailer");
            }
            return dataEnd;
        }

        private void checkFields(int i, long end, int tag, int type, int off, int count) throws RpmFormatException {
            if (end > off) {
                throw bad(i, " overlaps the previous entry's data");
            }
            if (tag < TAG_I18NTABLE) {
                throw bad(i, " has a reserved tag number");
            }
            if (type < TYPE_NULL || type > TYPE_I18NSTRING) {
                throw bad(i, " has an unknown type");
            }
            if (count < 1 || count > dl) {
                throw bad(i, " count outside 1.." + dl);
            }
            if ((off & (TYPE_ALIGN[type] - 1)) != 0) {
                throw bad(i, " offset is not aligned for its type");
            }
            if (off < 0 || off > dl) {
                throw bad(i, " offset outside the data store of " + dl + " bytes");
            }
            if (type != TYPE_BIN && count > ARRAY_MAX) {
                throw bad(i, " has more than " + ARRAY_MAX + " elements");
            }
        }

        private RpmFormatException bad(int i, String problem) {
            return badEntry(file, what, body, base, i, problem);
        }
    }

    private static RpmFormatException badEntry(Path file, String what, byte[] body, int base, int i,
            String problem) {
        int e = base + i * ENTRY_BYTES;
        return new RpmFormatException(file, what + ": entry " + i + " (tag " + int32(body, e) + ", type "
                + int32(body, e + 4) + ", offset " + int32(body, e + 8) + ", count " + int32(body, e + 12) + ")"
                + problem);
    }

    /** Bytes of an entry's data, or -1 when it does not fit; as rpm's {@code dataLength}. */
    private static long dataLength(byte[] body, int ds, int dl, int type, int off, int count) {
        switch (type) {
            case TYPE_STRING:
                if (count != 1) {
                    return -1;
                }
                return stringsLength(body, ds + off, ds + dl, 1);
            case TYPE_STRING_ARRAY:
            case TYPE_I18NSTRING:
                return stringsLength(body, ds + off, ds + dl, count);
            default:
                long len = (long) TYPE_SIZE[type] * count;
                return len > dl - off ? -1 : len;
        }
    }

    /** Bytes taken by {@code count} NUL-terminated strings starting at {@code from}, or -1. */
    private static long stringsLength(byte[] b, int from, int to, int count) {
        int p = from;
        int left = count;
        // Sixteen bytes at a time while the NULs in them do not finish the count.
        while (p + 16 <= to) {
            int zeros = Long.bitCount(zeroBytes((long) LONG.get(b, p)))
                    + Long.bitCount(zeroBytes((long) LONG.get(b, p + 8)));
            if (zeros >= left) {
                break;
            }
            left -= zeros;
            p += 16;
        }
        while (p < to) {
            if (b[p++] == 0 && --left == 0) {
                return p - from;
            }
        }
        return -1;
    }

    /** The high bit of every byte that is zero in {@code v}, and no other bit. */
    private static long zeroBytes(long v) {
        final long low7 = 0x7f7f7f7f7f7f7f7fL;
        return ~(((v & low7) + low7) | v | low7);
    }

    /** Index of the first NUL at or after {@code from}; one is known to exist before the data end. */
    private int nul(int from) {
        return nul(body, from, dataStart + dl);
    }

    /** Index of the first NUL at or after {@code from} in {@code b}; one is known to exist before {@code end}. */
    static int nul(byte[] b, int from, int end) {
        int p = from;
        while (p + 8 <= end) {
            long z = zeroBytes((long) LONG.get(b, p));
            if (z != 0) {
                return p + (Long.numberOfTrailingZeros(z) >>> 3);
            }
            p += 8;
        }
        while (b[p] != 0) {
            p++;
        }
        return p;
    }

    /** Bytes this header takes in the file: magic, counts, index and data. */
    long size() {
        return INTRO_BYTES + (long) il * ENTRY_BYTES + dl;
    }

    /**
     * Feeds the bytes rpm digests for this header (its {@code updateHdrDigests}): the magic, the
     * region's tag count and data length, the region's index entries and data.
     */
    void digest(MessageDigest md) {
        int ril = hasRegion ? regionIl : il;
        int rdl = hasRegion ? regionDl : dl;
        md.update(MAGIC);
        md.update(new byte[] {(byte) (ril >>> 24), (byte) (ril >>> 16), (byte) (ril >>> 8), (byte) ril,
                (byte) (rdl >>> 24), (byte) (rdl >>> 16), (byte) (rdl >>> 8), (byte) rdl});
        md.update(body, base, ril * ENTRY_BYTES);
        md.update(body, dataStart, rdl);
    }

    /** Index of the entry with this tag, or -1. */
    private int find(int tag) {
        int k = Arrays.binarySearch(sortedTags, tag);
        return k < 0 ? -1 : sortedEntries[k];
    }

    boolean has(int tag) {
        return find(tag) >= 0;
    }

    /** Rejects a header that names the same tag twice (rpm's writer never does). */
    void requireUniqueTags() throws RpmFormatException {
        for (int i = 1; i < il; i++) {
            if (sortedTags[i] == sortedTags[i - 1]) {
                throw new RpmFormatException(file, what + ": tag " + sortedTags[i] + " appears more than once");
            }
        }
    }

    private int type(int i) {
        return int32(body, base + i * ENTRY_BYTES + 4);
    }

    private int offset(int i) {
        return dataStart + int32(body, base + i * ENTRY_BYTES + 8);
    }

    private int count(int i) {
        return int32(body, base + i * ENTRY_BYTES + 12);
    }

    private RpmFormatException wrongType(int tag, int i, String expected) {
        return new RpmFormatException(file, what + ": tag " + tag + " has type " + type(i) + " and count "
                + count(i) + ", expected " + expected);
    }

    private static boolean isString(int type) {
        return type == TYPE_STRING || type == TYPE_STRING_ARRAY || type == TYPE_I18NSTRING;
    }

    /**
     * A single string value: a STRING entry, or the first string of an I18NSTRING (the default
     * locale) or STRING_ARRAY entry, as rpm's {@code headerGetString}. Null when the tag is absent.
     */
    String string(int tag) throws RpmFormatException {
        int i = find(tag);
        if (i < 0) {
            return null;
        }
        if (!isString(type(i))) {
            throw wrongType(tag, i, "a string");
        }
        int from = offset(i);
        return new String(body, from, nul(from) - from, StandardCharsets.UTF_8);
    }

    /**
     * The strings of a STRING_ARRAY entry, decoded when read; null when the tag is absent. Another
     * string type is refused: rpm's {@code headerGet} gives one string (the current locale's) for
     * an I18NSTRING entry and none for a STRING one where it reads an array, so it would see other
     * values than the entry's elements.
     */
    HeaderStrings strings(int tag) throws RpmFormatException {
        int i = find(tag);
        if (i < 0) {
            return null;
        }
        if (type(i) != TYPE_STRING_ARRAY) {
            throw new RpmFormatException(file, what + ": tag " + tag + " has type " + type(i) + " and count "
                    + count(i) + " where rpm reads a string array (type " + TYPE_STRING_ARRAY + "); rpm would "
                    + (type(i) == TYPE_I18NSTRING ? "see only its first string" : "not read it as an array")
                    + ", so it is refused rather than read differently");
        }
        return new HeaderStrings(body, offset(i), count(i), dataStart + dl);
    }

    /** The values of an INT32 entry, read from the header bytes when asked for; null when absent. */
    HeaderInts ints(int tag) throws RpmFormatException {
        int i = find(tag);
        if (i < 0) {
            return null;
        }
        if (type(i) != TYPE_INT32) {
            throw wrongType(tag, i, "INT32 values");
        }
        return new HeaderInts(body, offset(i), count(i));
    }

    /** The INT32 values of one entry, as they lie in the header bytes (checked to be inside them). */
    record HeaderInts(byte[] bytes, int from, int size) {
        int get(int k) {
            return int32(bytes, from + 4 * Objects.checkIndex(k, size));
        }
    }

    /** The values of an INT32 entry; null when the tag is absent. */
    int[] int32Array(int tag) throws RpmFormatException {
        int i = find(tag);
        if (i < 0) {
            return null;
        }
        if (type(i) != TYPE_INT32) {
            throw wrongType(tag, i, "INT32 values");
        }
        int n = count(i);
        int[] out = new int[n];
        int p = offset(i);
        for (int k = 0; k < n; k++) {
            out[k] = int32(body, p + 4 * k);
        }
        return out;
    }
}

package io.github.mellanoxlustre.ofed;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * commons-compress's tar reader with everything it keeps in memory while reading an entry's headers
 * bounded, checked before it is read.
 *
 * <p>commons-compress 1.28 reads a GNU long name or long link ('L', 'K') and every PAX header ('x',
 * 'g') whole into memory, however large the header says it is, and follows a chain of such headers
 * by recursion: a 300 MiB name that compresses to 1 MiB ends in {@link OutOfMemoryError}, a long
 * chain in {@link StackOverflowError}. 1.28 has no option to limit them (its development line adds
 * {@code setMaxEntryNameLength} to the archive builders; not released here). Every such read goes
 * through this stream's {@link #read(byte[], int, int)} with the
 * extension as the current entry, so the size is checked there, before the first byte is read:
 * <ul>
 *   <li>a GNU long name or long link holds at most {@value #MAX_NAME_BYTES} bytes (Linux's
 *       {@code PATH_MAX}, the terminating NUL included);</li>
 *   <li>the PAX headers of one entry hold at most {@value #MAX_PAX_BYTES} bytes together, the
 *       global PAX headers of the whole archive as much again;</li>
 *   <li>one entry has at most {@value #MAX_HEADER_RECORDS} header records (its own, the extensions
 *       before it, old GNU sparse extensions);</li>
 *   <li>everything read from the tar stream for one entry that is not the entry's own content
 *       (headers, extensions, padding, sparse maps) is at most {@value #MAX_METADATA_BYTES} bytes.</li>
 * </ul>
 * A limit exceeded is an {@link UnsafeArchiveException} naming the entry as far as it is known: the
 * extension header's name and the first bytes of the long name.
 */
final class BoundedTarInputStream extends TarArchiveInputStream {
    /** Limit of a GNU long name or long link, the terminating NUL included ({@code PATH_MAX}). */
    static final int MAX_NAME_BYTES = 4096;
    /** Limit of the PAX headers of one entry together, and of all global PAX headers together. */
    static final int MAX_PAX_BYTES = 64 * 1024;
    /** Limit of header records per entry. */
    static final int MAX_HEADER_RECORDS = 32;
    /** Limit of the bytes read per entry that are not its content. */
    static final int MAX_METADATA_BYTES = 256 * 1024;

    private static final int SHOWN = 48;

    private final Meter meter;
    private final String label;
    /** The extension header whose size was checked last. */
    private TarArchiveEntry checked;
    private long paxBytes;
    private long globalPaxBytes;
    private int records;

    private BoundedTarInputStream(Meter meter, String label) {
        // Names in UTF-8 whatever the locale (PAX names always are): under LC_ALL=C the platform's
        // ASCII decoder would call a UTF-8 name a damaged archive; the extractor then says that the
        // name cannot be a file name here.
        super(meter, StandardCharsets.UTF_8.name());
        this.meter = meter;
        this.label = label;
        meter.owner = this;
    }

    /** A reader of the decompressed tar stream {@code tar}; {@code label} names the archive in errors. */
    static BoundedTarInputStream open(InputStream tar, String label) {
        return new BoundedTarInputStream(new Meter(tar), label);
    }

    /** The next entry (extensions applied), or null at the end; the limits start again for it. */
    TarArchiveEntry next() throws IOException {
        records = 0;
        paxBytes = 0;
        meter.metadata = 0;
        return getNextEntry();
    }

    @Override
    public int read(byte[] buf, int offset, int length) throws IOException {
        boolean extension = checkExtension();
        meter.content = !extension;
        try {
            return super.read(buf, offset, length);
        } finally {
            meter.content = false;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        boolean extension = checkExtension();
        meter.content = !extension;
        try {
            return super.skip(n);
        } finally {
            meter.content = false;
        }
    }

    @Override
    protected byte[] readRecord() throws IOException {
        if (++records > MAX_HEADER_RECORDS) {
            throw unsafe(currentName(), "is preceded by more than " + MAX_HEADER_RECORDS + " tar header records "
                    + "(PAX headers, GNU long names, sparse maps); a genuine archive has a few");
        }
        return super.readRecord();
    }

    /** Whether the current entry is an extension that commons-compress reads into memory; checks its size once. */
    private boolean checkExtension() throws IOException {
        TarArchiveEntry e = getCurrentEntry();
        if (e == null) {
            return false;
        }
        boolean gnu = e.isGNULongNameEntry() || e.isGNULongLinkEntry();
        if (!gnu && !e.isPaxHeader() && !e.isGlobalPaxHeader()) {
            return false;
        }
        if (e != checked) {
            checked = e;
            long size = e.getSize();
            if (gnu && size > MAX_NAME_BYTES) {
                String what = e.isGNULongNameEntry() ? "name" : "link target";
                String start = peek();
                throw new UnsafeArchiveException(label, start + "...", "has a GNU long " + what + " of " + size
                        + " bytes; names and link targets are limited to " + MAX_NAME_BYTES + " bytes (PATH_MAX)");
            }
            if (e.isGlobalPaxHeader()) {
                globalPaxBytes += size;
                checkPax(e, size, globalPaxBytes, "a global PAX header", "global PAX headers of the archive");
            } else if (e.isPaxHeader()) {
                paxBytes += size;
                checkPax(e, size, paxBytes, "a PAX header", "PAX headers of one entry");
            }
        }
        return true;
    }

    private void checkPax(TarArchiveEntry e, long size, long total, String header, String what) throws IOException {
        if (total > MAX_PAX_BYTES) {
            throw unsafe(e.getName(), "is " + header + " of " + size + " bytes (starting '" + peek() + "...'); the "
                    + what + " are limited to " + MAX_PAX_BYTES + " bytes together");
        }
    }

    /** The first bytes of the current extension's content, printable. */
    private String peek() throws IOException {
        byte[] start = new byte[SHOWN];
        int n = 0;
        int r;
        while (n < SHOWN && (r = super.read(start, n, SHOWN - n)) > 0) {
            n += r;
        }
        StringBuilder sb = new StringBuilder();
        for (char c : new String(start, 0, n, StandardCharsets.UTF_8).toCharArray()) {
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }

    private String currentName() {
        TarArchiveEntry e = getCurrentEntry();
        return e == null ? "(first entry)" : e.getName();
    }

    private UnsafeArchiveException unsafe(String entry, String reason) {
        return new UnsafeArchiveException(label, entry, reason);
    }

    /** Counts what is read from the tar stream outside an entry's content. */
    private static final class Meter extends FilterInputStream {
        BoundedTarInputStream owner;
        boolean content;
        long metadata;

        Meter(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws UnsafeArchiveException {
            if (content || n <= 0) {
                return;
            }
            metadata += n;
            if (metadata > MAX_METADATA_BYTES) {
                throw owner.unsafe(owner.currentName(), "comes with more than " + MAX_METADATA_BYTES
                        + " bytes of tar headers and extensions (PAX headers, GNU long names, sparse maps)");
            }
        }
    }
}

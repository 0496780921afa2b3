package io.github.mellanoxlustre.rpm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes RPM headers and whole (payload-less) RPM files byte by byte, the way rpm's
 * {@code headerExport} lays them out, for tests that need headers rpmbuild no longer writes
 * (OLDFILENAMES) or precise damage.
 */
final class HeaderWriter {
    private record Entry(int tag, int type, int count, byte[] data, int align) {
    }

    private final List<Entry> entries = new ArrayList<>();

    HeaderWriter string(int tag, String value) {
        return add(tag, HeaderBlob.TYPE_STRING, 1, nul(value), 1);
    }

    HeaderWriter i18nString(int tag, String... values) {
        return strings(tag, HeaderBlob.TYPE_I18NSTRING, values);
    }

    HeaderWriter stringArray(int tag, String... values) {
        return strings(tag, HeaderBlob.TYPE_STRING_ARRAY, values);
    }

    HeaderWriter int32(int tag, int... values) {
        byte[] b = new byte[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            putInt(b, 4 * i, values[i]);
        }
        return add(tag, HeaderBlob.TYPE_INT32, values.length, b, 4);
    }

    HeaderWriter bin(int tag, byte[] data) {
        return add(tag, HeaderBlob.TYPE_BIN, data.length, data.clone(), 1);
    }

    private HeaderWriter strings(int tag, int type, String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String v : values) {
            out.writeBytes(nul(v));
        }
        return add(tag, type, values.length, out.toByteArray(), 1);
    }

    private HeaderWriter add(int tag, int type, int count, byte[] data, int align) {
        entries.add(new Entry(tag, type, count, data, align));
        return this;
    }

    /**
     * The header: magic, tag count, data length, index, data. With {@code regionTag} non-zero the
     * first entry is that region tag and the data ends with its 16-byte trailer.
     */
    byte[] toBytes(int regionTag) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Integer.compare(a.tag, b.tag));
        int il = sorted.size() + (regionTag != 0 ? 1 : 0);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        byte[] e = new byte[16];
        for (Entry en : sorted) {
            while (data.size() % en.align != 0) {
                data.write(0);
            }
            putInt(e, 0, en.tag);
            putInt(e, 4, en.type);
            putInt(e, 8, data.size());
            putInt(e, 12, en.count);
            index.writeBytes(e);
            data.writeBytes(en.data);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HeaderBlob.MAGIC);
        if (regionTag != 0) {
            int trailerOffset = data.size();
            putInt(e, 0, regionTag);
            putInt(e, 4, HeaderBlob.TYPE_BIN);
            putInt(e, 8, -(il * 16));
            putInt(e, 12, 16);
            data.writeBytes(e);
            byte[] intro = new byte[8];
            putInt(intro, 0, il);
            putInt(intro, 4, data.size());
            out.writeBytes(intro);
            putInt(e, 0, regionTag);
            putInt(e, 4, HeaderBlob.TYPE_BIN);
            putInt(e, 8, trailerOffset);
            putInt(e, 12, 16);
            out.writeBytes(e);
        } else {
            byte[] intro = new byte[8];
            putInt(intro, 0, il);
            putInt(intro, 4, data.size());
            out.writeBytes(intro);
        }
        out.writeBytes(index.toByteArray());
        out.writeBytes(data.toByteArray());
        return out.toByteArray();
    }

    /**
     * A whole RPM file without payload: lead, a signature header carrying the SHA-256 of the main
     * header (when {@code withDigest}), padding, and the main header with an immutable region.
     */
    static byte[] rpm(HeaderWriter main, boolean withDigest, boolean sourceLead) throws Exception {
        byte[] mainBytes = main.toBytes(HeaderBlob.TAG_HEADERIMMUTABLE);
        HeaderWriter sig = new HeaderWriter();
        if (withDigest) {
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(mainBytes));
            sig.string(RpmTag.SIG_SHA256, sha256);
        }
        sig.int32(1000, mainBytes.length); // RPMSIGTAG_SIZE (header + empty payload)
        byte[] sigBytes = sig.toBytes(HeaderBlob.TAG_HEADERSIGNATURES);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(lead(sourceLead));
        out.writeBytes(sigBytes);
        out.writeBytes(new byte[(8 - sigBytes.length % 8) % 8]);
        out.writeBytes(mainBytes);
        return out.toByteArray();
    }

    static byte[] lead(boolean source) {
        byte[] lead = new byte[RpmReader.LEAD_BYTES];
        lead[0] = (byte) 0xed;
        lead[1] = (byte) 0xab;
        lead[2] = (byte) 0xee;
        lead[3] = (byte) 0xdb;
        lead[4] = 3; // major
        lead[7] = (byte) (source ? 1 : 0);
        lead[9] = 1; // archnum
        byte[] name = "synthetic".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, lead, 10, name.length);
        lead[77] = 1; // osnum
        lead[79] = 5; // RPMSIGTYPE_HEADERSIG
        return lead;
    }

    private static byte[] nul(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}

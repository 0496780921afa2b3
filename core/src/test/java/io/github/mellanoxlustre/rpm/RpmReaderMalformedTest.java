package io.github.mellanoxlustre.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mellanoxlustre.testing.TestRpm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged, truncated, hostile and unreadable input: every case is an {@link RpmFormatException} with a reason. */
class RpmReaderMalformedTest {
    @TempDir
    static Path shared;
    static byte[] good;
    static int sigStart;
    static int mainStart;
    static long headerBytes;

    @TempDir
    Path tmp;

    private final RpmReader reader = new RpmReader();

    @BeforeAll
    static void buildPackage() throws Exception {
        Path rpm = TestRpm.named("lustre-osd-zfs").version("2.15.4").release("1")
                .file("/usr/lib64/lustre/osd_zfs.so", "elf")
                .file("/etc/modprobe.d/zfs.conf", "options zfs zfs_arc_max=1")
                .requires("kmod-zfs >= 2.1")
                .build(shared);
        good = Files.readAllBytes(rpm);
        sigStart = RpmReader.LEAD_BYTES;
        int sigSize = 16 + 16 * HeaderBlob.int32(good, sigStart + 8) + HeaderBlob.int32(good, sigStart + 12);
        mainStart = sigStart + sigSize + (8 - sigSize % 8) % 8;
        headerBytes = new RpmReader().read(rpm).headerBytes();
        assertThat(HeaderBlob.int32(good, mainStart)).isEqualTo(0x8eade801);
    }

    private Path write(byte[] bytes) throws Exception {
        Path p = Files.createTempFile(tmp, "bad", ".rpm");
        Files.write(p, bytes);
        return p;
    }

    private RpmFormatException failure(byte[] bytes) throws Exception {
        return failure(reader, write(bytes));
    }

    private static RpmFormatException failure(RpmReader r, Path p) {
        RpmFormatException e = catchThrowableOfType(RpmFormatException.class, () -> r.read(p));
        assertThat(e).as("reading %s must fail", p).isNotNull();
        assertThat(e.getFile()).isEqualTo(p.toString());
        assertThat(e.getMessage()).startsWith(p + ": ");
        return e;
    }

    private static byte[] with(int offset, int value) {
        byte[] b = good.clone();
        HeaderWriter.putInt(b, offset, value);
        return b;
    }

    @Test
    void truncatedAnywhereInTheHeadersFails() throws Exception {
        for (int len = 0; len < headerBytes; len += len < 256 ? 1 : 7) {
            RpmFormatException e = failure(Arrays.copyOf(good, len));
            assertThat(e.getReason()).as("truncated at %d", len)
                    .containsAnyOf("truncated", "shorter than the 96 bytes", "empty file");
        }
        RpmFormatException e = failure(Arrays.copyOf(good, (int) headerBytes - 1));
        assertThat(e.getReason()).contains("truncated").contains("main header");
    }

    @Test
    void truncatedPayloadIsNotReadSoHeadersStillParse() throws Exception {
        RpmPackage pkg = reader.read(write(Arrays.copyOf(good, (int) headerBytes)));
        assertThat(pkg.name()).isEqualTo("lustre-osd-zfs");
        assertThat(pkg.headerBytes()).isEqualTo(headerBytes);
    }

    @Test
    void emptyFile() throws Exception {
        assertThat(failure(new byte[0]).getReason()).isEqualTo("empty file, not an RPM package");
    }

    @Test
    void aFileShorterThanTheLeadIsSaidInWordsAUserKnows() throws Exception {
        assertThat(failure(Arrays.copyOf(good, 19)).getReason()).isEqualTo("not an RPM package: only 19 bytes long, "
                + "shorter than the 96 bytes every RPM file starts with (cut short by a download or copy?)");
        assertThat(failure(Arrays.copyOf(good, 1)).getReason()).startsWith("not an RPM package: only 1 byte long,");
    }

    @Test
    void badLeadMagic() throws Exception {
        byte[] b = good.clone();
        b[0] = 'P';
        assertThat(failure(b).getReason()).contains("not an RPM package");
        assertThat(failure("just some text that is long enough to look like a lead of ninety-six bytes, "
                .repeat(3).getBytes()).getReason()).contains("bad lead magic");
    }

    @Test
    void badHeaderMagic() throws Exception {
        byte[] b = good.clone();
        b[sigStart + 1] ^= 1;
        assertThat(failure(b).getReason()).isEqualTo("signature header: bad header magic");
        b = good.clone();
        b[mainStart + 5] = 1;
        assertThat(failure(b).getReason()).isEqualTo("main header: bad header magic");
    }

    @Test
    void hugeIndexCountsAndDataLengthsAreRefusedBeforeAllocating() throws Exception {
        assertThat(failure(with(mainStart + 8, 0x7fffffff)).getReason())
                .isEqualTo("main header: tag count 2147483647 out of range 0..65535");
        assertThat(failure(with(mainStart + 8, -1)).getReason())
                .isEqualTo("main header: tag count 4294967295 out of range 0..65535");
        assertThat(failure(with(mainStart + 12, 0x10000000)).getReason())
                .isEqualTo("main header: data length 268435456 out of range 0..268435455");
        assertThat(failure(with(sigStart + 8, 33)).getReason())
                .isEqualTo("signature header: tag count 33 out of range 0..32");
        assertThat(failure(with(sigStart + 12, 64 * 1024 * 1024 + 1)).getReason())
                .startsWith("signature header: data length 67108865 out of range");
        // Within rpm's limits but larger than the file: refused from the file size, not by reading.
        assertThat(failure(with(mainStart + 8, 0xffff)).getReason())
                .startsWith("truncated: main header needs 10").contains("file has");
        assertThat(failure(with(mainStart + 12, 0x0fffffff)).getReason())
                .contains("exceed the header size cap");
        assertThat(failure(with(mainStart + 8, 0)).getReason()).isEqualTo("main header: no tags");
    }

    @Test
    void headerSizeCapIsConfigurable() throws Exception {
        RpmReader small = new RpmReader(4096);
        Path p = write(good);
        if (headerBytes > 4096) {
            assertThat(failure(small, p).getReason()).contains("exceed the header size cap");
        }
        Path big = TestRpm.named("many").manyFiles("/usr/share/many", 400).build(tmp);
        assertThat(failure(small, big).getReason()).contains("exceed the header size cap");
        assertThat(reader.read(big).files()).hasSize(401);
        assertThatThrownBy(() -> new RpmReader(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxHeaderBytes");
    }

    @Test
    void entryOffsetsCountsTypesAndTagsOutOfRange() throws Exception {
        int entry1 = mainStart + 16 + 16; // the first entry after the region tag
        int il = HeaderBlob.int32(good, mainStart + 8);
        int dl = HeaderBlob.int32(good, mainStart + 12);
        assertThat(failure(with(entry1 + 8, dl + 1)).getReason()).contains("offset outside the data store");
        assertThat(failure(with(entry1 + 8, -4)).getReason()).contains("offset");
        assertThat(failure(with(entry1 + 12, 0)).getReason()).contains("count outside 1..");
        assertThat(failure(with(entry1 + 12, Integer.MAX_VALUE)).getReason()).contains("count outside 1..");
        assertThat(failure(with(entry1 + 4, 10)).getReason()).contains("unknown type");
        assertThat(failure(with(entry1 + 4, HeaderBlob.TYPE_NULL)).getReason()).contains("does not fit");
        assertThat(failure(with(entry1, 99)).getReason()).contains("reserved tag number");
        // The last entry's data pushed past the data store.
        int last = mainStart + 16 + 16 * (il - 1);
        assertThat(failure(with(last + 12, dl)).getReason()).containsAnyOf("does not fit", "overlaps");
        // Two entries claiming the same data.
        byte[] b = with(entry1 + 16 + 8, HeaderBlob.int32(good, entry1 + 8));
        assertThat(failure(b).getReason()).contains("overlaps the previous entry");
        // Region tag and trailer damage.
        assertThat(failure(with(mainStart + 16 + 12, 15)).getReason()).contains("bad region tag");
        assertThat(failure(with(mainStart + 16 + 8, dl)).getReason()).contains("region trailer offset");
        int trailer = mainStart + 16 + 16 * il + HeaderBlob.int32(good, mainStart + 16 + 8);
        assertThat(failure(with(trailer + 8, -(il - 1) * 16)).getReason()).contains("region covers");
        assertThat(failure(with(trailer, 64)).getReason()).contains("bad region trailer");
    }

    @Test
    void corruptedHeaderByteFailsTheDigest() throws Exception {
        int il = HeaderBlob.int32(good, mainStart + 8);
        byte[] b = good.clone();
        int nameByte = indexOf(b, "lustre-osd-zfs".getBytes(), mainStart + 16 + 16 * il);
        b[nameByte] = 'L';
        RpmFormatException e = failure(b);
        assertThat(e.getReason()).startsWith("main header SHA-256 digest mismatch");
    }

    @Test
    void aDigestMismatchLeavesTheNextFileOnTheSameThreadUnharmed() throws Exception {
        // The reader keeps one digest per thread: a failed file must not leave it holding bytes.
        int il = HeaderBlob.int32(good, mainStart + 8);
        byte[] bad = good.clone();
        bad[indexOf(bad, "lustre-osd-zfs".getBytes(), mainStart + 16 + 16 * il)] = 'L';
        Path goodFile = write(good);
        for (int i = 0; i < 20; i++) {
            assertThat(failure(bad).getReason()).startsWith("main header SHA-256 digest mismatch");
            assertThat(reader.read(goodFile).name()).isEqualTo("lustre-osd-zfs");
        }
    }

    @Test
    void corruptedDigestInSignatureHeader() throws Exception {
        byte[] b = good.clone();
        // The SHA-256 hex string: 64 hex digits followed by NUL inside the signature header.
        int start = findHexRun(b, sigStart, mainStart, 64);
        assertThat(start).isPositive();
        b[start] = (byte) (b[start] == 'a' ? 'b' : 'a');
        assertThat(failure(b).getReason()).startsWith("main header SHA-256 digest mismatch");
        b[start] = 'g';
        assertThat(failure(b).getReason()).isEqualTo("signature header: SHA-256 header digest is not hex");
    }

    @Test
    void directoryMissingFileDanglingLinkAndFifo() throws Exception {
        assertThat(failure(reader, tmp).getReason()).isEqualTo("is a directory, not an RPM file");
        assertThat(failure(reader, tmp.resolve("missing.rpm")).getReason()).isEqualTo("no such file");
        Path link = Files.createSymbolicLink(tmp.resolve("dangling.rpm"), tmp.resolve("nowhere.rpm"));
        assertThat(failure(reader, link).getReason()).isEqualTo("no such file");
        Path fifo = tmp.resolve("fifo.rpm");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(p.waitFor()).isZero();
        assertThat(failure(reader, fifo).getReason()).isEqualTo("not a regular file");
    }

    @Test
    void missingNameVersionOrRelease() throws Exception {
        for (int missing : new int[] {RpmTag.NAME, RpmTag.VERSION, RpmTag.RELEASE}) {
            HeaderWriter h = new HeaderWriter();
            for (int tag : new int[] {RpmTag.NAME, RpmTag.VERSION, RpmTag.RELEASE}) {
                if (tag != missing) {
                    h.string(tag, "x");
                }
            }
            h.string(RpmTag.ARCH, "x86_64");
            assertThat(failure(HeaderWriter.rpm(h, true, false)).getReason())
                    .contains("no " + (missing == RpmTag.NAME ? "NAME" : missing == RpmTag.VERSION ? "VERSION" : "RELEASE"));
        }
    }

    @Test
    void inconsistentArraysAndTypes() throws Exception {
        HeaderWriter h = base().stringArray(RpmTag.REQUIRENAME, "a", "b").int32(RpmTag.REQUIREFLAGS, 0)
                .stringArray(RpmTag.REQUIREVERSION, "", "");
        assertThat(failure(HeaderWriter.rpm(h, true, false)).getReason())
                .contains("2 require names but 1 flags");
        h = base().stringArray(RpmTag.BASENAMES, "a", "b").int32(RpmTag.DIRINDEXES, 0, 1)
                .stringArray(RpmTag.DIRNAMES, "/usr/");
        assertThat(failure(HeaderWriter.rpm(h, true, false)).getReason())
                .contains("DIRINDEXES[1] = 1 outside the 1 DIRNAMES");
        h = base().string(RpmTag.EPOCH, "1");
        assertThat(failure(HeaderWriter.rpm(h, true, false)).getReason())
                .contains("tag 1003").contains("rpm defines type 4");
        h = base().int32(RpmTag.EPOCH, -5);
        assertThat(failure(HeaderWriter.rpm(h, true, false)).getReason()).contains("EPOCH");
        h = base().int32(5000, 1).int32(5000, 2);
        assertThat(failure(HeaderWriter.rpm(h, true, false)).getReason()).contains("tag 5000 appears more than once");
    }

    @Test
    void fileListAmplificationIsCapped() throws Exception {
        // One 1 MB directory name shared by 100,000 files would expand to 100 GB of paths.
        int n = 100_000;
        String[] bases = new String[n];
        Arrays.fill(bases, "f");
        HeaderWriter h = base().stringArray(RpmTag.DIRNAMES, "/" + "d".repeat(1024 * 1024) + "/")
                .stringArray(RpmTag.BASENAMES, bases).int32(RpmTag.DIRINDEXES, new int[n]);
        byte[] rpm = HeaderWriter.rpm(h, true, false);
        assertThat(rpm.length).isLessThan(2 * 1024 * 1024);
        assertThat(failure(rpm).getReason()).contains("file paths add up to").contains("more than the cap");
    }

    static HeaderWriter base() {
        return new HeaderWriter().string(RpmTag.NAME, "n").string(RpmTag.VERSION, "1")
                .string(RpmTag.RELEASE, "1").string(RpmTag.ARCH, "x86_64")
                .string(RpmTag.SOURCERPM, "n-1-1.src.rpm");
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int findHexRun(byte[] b, int from, int to, int len) {
        int run = 0;
        for (int i = from; i < to; i++) {
            boolean hex = (b[i] >= '0' && b[i] <= '9') || (b[i] >= 'a' && b[i] <= 'f');
            if (hex) {
                run++;
            } else {
                if (run == len && b[i] == 0) {
                    return i - len;
                }
                run = 0;
            }
        }
        return -1;
    }
}

package io.github.mellanoxlustre.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Jazzer fuzz test of {@link RpmReader}: the fuzzer mutates the header region (the first
 * {@link #HEADER_REGION} bytes) of real RPMs, the rest of the file is a fixed payload; whatever the
 * bytes, the only thing allowed to escape is an {@link RpmFormatException} that was not produced
 * by the reader's last-resort {@code RuntimeException} net.
 *
 * <p>In a normal build this runs in regression mode over the seed corpus in
 * {@code src/test/resources/io/github/mellanoxlustre/rpm/RpmReaderFuzzTestInputs/readHeaders/}
 * (small real RPMs written by {@link FuzzSeedWriter}). Fuzzing for real:
 * {@code JAZZER_FUZZ=1 mvn -pl core test -Dtest=RpmReaderFuzzTest} (see docs/rpm-reader.md).
 */
class RpmReaderFuzzTest {
    /** The part of the file the fuzzer controls. */
    static final int HEADER_REGION = 16 * 1024;
    /** Stands in for the payload: never read, but present so the file is not "truncated" there. */
    private static final byte[] PAYLOAD = payload();
    private static final RpmReader READER = new RpmReader();
    /** Without the digest check, so mutated main headers reach the value decoding behind it. */
    private static final RpmReader NO_DIGEST = new RpmReader(RpmReader.DEFAULT_MAX_HEADER_BYTES, false);
    private static final Path NAME = Path.of("fuzz.rpm");

    @FuzzTest(maxDuration = "5m")
    void readHeaders(byte[] data) throws IOException {
        byte[] head = data.length > HEADER_REGION ? Arrays.copyOf(data, HEADER_REGION) : data;
        byte[] file = Arrays.copyOf(head, head.length + PAYLOAD.length);
        System.arraycopy(PAYLOAD, 0, file, head.length, PAYLOAD.length);
        check(READER, file);
        check(NO_DIGEST, file);
    }

    private static void check(RpmReader reader, byte[] file) throws IOException {
        RpmPackage pkg;
        try {
            pkg = reader.read(NAME, new SeekableInMemoryByteChannel(file));
        } catch (RpmFormatException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw new AssertionError("a RuntimeException reached the reader's last net", e.getCause());
            }
            assertThat(e.getReason()).isNotBlank();
            assertThat(e.getFile()).isEqualTo(NAME.toString());
            return;
        }
        assertThat(pkg.name()).isNotEmpty();
        assertThat(pkg.version()).isNotEmpty();
        assertThat(pkg.release()).isNotEmpty();
        assertThat(pkg.headerBytes()).isBetween((long) RpmReader.LEAD_BYTES, (long) file.length);
        assertThat(pkg.nevra()).startsWith(pkg.name());
        // The lists are decoded when read: read them all, in order and by index, as rules and reports do.
        readAll(pkg.requires());
        readAll(pkg.provides());
        readAll(pkg.files());
    }

    private static void readAll(List<?> list) {
        int n = 0;
        for (Object o : list) {
            assertThat(o).isNotNull();
            n++;
        }
        assertThat(n).isEqualTo(list.size());
        if (n > 0) {
            assertThat(list.get(n - 1)).isEqualTo(list.stream().reduce((a, b) -> b).orElseThrow());
            assertThat(list.get(n / 2)).isNotNull();
        }
    }

    private static byte[] payload() {
        byte[] b = new byte[8 * 1024];
        new Random(42).nextBytes(b);
        return b;
    }
}

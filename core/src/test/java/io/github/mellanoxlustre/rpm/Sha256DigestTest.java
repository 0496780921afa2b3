package io.github.mellanoxlustre.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader's own SHA-256 against the FIPS 180-4 examples and, byte for byte, against the JDK's. */
class Sha256DigestTest {

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static String own(byte[] input) {
        MessageDigest md = new Sha256Digest();
        md.update(input);
        return hex(md.digest());
    }

    @Test
    void theFipsExamplesHashToTheirPublishedDigests() {
        assertThat(own("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(own(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(own("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        byte[] million = new byte[1_000_000];
        Arrays.fill(million, (byte) 'a');
        assertThat(own(million)).isEqualTo("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    /** Every length around one, two and three blocks (the padding's cases), read from inside a larger array. */
    @Test
    void everyLengthUpTo300HashesAsTheJdksDoes() throws Exception {
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        MessageDigest own = new Sha256Digest();
        Random random = new Random(180_4);
        byte[] data = new byte[400];
        random.nextBytes(data);
        for (int length = 0; length <= 300; length++) {
            jdk.update(data, 7, length);
            own.update(data, 7, length);
            assertThat(hex(own.digest())).as("length %d", length).isEqualTo(hex(jdk.digest()));
        }
    }

    /** The same input fed in pieces of any size (single bytes included) gives the one digest. */
    @Test
    void piecesOfAnySizeHashAsTheWhole() throws Exception {
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        MessageDigest own = new Sha256Digest();
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[random.nextInt(20_000)];
            random.nextBytes(data);
            String expected = hex(jdk.digest(data));
            int at = 0;
            while (at < data.length) {
                int n = Math.min(data.length - at, random.nextInt(3) == 0 ? 1 : random.nextInt(300));
                if (n == 1) {
                    own.update(data[at]);
                } else {
                    own.update(data, at, n);
                }
                at += n;
            }
            assertThat(hex(own.digest())).as("round %d, %d bytes", round, data.length).isEqualTo(expected);
        }
    }

    @Test
    void digestResetsAndResetForgetsWhatWasFed() {
        MessageDigest own = new Sha256Digest();
        own.update("abc".getBytes(StandardCharsets.US_ASCII));
        String first = hex(own.digest());
        own.update("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(hex(own.digest())).isEqualTo(first);
        own.update("something else".getBytes(StandardCharsets.US_ASCII));
        own.reset();
        own.update("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(hex(own.digest())).isEqualTo(first);
        assertThat(own.getDigestLength()).isEqualTo(32);
        assertThat(own.getAlgorithm()).isEqualTo("SHA-256");
    }

    @Test
    void theReaderUsesItsOwnWhenToldAndTheJdksAfterTheFirstMebibytesElse() {
        assertThat(RpmReader.ownSha256(true, 0)).isTrue();
        assertThat(RpmReader.ownSha256(true, Long.MAX_VALUE / 2)).isTrue();
        assertThat(RpmReader.ownSha256(false, 0)).isTrue();
        assertThat(RpmReader.ownSha256(false, RpmReader.OWN_SHA256_BYTES - 1)).isTrue();
        assertThat(RpmReader.ownSha256(false, RpmReader.OWN_SHA256_BYTES)).isFalse();
    }
}

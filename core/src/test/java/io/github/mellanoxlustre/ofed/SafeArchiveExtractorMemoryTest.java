package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.standin.ProcessRun;
import io.github.mellanoxlustre.testing.TestTarball;
import io.github.mellanoxlustre.testing.TestTarball.LongName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Names and PAX headers that commons-compress would read whole into memory are refused before they
 * are read: proven in a child JVM with a 32 MiB heap, where a 64 MiB name used to end in
 * {@link OutOfMemoryError} (issue 11, item 5; the attack used 300 MiB and 2.5 GiB names).
 */
class SafeArchiveExtractorMemoryTest {
    private static final long NAME_BYTES = 64L << 20;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(LongName.class)
    void hugeNameIsRefusedBeforeItIsReadIntoMemory(LongName kind) throws Exception {
        Path tgz = TestTarball.longName(tmp.resolve("huge-" + kind + ".tgz"), kind, NAME_BYTES);
        assertThat(Files.size(tgz)).as("small on disk").isLessThan(1L << 20);

        ProcessRun run = ExtractInChildJvm.run(tmp, List.of("-Xmx32m", "-XX:-UsePerfData"), Map.of(), tgz,
                tmp.resolve("out"));

        assertThat(run.output()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
        assertThat(run.output()).contains("refused: " + UnsafeArchiveException.class.getName())
                .contains(Long.toString(run.output().contains("PAX") ? paxRecordSize(kind) : NAME_BYTES))
                .contains("aaaaaaaa");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    /** A GNU PAX 1.0 sparse file whose map claims 8 million fragments (32 MiB of map, 40 KiB on disk). */
    @Test
    void hugeSparseMapIsRefusedBeforeItIsReadIntoMemory() throws Exception {
        long fragments = 8_000_000;
        Path tgz = TestTarball.rawTar(tmp.resolve("sparse.tgz"), tar -> {
            Map<String, String> pax = new LinkedHashMap<>();
            pax.put("GNU.sparse.major", "1");
            pax.put("GNU.sparse.minor", "0");
            pax.put("GNU.sparse.name", "a");
            pax.put("GNU.sparse.realsize", "0");
            tar.pax("PaxHeaders/a", 'x', pax);
            String count = fragments + "\n";
            tar.header("GNUSparseFile.0/a", '0', count.length() + 4 * fragments, "");
            tar.ascii(count);
            tar.repeat("0\n0\n", fragments);
        });
        assertThat(Files.size(tgz)).as("small on disk").isLessThan(1L << 20);

        ProcessRun run = ExtractInChildJvm.run(tmp, List.of("-Xmx32m", "-XX:-UsePerfData"), Map.of(), tgz,
                tmp.resolve("out"));

        assertThat(run.output()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
        assertThat(run.output()).contains("refused: " + UnsafeArchiveException.class.getName())
                .contains("entry 'a'").contains("bytes of tar headers and extensions");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    private static long paxRecordSize(LongName kind) {
        String key = kind == LongName.PAX_PATH ? " path=" : kind == LongName.PAX_LINKPATH ? " linkpath=" : " comment=";
        long body = key.length() + NAME_BYTES + 1;
        return body + Long.toString(body).length();
    }
}

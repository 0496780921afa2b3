package io.github.mellanoxlustre.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed seed corpus of {@link RpmReaderFuzzTest} is real, readable RPM header regions. */
class FuzzSeedsTest {
    @Test
    void everySeedIsAValidRpmHeaderRegion() throws Exception {
        URL dir = getClass().getResource("RpmReaderFuzzTestInputs/readHeaders");
        assertThat(dir).isNotNull();
        List<Path> seeds;
        try (Stream<Path> s = Files.list(Path.of(dir.toURI()))) {
            seeds = s.filter(p -> !p.getFileName().toString().startsWith("crash-")).sorted().toList();
        }
        assertThat(seeds).hasSizeGreaterThanOrEqualTo(6);
        RpmReader reader = new RpmReader();
        for (Path seed : seeds) {
            assertThat(Files.size(seed)).isLessThanOrEqualTo(RpmReaderFuzzTest.HEADER_REGION);
            RpmPackage pkg = reader.read(seed);
            assertThat(pkg.name()).as("seed %s", seed).isNotEmpty();
            assertThat(pkg.headerBytes()).isLessThanOrEqualTo(Files.size(seed));
        }
    }
}

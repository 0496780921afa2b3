package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfedCacheTest {
    @TempDir
    Path dir;

    private static final String SHA = "a".repeat(64);

    private OfedCache.Key key(String kernel, RebuildMethod m) {
        return new OfedCache.Key(SHA, kernel, "b".repeat(64), m);
    }

    @Test
    void storeThenLookup() throws Exception {
        Path rpm = Files.writeString(dir.resolve("kmod-mlnx-ofa_kernel-5.8-1.x86_64.rpm"), "rpm bytes");
        OfedCache cache = new OfedCache(dir.resolve("cache"));
        OfedCache.Key k = key("4.18.0-1", RebuildMethod.SRPM_REBUILD);
        assertThat(cache.lookup(k)).isEmpty();
        OfedCache.Entry e = cache.store(k, List.of(rpm));
        assertThat(e.key()).isEqualTo(k.hash()).hasSize(64);
        assertThat(e.rpms()).singleElement().satisfies(p -> assertThat(Files.readString(p)).isEqualTo("rpm bytes"));
        assertThat(cache.lookup(k)).get().extracting(OfedCache.Entry::dir).isEqualTo(e.dir());
        try (Stream<Path> s = Files.list(cache.root())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(k.hash());
        }
    }

    @Test
    void everyKeyInputChangesTheKey() {
        OfedCache.Key base = key("4.18.0-1", RebuildMethod.SRPM_REBUILD);
        assertThat(List.of(
                new OfedCache.Key("c".repeat(64), "4.18.0-1", "b".repeat(64), RebuildMethod.SRPM_REBUILD).hash(),
                key("4.18.0-2", RebuildMethod.SRPM_REBUILD).hash(),
                new OfedCache.Key(SHA, "4.18.0-1", "d".repeat(64), RebuildMethod.SRPM_REBUILD).hash(),
                key("4.18.0-1", RebuildMethod.ADD_KERNEL_SUPPORT).hash(),
                new OfedCache.Key(SHA, "4.18.0-1", "b".repeat(64), RebuildMethod.SRPM_REBUILD, "ofedSrpm", true).hash(),
                new OfedCache.Key(SHA, "4.18.0-1", "b".repeat(64), RebuildMethod.SRPM_REBUILD, "docaRepo", true).hash(),
                new OfedCache.Key(SHA, "4.18.0-1", "b".repeat(64), RebuildMethod.SRPM_REBUILD, "bundle", false).hash()))
                .doesNotContain(base.hash()).doesNotHaveDuplicates();
    }

    @Test
    void aBundlesKmpKeyIsTheOneItHadBeforeOtherSourcesExisted() {
        // the format's text for a bundle's KMP rebuild is unchanged, so a machine's warm cache stays warm
        OfedCache.Key k = key("4.18.0-1", RebuildMethod.SRPM_REBUILD);
        assertThat(k).isEqualTo(new OfedCache.Key(SHA, "4.18.0-1", "b".repeat(64), RebuildMethod.SRPM_REBUILD,
                "bundle", true));
        assertThat(k.hash()).isEqualTo(io.github.mellanoxlustre.files.Sha256.ofText(OfedCache.FORMAT
                + "\nbundle-sha256=" + SHA + "\nkernel-release=4.18.0-1\nmodule-symvers-sha256=" + "b".repeat(64)
                + "\nmethod=srpm-rebuild\n"));
    }

    @Test
    void aDamagedEntryIsAMissAndIsReplaced() throws Exception {
        Path rpm = Files.writeString(dir.resolve("x.rpm"), "12345");
        OfedCache cache = new OfedCache(dir.resolve("cache"));
        OfedCache.Key k = key("4.18.0-1", RebuildMethod.SRPM_REBUILD);
        OfedCache.Entry e = cache.store(k, List.of(rpm));
        Files.writeString(e.rpms().get(0), "1234");
        assertThat(cache.lookup(k)).isEmpty();
        Files.writeString(e.rpms().get(0), "12346"); // same size, other bytes
        assertThat(cache.lookup(k)).isEmpty();
        Files.delete(e.rpms().get(0));
        assertThat(cache.lookup(k)).isEmpty();
        assertThat(cache.store(k, List.of(rpm)).rpms()).singleElement()
                .satisfies(p -> assertThat(Files.readString(p)).isEqualTo("12345"));
    }

    @Test
    void aHalfWrittenTemporaryIsNeverAnEntry() throws Exception {
        OfedCache cache = new OfedCache(dir.resolve("cache"));
        OfedCache.Key k = key("4.18.0-1", RebuildMethod.SRPM_REBUILD);
        Path tmp = Files.createDirectories(cache.root().resolve(".tmp-" + k.hash().substring(0, 16) + "-x/RPMS"));
        Files.writeString(tmp.resolve("x.rpm"), "partial");
        assertThat(cache.lookup(k)).isEmpty();
    }
}

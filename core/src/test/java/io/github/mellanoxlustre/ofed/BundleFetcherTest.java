package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.testing.LoopbackHttpServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local and HTTP bundle locations (SSH ones: {@link BundleFetcherSshTest}). */
class BundleFetcherTest {
    static final String NAME = "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";
    static final String ZERO_SUM = "0".repeat(64);

    @TempDir
    Path tmp;

    Path served;
    Path dest;
    byte[] content;
    String sum;
    final List<String> log = new CopyOnWriteArrayList<>();
    final BundleFetcher fetcher = new BundleFetcher(
            new BundleFetcher.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), 256 * 1024));

    @BeforeEach
    void bundle() throws Exception {
        served = Files.createDirectories(tmp.resolve("served"));
        dest = tmp.resolve("work/bundle");
        content = new byte[1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        Files.write(served.resolve(NAME), content);
        sum = sha256(content);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void localBundleIsCopiedAndHashed() throws Exception {
        FetchedBundle got = fetcher.fetch(BundleLocation.parse(served.resolve(NAME).toString(), null), Optional.empty(),
                dest, log::add);
        assertThat(got.file()).isEqualTo(dest.resolve(NAME));
        assertThat(got.file()).hasBinaryContent(content);
        assertThat(got.sha256()).isEqualTo(sum);
        assertThat(got.size()).isEqualTo(content.length);
        assertThat(log).filteredOn(l -> l.matches("bundle: 0\\.\\d MiB of 1\\.0 MiB \\(\\d\\d%\\)")).hasSize(3);
        assertThat(log).last().asString().contains(sum).contains("1048593 bytes").contains("no checksum was given");
        assertThat(dest).isDirectoryContaining(p -> p.getFileName().toString().equals(NAME));
        try (Stream<Path> files = Files.list(dest)) {
            assertThat(files).hasSize(1); // no .part left behind
        }
    }

    @Test
    void localBundleWithMatchingAndMismatchingChecksum() throws Exception {
        String local = served.resolve(NAME).toString();
        FetchedBundle got = fetcher.fetch(BundleLocation.parse(local, sum.toUpperCase()), Optional.empty(), dest, log::add);
        assertThat(got.sha256()).isEqualTo(sum);
        assertThat(log).anyMatch(l -> l.contains("matches the expected checksum"));

        Files.delete(got.file());
        assertThatThrownBy(() -> fetcher.fetch(BundleLocation.parse(local, ZERO_SUM), Optional.empty(), dest, log::add))
                .isInstanceOf(BundleChecksumException.class)
                .hasMessageContaining(ZERO_SUM).hasMessageContaining(sum).hasMessageContaining(local)
                .satisfies(e -> {
                    assertThat(((BundleChecksumException) e).expected()).isEqualTo(ZERO_SUM);
                    assertThat(((BundleChecksumException) e).actual()).isEqualTo(sum);
                });
        assertThat(dest).isEmptyDirectory();
        assertThat(served.resolve(NAME)).hasBinaryContent(content); // the original is untouched
    }

    @Test
    void missingLocalBundleOrDirectory() throws Exception {
        BundleLocation missing = BundleLocation.parse(tmp.resolve("nowhere").resolve(NAME).toString(), null);
        assertThatThrownBy(() -> fetcher.fetch(missing, Optional.empty(), dest, log::add))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nowhere/" + NAME)
                .hasMessageContaining("no such bundle file");
        Path dirNamedLikeBundle = Files.createDirectories(tmp.resolve("d").resolve(NAME));
        assertThatThrownBy(() -> fetcher.fetch(BundleLocation.parse(dirNamedLikeBundle.toString(), null),
                Optional.empty(), dest, log::add))
                .hasMessageContaining("is a directory");
        assertThat(dest).isEmptyDirectory();
    }

    @Test
    void replacesAnEarlierCopy() throws Exception {
        Files.createDirectories(dest);
        Files.writeString(dest.resolve(NAME), "stale");
        Files.writeString(dest.resolve(NAME + ".part"), "leftover of an aborted run");
        FetchedBundle got = fetcher.fetch(BundleLocation.parse(served.resolve(NAME).toString(), sum), Optional.empty(),
                dest, log::add);
        assertThat(got.file()).hasBinaryContent(content);
        assertThat(dest.resolve(NAME + ".part")).doesNotExist();
    }

    @Test
    void httpGoodChecksum() throws Exception {
        try (LoopbackHttpServer http = LoopbackHttpServer.start(served)) {
            BundleLocation loc = BundleLocation.parse(http.uri(NAME).toString(), sum);
            FetchedBundle got = fetcher.fetch(loc, Optional.empty(), dest, log::add);
            assertThat(got).isEqualTo(new FetchedBundle(dest.resolve(NAME), sum, content.length));
            assertThat(got.file()).hasBinaryContent(content);
            assertThat(http.requests()).containsExactly("/" + NAME);
            assertThat(log).filteredOn(l -> l.matches("bundle: \\d\\.\\d MiB of 1\\.0 MiB \\(\\d+%\\)")).hasSizeGreaterThan(2);
            assertThat(log).last().asString().contains(sum).contains("matches the expected checksum");
        }
    }

    @Test
    void httpBadChecksumDeletesTheDownload() throws Exception {
        try (LoopbackHttpServer http = LoopbackHttpServer.start(served)) {
            BundleLocation loc = BundleLocation.parse(http.uri(NAME).toString(), ZERO_SUM);
            assertThatThrownBy(() -> fetcher.fetch(loc, Optional.empty(), dest, log::add))
                    .isInstanceOf(BundleChecksumException.class)
                    .hasMessageContaining("expected " + ZERO_SUM)
                    .hasMessageContaining("has " + sum)
                    .hasMessageContaining(http.uri(NAME).toString())
                    .hasMessageContaining("deleted");
            assertThat(dest).isEmptyDirectory();
        }
    }

    @Test
    void http404NamesUrlAndStatus() throws Exception {
        try (LoopbackHttpServer http = LoopbackHttpServer.start(served)) {
            String url = http.uri("pub/" + "MLNX_OFED_LINUX-23.10-1.1.9.0-rhel9.2-x86_64.tgz").toString();
            assertThatThrownBy(() -> fetcher.fetch(BundleLocation.parse(url, sum), Optional.empty(), dest, log::add))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("GET " + url)
                    .hasMessageContaining("HTTP 404");
            assertThat(dest).isEmptyDirectory();
        }
    }

    @Test
    void httpFollowsRedirectsAndNamesTheFinalUrl() throws Exception {
        try (LoopbackHttpServer http = LoopbackHttpServer.start(served)) {
            String other = "MLNX_OFED_LINUX-5.8-1.1.2.1-sles15sp4-x86_64.tgz";
            http.redirect("mirror/" + NAME, http.uri(NAME).toString());
            http.redirect("mirror/" + other, http.uri("gone/" + other).toString());
            FetchedBundle got = fetcher.fetch(BundleLocation.parse(http.uri("mirror/" + NAME).toString(), sum),
                    Optional.empty(), dest, log::add);
            assertThat(got.sha256()).isEqualTo(sum);
            assertThat(http.requests()).containsExactly("/mirror/" + NAME, "/" + NAME);

            assertThatThrownBy(() -> fetcher.fetch(BundleLocation.parse(http.uri("mirror/" + other).toString(), sum),
                    Optional.empty(), dest, log::add))
                    .hasMessageContaining("redirected to " + http.uri("gone/" + other))
                    .hasMessageContaining("HTTP 404");
        }
    }

    @Test
    void httpQueryStringIsNeverShown() throws Exception {
        try (LoopbackHttpServer http = LoopbackHttpServer.start(served)) {
            String url = http.uri(NAME) + "?X-Amz-Signature=topsecret";
            assertThatThrownBy(() -> fetcher.fetch(BundleLocation.parse(url, ZERO_SUM), Optional.empty(), dest, log::add))
                    .isInstanceOf(BundleChecksumException.class)
                    .hasMessageNotContaining("topsecret")
                    .hasMessageContaining(http.uri(NAME) + "?...");
            assertThat(log).isNotEmpty().noneMatch(l -> l.contains("topsecret"));
        }
    }

    @Test
    void httpStalledBodyIsAbandonedAfterTheReadTimeout() throws Exception {
        BundleFetcher quick = new BundleFetcher(
                new BundleFetcher.Settings(Duration.ofSeconds(5), Duration.ofMillis(700), 0));
        try (LoopbackHttpServer http = LoopbackHttpServer.start(served)) {
            http.stallAfter(NAME, 100_000);
            long start = System.nanoTime();
            assertThatThrownBy(() -> quick.fetch(BundleLocation.parse(http.uri(NAME).toString(), sum),
                    Optional.empty(), dest, log::add))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("sent nothing for 700 ms after 100000 bytes");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(dest).isEmptyDirectory();
        }
    }

    @Test
    void httpConnectionRefused() throws Exception {
        int port;
        try (LoopbackHttpServer http = LoopbackHttpServer.start(served)) {
            port = http.port();
        }
        String url = "http://127.0.0.1:" + port + "/" + NAME;
        assertThatThrownBy(() -> fetcher.fetch(BundleLocation.parse(url, sum), Optional.empty(), dest, log::add))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot download " + url);
    }

    @Test
    void interruptAbortsAndDeletesThePartialFile() throws Exception {
        try (LoopbackHttpServer http = LoopbackHttpServer.start(served)) {
            http.stallAfter(NAME, 300_000);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    new BundleFetcher(new BundleFetcher.Settings(Duration.ofSeconds(5), Duration.ofSeconds(60), 0))
                            .fetch(BundleLocation.parse(http.uri(NAME).toString(), sum), Optional.empty(), dest, log::add);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            worker.start();
            // wait until the partial file holds the first bytes, then abort
            Path part = dest.resolve(NAME + ".part");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Files.exists(part) && Files.size(part) > 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            worker.interrupt();
            worker.join(10_000);
            assertThat(worker.isAlive()).isFalse();
            assertThat(failure.get()).isInstanceOf(InterruptedIOException.class).hasMessageContaining("interrupted");
            assertThat(part).doesNotExist();
            assertThat(dest.resolve(NAME)).doesNotExist();
        }
    }
}

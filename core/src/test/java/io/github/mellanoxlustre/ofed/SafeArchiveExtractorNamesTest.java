package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.standin.ProcessRun;
import io.github.mellanoxlustre.testing.TestTarball;
import io.github.mellanoxlustre.testing.TestTarball.LongName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names, link targets and the tar extensions that carry them (issue 11, items 5 and 6): limits that
 * apply before anything is read into memory, NUL characters, and names the machine's file-name
 * encoding cannot hold, all refused as {@link UnsafeArchiveException} naming the entry.
 */
class SafeArchiveExtractorNamesTest {
    @TempDir
    Path tmp;

    private final SafeArchiveExtractor extractor = new SafeArchiveExtractor();

    private Path target() {
        return tmp.resolve("out");
    }

    @ParameterizedTest
    @EnumSource(LongName.class)
    void extensionJustOverItsLimitIsRefusedAndNamed(LongName kind) throws Exception {
        boolean gnu = kind == LongName.GNU_NAME || kind == LongName.GNU_LINK;
        long length = gnu ? BoundedTarInputStream.MAX_NAME_BYTES + 1 : BoundedTarInputStream.MAX_PAX_BYTES;
        Path tgz = TestTarball.longName(tmp.resolve("long.tgz"), kind, length);

        UnsafeArchiveException e = refused(tgz);

        if (gnu) {
            assertThat(e.entry()).startsWith("aaaaaaaaaa").endsWith("...");
            assertThat(e.getMessage()).contains("of " + length + " bytes", "limited to 4096 bytes");
        } else {
            assertThat(e.entry()).isEqualTo("PaxHeaders/a");
            assertThat(e.getMessage()).contains(kind == LongName.PAX_GLOBAL ? "global PAX header" : "a PAX header",
                    "=aaaaaaaa", "limited to 65536 bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(chars = {'x', 'g', 'L', 'K'})
    void longChainOfExtensionHeadersIsRefused(char type) throws Exception {
        // commons-compress follows each by recursion: 10,000 of them overflowed the stack
        Path tgz = TestTarball.extensionChain(tmp.resolve("chain.tgz"), type, 10_000);
        UnsafeArchiveException e = refused(tgz);
        assertThat(e.getMessage()).contains("more than 32 tar header records");
    }

    /** Long names as GNU tar writes them, in both formats, within the limits: extracted as before. */
    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix"})
    void longNamesFromTheSystemTarAreExtracted(String format) throws Exception {
        String component = "c".repeat(250);
        String dir = String.join("/", component + 1, component + 2, component + 3, component + 4);
        Path src = Files.createDirectories(tmp.resolve("src").resolve(dir));
        Files.writeString(src.resolve("f".repeat(200)), "deep");
        Files.createSymbolicLink(tmp.resolve("src").resolve("link"), Path.of(dir + "/" + "f".repeat(200)));
        Path tgz = tmp.resolve("long-" + format + ".tgz");
        ProcessRun.exec(tmp.resolve("src"), Map.of(), Duration.ofSeconds(60), "tar", "--format=" + format, "-czf",
                tgz.toString(), component + 1, "link").requireSuccess();

        ExtractedArchive result = extractor.extract(tgz, target());

        assertThat(result.entries()).isEqualTo(6);
        assertThat(target().resolve(dir).resolve("f".repeat(200))).hasContent("deep");
        assertThat(target().resolve("link")).hasContent("deep");
    }

    @Test
    void nameOrComponentOverLinuxLimitsIsRefused() throws Exception {
        String tooLong = String.join("/", java.util.Collections.nCopies(16, "n".repeat(255))) + "x";
        assertThat(tooLong.length()).isEqualTo(4096);
        assertRefused(TestTarball.create().file(tooLong, "x", 0644), tooLong.substring(0, 200) + "...",
                "name of 4096 bytes; names and link targets are limited to 4095 bytes");
        assertRefused(TestTarball.create().symlink("l", tooLong), "l", "link target of 4096 bytes");
        assertRefused(TestTarball.create().file("d/" + "n".repeat(256), "x", 0644),
                SafeArchiveExtractor.printable("d/" + "n".repeat(256)),
                "component of 256 bytes; components are limited to 255 bytes");
        assertRefused(TestTarball.create().symlink("l", "d/" + "n".repeat(256)), "l",
                "link target with a component of 256 bytes");
    }

    /** Names and link targets are kept until the links are checked: 16 MiB of them together at most. */
    @Test
    void namesOfTheWholeArchiveAreBoundedTogether() throws Exception {
        String target = name(4000);
        Path tgz = TestTarball.rawTar(tmp.resolve("names.tgz"), tar -> {
            for (int i = 0; i < 4300; i++) {
                tar.pax("PaxHeaders/l" + i, 'x', Map.of("linkpath", target));
                tar.header("l" + i, '2', 0, "x");
            }
        });
        UnsafeArchiveException e = refused(tgz);
        assertThat(e.entry()).startsWith("l41");
        assertThat(e.getMessage()).contains("names and link targets of the archive past 16777216 bytes together");
    }

    /** A name is written under the target directory: together they must fit in PATH_MAX. */
    @Test
    void longestNameThatFitsUnderTheTargetIsExtractedOneMoreIsRefused() throws Exception {
        Files.createDirectories(target());
        int fits = 4095 - target().toRealPath().toString().length() - 1;
        String name = name(fits);
        Path ok = TestTarball.create().file(name, "x", 0644).symlink("l", name).write(tmp.resolve("ok.tgz"));
        assertThat(extractor.extract(ok, target()).entries()).isEqualTo(2);
        assertThat(target().resolve("l")).hasContent("x");
        SafeArchiveExtractor.deleteTree(target());

        Files.createDirectories(target());
        assertRefused(TestTarball.create().file(name(fits + 1), "x", 0644), name(fits + 1).substring(0, 200) + "...",
                "too long under the target directory");
    }

    /** A path of {@code length} bytes in components of at most 255. */
    private static String name(int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append("n".repeat(Math.min(255, Math.max(1, length - sb.length()))));
        }
        return sb.toString();
    }

    /** Issue 11, item 6: this was an InvalidPathException, which the CLI reported as bad usage. */
    @Test
    void nulInAPaxLinkpathIsRefusedAndNamed() throws Exception {
        assertRefused(paxEntry("l", '2', "linkpath", "a\0b"), "l", "NUL character in its link target");
        assertRefused(paxEntry("h", '1', "linkpath", "a\0b"), "h", "NUL character in its link target");
        assertRefused(paxEntry("f", '0', "path", "f\0g"), "f?g", "NUL character in its name");
    }

    @Test
    void nameTheFileNameEncodingCannotHoldIsRefused() throws Exception {
        SafeArchiveExtractor ascii = new SafeArchiveExtractor(1 << 20, 100, StandardCharsets.US_ASCII);
        Path names = TestTarball.create().file("ok", "x", 0644).file("caf\u00e9.txt", "x", 0644)
                .write(tmp.resolve("names.tgz"));
        assertThatThrownBy(() -> ascii.extract(names, target()))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("entry 'caf\u00e9.txt' has a name with characters this machine cannot use")
                .hasMessageContaining("file-name encoding is US-ASCII")
                .hasMessageContaining("LC_ALL=C.UTF-8");
        Path links = TestTarball.create().file("ok", "x", 0644).symlink("l", "caf\u00e9.txt")
                .write(tmp.resolve("links.tgz"));
        assertThatThrownBy(() -> ascii.extract(links, target()))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("entry 'l' has a link target with characters this machine cannot use");
        assertThat(target()).doesNotExist();
        // the same archive where the encoding holds the names
        assertThat(extractor.extract(names, target()).entries()).isEqualTo(2);
        assertThat(target().resolve("caf\u00e9.txt")).exists();
    }

    /** The real thing: a JVM started under LC_ALL=C encodes file names in ASCII. */
    @Test
    void underTheCLocaleANonAsciiNameIsAnUnsafeArchiveNotACrash() throws Exception {
        Path tgz = TestTarball.create().dir("d", 0755).file("d/caf\u00e9.txt", "x", 0644)
                .write(tmp.resolve("names.tgz"));
        ProcessRun run = ExtractInChildJvm.run(tmp, List.of("-XX:-UsePerfData"), Map.of("LC_ALL", "C"), tgz,
                target());
        assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
        assertThat(run.output()).startsWith("refused: " + UnsafeArchiveException.class.getName() + ": ")
                .contains("entry 'd/caf", "file-name encoding is US-ASCII", "LC_ALL=C.UTF-8")
                .doesNotContain("InvalidPathException");
        assertThat(target()).doesNotExist();

        // the same name in a PAX header (UTF-8 by definition): was an InvalidPathException
        Path pax = TestTarball.rawTar(tmp.resolve("pax-names.tgz"), tar -> {
            tar.pax("PaxHeaders/f", 'x', Map.of("path", "caf\u00e9.txt"));
            tar.header("f", '0', 0, "");
        });
        run = ExtractInChildJvm.run(tmp, List.of("-XX:-UsePerfData"), Map.of("LC_ALL", "C"), pax, target());
        assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
        assertThat(run.output()).startsWith("refused: " + UnsafeArchiveException.class.getName() + ": ")
                .contains("entry 'caf", "file-name encoding is US-ASCII");
        assertThat(target()).doesNotExist();
    }

    private static TestTarball.RawBody paxBody(String name, char type, String key, String value) {
        return tar -> {
            Map<String, String> pax = new LinkedHashMap<>();
            pax.put(key, value);
            tar.pax("PaxHeaders/" + name, 'x', pax);
            tar.header(name, type, 0, type == '0' ? "" : "x");
        };
    }

    private Path paxEntry(String name, char type, String key, String value) throws IOException {
        return TestTarball.rawTar(tmp.resolve("pax-" + System.nanoTime() + ".tgz"),
                tar -> {
                    tar.header("x", '0', 0, "");
                    paxBody(name, type, key, value).write(tar);
                });
    }

    private UnsafeArchiveException refused(Path tgz) {
        UnsafeArchiveException[] caught = new UnsafeArchiveException[1];
        assertThatThrownBy(() -> extractor.extract(tgz, target()))
                .isInstanceOf(UnsafeArchiveException.class)
                .satisfies(e -> caught[0] = (UnsafeArchiveException) e);
        assertThat(Files.exists(target(), LinkOption.NOFOLLOW_LINKS)).as("target removed").isFalse();
        return caught[0];
    }

    private void assertRefused(TestTarball tarball, String entry, String reason) throws IOException {
        assertRefused(tarball.write(tmp.resolve("evil-" + System.nanoTime() + ".tgz")), entry, reason);
    }

    private void assertRefused(Path tgz, String entry, String reason) {
        UnsafeArchiveException e = refused(tgz);
        assertThat(e.entry()).isEqualTo(entry);
        assertThat(e.getMessage()).contains("entry '" + entry + "'", reason);
    }
}

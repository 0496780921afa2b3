package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.testing.TestTarball;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeArchiveExtractorTest {
    private static final String TOP = "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64";

    @TempDir
    Path tmp;

    private final SafeArchiveExtractor extractor = new SafeArchiveExtractor();

    private Path target() {
        return tmp.resolve("out");
    }

    /** A bundle-like tree built with the system tar: modes, nested dirs, a relative symlink, a hard link. */
    @Test
    void extractsARealTarballMadeBySystemTar() throws Exception {
        Path src = tmp.resolve("src").resolve(TOP);
        Files.createDirectories(src.resolve("RPMS"));
        Files.createDirectories(src.resolve("SRPMS"));
        Files.writeString(src.resolve("mlnxofedinstall"), "#!/bin/sh\necho install\n");
        Files.setPosixFilePermissions(src.resolve("mlnxofedinstall"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(src.resolve("mlnx_add_kernel_support.sh"), "#!/bin/bash\nexit 0\n");
        Files.setPosixFilePermissions(src.resolve("mlnx_add_kernel_support.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(src.resolve("SRPMS/mlnx-ofa_kernel-5.8-OFED.5.8.3.0.7.1.src.rpm"), "srpm bytes");
        Files.writeString(src.resolve("RPMS/README"), "docs");
        Files.setPosixFilePermissions(src.resolve("RPMS/README"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(src.resolve("RPMS/latest-srpm"), Path.of("../SRPMS/mlnx-ofa_kernel-5.8-OFED.5.8.3.0.7.1.src.rpm"));
        Files.createLink(src.resolve("install"), src.resolve("mlnxofedinstall"));
        Path tgz = tmp.resolve(TOP + ".tgz");
        run(tmp.resolve("src"), "tar", "-czf", tgz.toString(), TOP);

        ExtractedArchive result = extractor.extract(tgz, target());

        Path out = target().resolve(TOP);
        assertThat(result.topLevel()).containsExactly(TOP);
        assertThat(result.entries()).isEqualTo(9);
        assertThat(result.target()).isEqualTo(target().toRealPath());
        assertThat(Files.readString(out.resolve("mlnxofedinstall"))).isEqualTo("#!/bin/sh\necho install\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("mlnxofedinstall"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("mlnx_add_kernel_support.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("RPMS/README"))))
                .isEqualTo("rw-r--r--");
        assertThat(Files.isSymbolicLink(out.resolve("RPMS/latest-srpm"))).isTrue();
        assertThat(Files.readString(out.resolve("RPMS/latest-srpm"))).isEqualTo("srpm bytes");
        assertThat(Files.readString(out.resolve("install"))).isEqualTo("#!/bin/sh\necho install\n");
        assertThat(Files.getAttribute(out.resolve("install"), "unix:ino"))
                .isEqualTo(Files.getAttribute(out.resolve("mlnxofedinstall"), "unix:ino"));
        assertThat(result.bytes()).isEqualTo(23 + 19 + 10 + 4);
        // the system tar agrees about the content
        Path viaTar = tmp.resolve("viatar");
        Files.createDirectories(viaTar);
        run(viaTar, "tar", "-xzf", tgz.toString());
        assertThat(run(tmp, "diff", "-r", "--no-dereference", viaTar.toString(), target().toString())).isEmpty();
    }

    @Test
    void keepsDirectoryModesAndOwnerAccess() throws Exception {
        Path tgz = TestTarball.create()
                .dir(TOP, 0755)
                .dir(TOP + "/docs", 0555)
                .file(TOP + "/docs/a.txt", "a", 0444)
                .file(TOP + "/noperm", "x", 0000)
                .file(TOP + "/suid", "x", 04755)
                .write(tmp.resolve("b.tgz"));
        extractor.extract(tgz, target());
        Path out = target().resolve(TOP);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("docs")))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("docs/a.txt")))).isEqualTo("r--r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("noperm")))).isEqualTo("r--------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("suid")))).isEqualTo("rwxr-xr-x");
        assertThat(Files.getLastModifiedTime(out.resolve("docs/a.txt")).toMillis()).isEqualTo(1_600_000_000_000L);
    }

    @Test
    void acceptsSafeSymlinksAndLeadingDotSlash() throws Exception {
        Path tgz = TestTarball.create()
                .dir("./", 0755)
                .dir("./" + TOP, 0755)
                .file("./" + TOP + "/RPMS/a.rpm", "rpm", 0644)
                .symlink("./" + TOP + "/a-link", "RPMS/a.rpm")
                .symlink("./" + TOP + "/RPMS/up", "../RPMS/./a.rpm")
                .symlink("./" + TOP + "/dangling", "not-there")
                .symlink("./" + TOP + "/dirlink", "RPMS")
                .write(tmp.resolve("b.tgz"));
        ExtractedArchive result = extractor.extract(tgz, target());
        Path out = target().resolve(TOP);
        assertThat(Files.readString(out.resolve("a-link"))).isEqualTo("rpm");
        assertThat(Files.readString(out.resolve("RPMS/up"))).isEqualTo("rpm");
        assertThat(Files.readString(out.resolve("dirlink/a.rpm"))).isEqualTo("rpm");
        assertThat(Files.isSymbolicLink(out.resolve("dangling"))).isTrue();
        assertThat(result.topLevel()).containsExactly(TOP);
    }

    @Test
    void refusesParentComponent() throws Exception {
        assertRefused(TestTarball.create().dir(TOP, 0755).file(TOP + "/x", "ok", 0644)
                .file(TOP + "/../../evil.sh", "boom", 0755), TOP + "/../../evil.sh", "'..' component");
        assertThat(tmp.resolve("evil.sh")).doesNotExist();
    }

    @Test
    void refusesAbsolutePath() throws Exception {
        Path outside = tmp.resolve("abs-target");
        assertRefused(TestTarball.create().file(TOP + "/x", "ok", 0644).file(outside.toString(), "boom", 0644),
                outside.toString(), "absolute path");
        assertThat(outside).doesNotExist();
    }

    @Test
    void refusesSymlinkPointingOutside() throws Exception {
        assertRefused(TestTarball.create().file(TOP + "/x", "ok", 0644).symlink(TOP + "/etc", "../../etc"),
                TOP + "/etc", "points outside");
    }

    @Test
    void refusesAbsoluteSymlink() throws Exception {
        assertRefused(TestTarball.create().file(TOP + "/x", "ok", 0644).symlink(TOP + "/passwd", "/etc/passwd"),
                TOP + "/passwd", "absolute path '/etc/passwd'");
    }

    @Test
    void refusesWritingThroughASymlink() throws Exception {
        // classic: a link to a directory outside, then a file "through" it
        Path outside = Files.createDirectories(tmp.resolve("victim"));
        assertRefused(TestTarball.create().symlink("a", outside.toString()), "a", "absolute path");
        // a link to an inside directory, then a file through it: refused as well
        assertRefused(TestTarball.create().dir("d", 0755).symlink("l", "d").file("l/f", "x", 0644),
                "l/f", "goes through the symbolic link 'l'");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void refusesChainOfLinksThatTogetherLeaveTheTarget() throws Exception {
        // a/b/s -> ../.. (the target itself: fine alone); a/b/l -> s/../x is lexically a/b/x, but really
        // resolves to <target>/../x, outside.
        assertRefused(TestTarball.create().dir("a/b", 0755)
                .symlink("a/b/s", "../..")
                .symlink("a/b/l", "s/../x"), "a/b/l", "leads outside the target directory");
    }

    @Test
    void refusesLinkLoop() throws Exception {
        assertRefused(TestTarball.create().symlink("x", "y").symlink("y", "x"), "x", "a loop");
    }

    @Test
    void refusesDevicesAndFifos() throws Exception {
        assertRefused(TestTarball.create().file("a", "x", 0644).charDevice("null"), "null", "device file");
        assertRefused(TestTarball.create().blockDevice("sda"), "sda", "device file");
        assertRefused(TestTarball.create().fifo("pipe"), "pipe", "FIFO");
    }

    @Test
    void refusesHardLinkToSomethingNotExtracted() throws Exception {
        assertRefused(TestTarball.create().file("a", "x", 0644).hardlink("h", "../../etc/shadow"), "h", "'..' component");
        assertRefused(TestTarball.create().file("a", "x", 0644).hardlink("h", "/etc/shadow"), "h", "absolute path '/etc/shadow'");
        assertRefused(TestTarball.create().file("a", "x", 0644).hardlink("h", "b"), "h", "not a regular file extracted before");
        assertRefused(TestTarball.create().symlink("s", "a").hardlink("h", "s"), "h", "not a regular file extracted before");
    }

    @Test
    void refusesDuplicatesAndTypeClashes() throws Exception {
        assertRefused(TestTarball.create().file("a", "x", 0644).file("a", "y", 0644), "a", "appears twice");
        assertRefused(TestTarball.create().file("a", "x", 0644).symlink("a", "b"), "a", "appears twice");
        assertRefused(TestTarball.create().file("a", "x", 0644).dir("a", 0755), "a/", "a file of that name");
        assertRefused(TestTarball.create().file("a", "x", 0644).file("a/b", "y", 0644), "a/b", "it is a file");
        assertRefused(TestTarball.create().symlink("s", "d").dir("s", 0755), "s", "also holds a file or directory");
    }

    @Test
    void refusesUnsupportedTypes() throws Exception {
        assertRefused(TestTarball.create().raw("vol", (byte) 'V', e -> { }, null), "vol",
                "unsupported entry type");
    }

    @Test
    void boundsEntryCountAndSize() throws Exception {
        SafeArchiveExtractor small = new SafeArchiveExtractor(1000, 3);
        Path tgz = TestTarball.create().file("a", "1", 0644).file("b", "2", 0644).file("c", "3", 0644)
                .file("d", "4", 0644).write(tmp.resolve("many.tgz"));
        assertThatThrownBy(() -> small.extract(tgz, target()))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("'d'").hasMessageContaining("limit of 3 entries");
        assertThat(target()).doesNotExist();
        // a compression bomb: 64 KiB of zeros compress to almost nothing
        Path bomb = TestTarball.create().file("zeros", new byte[64 * 1024], 0644).write(tmp.resolve("bomb.tgz"));
        assertThat(Files.size(bomb)).isLessThan(1000);
        assertThatThrownBy(() -> new SafeArchiveExtractor(1000, 10).extract(bomb, target()))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("'zeros'").hasMessageContaining("limit of 1000 bytes");
        assertThat(target()).doesNotExist();
    }

    @Test
    void aLowerLimitSaysWhereItComesFrom() throws Exception {
        Path bomb = TestTarball.create().file("zeros", new byte[64 * 1024], 0644).write(tmp.resolve("bomb.tgz"));
        SafeArchiveExtractor limited = extractor.limitedTo(10_000, "the free space on /w measured at preflight; "
                + "free some space");
        assertThat(limited.maxBytes()).isEqualTo(10_000);
        assertThat(limited.maxEntries()).isEqualTo(extractor.maxEntries());
        assertThatThrownBy(() -> limited.extract(bomb, target()))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("entry 'zeros' takes the extracted size past the limit of 10000 bytes (0.0 MiB), "
                        + "the free space on /w measured at preflight; free some space");
        assertThat(target()).doesNotExist();
        // never raised, and never below 0
        assertThat(extractor.limitedTo(SafeArchiveExtractor.DEFAULT_MAX_BYTES + 1, "x")).isSameAs(extractor);
        assertThat(extractor.limitedTo(-5, "x").maxBytes()).isZero();
        assertThatThrownBy(() -> extractor.limitedTo(0, "x").extract(bomb, target()))
                .hasMessageContaining("limit of 0 bytes");
        // the limit of a constructor says so
        assertThatThrownBy(() -> new SafeArchiveExtractor(1000, 10).extract(bomb, target()))
                .hasMessageContaining("limit of 1000 bytes (0.0 MiB), the limit this extractor was made with");
    }

    @Test
    void damagedOrForeignInputIsAnErrorAndLeavesNothing() throws Exception {
        Path notGzip = Files.writeString(tmp.resolve("x.tgz"), "this is not gzip");
        assertThatThrownBy(() -> extractor.extract(notGzip, target()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read archive").hasMessageContaining("x.tgz");
        assertThat(target()).doesNotExist();

        Path good = TestTarball.create().file("big", new byte[200_000], 0644).file("after", "x", 0644)
                .write(tmp.resolve("good.tgz"));
        // decompress, cut the tar in the middle of "big", recompress
        byte[] tar = new java.util.zip.GZIPInputStream(Files.newInputStream(good)).readAllBytes();
        Path truncated = tmp.resolve("truncated.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(truncated))) {
            out.write(tar, 0, 100_000);
        }
        assertThatThrownBy(() -> extractor.extract(truncated, target()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated.tgz");
        assertThat(target()).doesNotExist();

        Path empty = tmp.resolve("empty.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(empty))) {
            out.write(new byte[1024]);
        }
        assertThatThrownBy(() -> extractor.extract(empty, target()))
                .isInstanceOf(IOException.class).hasMessageContaining("holds no entries");
        assertThat(target()).doesNotExist();
    }

    @Test
    void targetMustBeNewOrEmpty() throws Exception {
        Path tgz = TestTarball.create().file("a", "x", 0644).write(tmp.resolve("a.tgz"));
        Files.createDirectories(target());
        Files.writeString(target().resolve("keep"), "user data");
        assertThatThrownBy(() -> extractor.extract(tgz, target())).hasMessageContaining("is not empty");
        assertThat(target().resolve("keep")).hasContent("user data");
        Files.delete(target().resolve("keep"));
        assertThat(extractor.extract(tgz, target()).entries()).isEqualTo(1);
    }

    @Test
    void failureRemovesTreeEvenWithReadOnlyDirectories() throws Exception {
        // the read-only directory mode is applied only at the end; the failure happens in the link check
        assertRefused(TestTarball.create().dir("ro", 0555).file("ro/f", "x", 0444).symlink("ro/l", "../../x"),
                "ro/l", "points outside");
    }

    @Test
    void interruptStopsAndRemovesTheTarget() throws Exception {
        Path tgz = TestTarball.create().file("a", "x", 0644).file("b", "y", 0644).write(tmp.resolve("a.tgz"));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> extractor.extract(tgz, target()))
                    .isInstanceOf(java.io.InterruptedIOException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(target()).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/../..", "a/../../b", "./../x", "x/.."})
    void refusesParentInAnyPosition(String name) throws Exception {
        assertRefused(TestTarball.create().file("ok", "x", 0644).file(name, "x", 0644), name, "'..'");
    }

    private void assertRefused(TestTarball tarball, String entry, String reason) throws IOException {
        Path tgz = tarball.write(tmp.resolve("evil-" + System.nanoTime() + ".tgz"));
        assertThatThrownBy(() -> extractor.extract(tgz, target()))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("entry '" + entry + "'")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((UnsafeArchiveException) e).entry()).isEqualTo(entry));
        assertThat(Files.exists(target(), LinkOption.NOFOLLOW_LINKS)).as("target removed").isFalse();
    }

    private static String run(Path dir, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(argv)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }
}

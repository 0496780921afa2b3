package io.github.mellanoxlustre.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.mellanoxlustre.rpm.BigHeaderRpms;
import io.github.mellanoxlustre.testing.LustreZfsRpms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpmCheckTest {
    @TempDir
    Path tmp;

    @Test
    void directoriesAreSearchedRecursivelyInSortedOrder() throws Exception {
        Path repo = tmp.resolve("repo");
        LustreZfsRpms.lustre(repo.resolve("x86_64/lustre"));
        LustreZfsRpms.kmodZfs(repo.resolve("x86_64/zfs"));
        LustreZfsRpms.zfsDkms(repo.resolve("noarch"));
        Files.writeString(repo.resolve("x86_64/README.txt"), "not scanned");
        LustreZfsRpms.notAnRpm(repo.resolve("x86_64"), "broken.rpm");

        CheckReport r = RpmCheck.run(List.of(repo), DistributionPolicy.distribute());
        assertThat(r.packages()).extracting(p -> repo.relativize(Path.of(p.file())).toString(), PackageResult::verdict)
                .containsExactly(
                        tuple("noarch/zfs-dkms-2.1.5-1.el8.noarch.rpm", Verdict.DISTRIBUTABLE),
                        tuple("x86_64/broken.rpm", Verdict.ERROR),
                        tuple("x86_64/lustre/lustre-2.15.4-1.el8.x86_64.rpm", Verdict.DISTRIBUTABLE),
                        tuple("x86_64/zfs/kmod-zfs-2.1.5-1.el8.x86_64.rpm", Verdict.FORBIDDEN));
        assertThat(r.verdict()).isEqualTo(CheckVerdict.FAIL);
        assertThat(r.hasErrors()).isTrue();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.count(Verdict.DISTRIBUTABLE)).isEqualTo(2);
        PackageResult broken = r.packages().get(1);
        assertThat(broken.rpm()).isEmpty();
        assertThat(broken.findings()).isEmpty();
        assertThat(broken.error()).isNotBlank().doesNotContain(broken.file());
        assertThat(r.summary()).isEqualTo("FAIL: 4 files, 2 distributable, 1 forbidden, 1 error, 1 other file skipped (not *.rpm)");
        PackageResult lustre = r.packages().get(2);
        assertThat(lustre.rpm().orElseThrow().epoch()).hasValue(1);
    }

    @Test
    void exitCodes() throws Exception {
        Path good = LustreZfsRpms.lustre(tmp.resolve("good"));
        Path bad = LustreZfsRpms.notAnRpm(tmp.resolve("bad"), "truncated.rpm");
        Path forbidden = LustreZfsRpms.totallyHarmless(tmp.resolve("forbidden"));

        CheckReport pass = RpmCheck.run(List.of(good), DistributionPolicy.distribute());
        assertThat(pass.verdict()).isEqualTo(CheckVerdict.PASS);
        assertThat(pass.exitCode()).isZero();

        CheckReport error = RpmCheck.run(List.of(good, bad), DistributionPolicy.distribute());
        assertThat(error.verdict()).isEqualTo(CheckVerdict.PASS);
        assertThat(error.hasErrors()).isTrue();
        assertThat(error.exitCode()).isEqualTo(2);

        CheckReport fail = RpmCheck.run(List.of(bad, forbidden, good), DistributionPolicy.distribute());
        assertThat(fail.packages()).extracting(PackageResult::verdict)
                .containsExactly(Verdict.ERROR, Verdict.FORBIDDEN, Verdict.DISTRIBUTABLE);
        assertThat(fail.exitCode()).isEqualTo(1);

        CheckReport internal = RpmCheck.run(List.of(forbidden, good), DistributionPolicy.internal());
        assertThat(internal.verdict()).isEqualTo(CheckVerdict.PASS);
        assertThat(internal.exitCode()).isZero();
        assertThat(internal.count(Severity.WARNING)).isEqualTo(1);
        assertThat(internal.summary()).isEqualTo("PASS: 2 files, 2 distributable, 0 forbidden, 0 errors, 1 warning");
    }

    @Test
    void missingPathsEmptyDirectoriesAndDuplicatesAreReported() throws Exception {
        Path rpm = LustreZfsRpms.zfs(tmp.resolve("rpms"));
        Path missing = tmp.resolve("no/such.rpm");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.rpm"), tmp.resolve("gone.rpm"));
        CheckReport r = RpmCheck.run(List.of(missing, rpm, tmp.resolve("rpms"), empty, dangling),
                DistributionPolicy.distribute());
        assertThat(r.packages()).extracting(PackageResult::file, PackageResult::verdict, PackageResult::error)
                .containsExactly(
                        tuple(missing.toString(), Verdict.ERROR, "no such file or directory"),
                        tuple(rpm.toString(), Verdict.DISTRIBUTABLE, ""),
                        tuple(empty.toString(), Verdict.ERROR, "empty directory: no *.rpm file to check"),
                        tuple(dangling.toString(), Verdict.ERROR, "broken symbolic link"));
        assertThat(r.packages()).extracting(PackageResult::pathError).containsExactly(true, false, true, true);
        assertThat(r.exitCode()).isEqualTo(2);
        // The three paths that yielded no file are errors, not files.
        assertThat(r.summary()).isEqualTo("INCOMPLETE: 1 file, 1 distributable, 0 forbidden, 3 errors");
    }

    @Test
    void anExplicitFileIsReadWhateverItsNameAndAnEmptyFileIsAnError() throws Exception {
        Path rpm = LustreZfsRpms.kmodLustreOsdZfs(tmp);
        Path renamed = Files.move(rpm, tmp.resolve("osd.bin"));
        Path empty = Files.createFile(tmp.resolve("empty.rpm"));
        CheckReport r = RpmCheck.run(List.of(renamed, empty), DistributionPolicy.distribute());
        assertThat(r.packages()).extracting(PackageResult::verdict).containsExactly(Verdict.FORBIDDEN, Verdict.ERROR);
        assertThat(r.packages().get(0).findings()).extracting(Finding::rule).containsOnly("lustre-osd-zfs-kmod");
        assertThat(r.packages().get(1).error()).isNotBlank();
    }

    @Test
    void filesNotNamedRpmInADirectoryAreSkippedAndCounted() throws Exception {
        Path dir = tmp.resolve("repo");
        LustreZfsRpms.lustre(dir);
        Files.writeString(dir.resolve("notes.txt"), "x");
        Files.writeString(Files.createDirectories(dir.resolve("sub")).resolve("lustre.rpm.sig"), "x");
        Path others = Files.createDirectories(tmp.resolve("others"));
        Files.writeString(others.resolve("a"), "x");
        Files.writeString(others.resolve("b"), "x");
        CheckReport r = RpmCheck.run(List.of(dir, others), DistributionPolicy.distribute());
        assertThat(r.skipped()).isEqualTo(4);
        assertThat(r.tally().files()).isEqualTo(1);
        assertThat(r.packages().get(1).error()).isEqualTo("directory holds no *.rpm file (2 other files skipped)");
        assertThat(r.summary()).isEqualTo("INCOMPLETE: 1 file, 1 distributable, 0 forbidden, 1 error,"
                + " 4 other files skipped (not *.rpm)");
    }

    @Test
    void noPathsMeansAnEmptyPassingReport() {
        CheckReport r = RpmCheck.run(List.of(), DistributionPolicy.distribute());
        assertThat(r.packages()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.policy()).isEqualTo("distribute");
    }

    @Test
    void twoReadersGiveTheResultsOfOneInTheSameOrderOnTheCallingThread() throws Exception {
        // A slow file first (a header of 200,000 dependencies), quick ones after it that finish
        // earlier on the other reader, unreadable files, path errors and a path given twice.
        Path big = BigHeaderRpms.manyDependencies(tmp.resolve("big/big-1-1.x86_64.rpm"), 200_000);
        Path kinds = tmp.resolve("kinds");
        List<Path> distinct = List.of(LustreZfsRpms.lustre(kinds), LustreZfsRpms.kmodZfs(kinds),
                LustreZfsRpms.zfsDkms(kinds), LustreZfsRpms.notAnRpm(kinds, "broken.rpm"));
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        for (int i = 0; i < 40; i++) {
            Files.createLink(repo.resolve(String.format("p%02d.rpm", i)), distinct.get(i % distinct.size()));
        }
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        List<Path> paths = List.of(big, repo, tmp.resolve("missing.rpm"), empty, big, distinct.get(1), repo.resolve("p07.rpm"));

        List<String> one = new ArrayList<>();
        RpmCheck.run(paths, DistributionPolicy.distribute(), r -> one.add(describe(r)), n -> { }, 1);
        List<String> two = new ArrayList<>();
        Set<Thread> sinkThreads = new HashSet<>();
        RpmCheck.run(paths, DistributionPolicy.distribute(), r -> {
            two.add(describe(r));
            sinkThreads.add(Thread.currentThread());
        }, n -> { }, 2);

        assertThat(two).isEqualTo(one);
        assertThat(sinkThreads).containsExactly(Thread.currentThread());
        assertThat(one).hasSize(1 + 40 + 2 + 1);
        assertThat(one.get(0)).startsWith(big + " DISTRIBUTABLE");
        assertThat(one.get(1)).startsWith(repo.resolve("p00.rpm") + " DISTRIBUTABLE");
        assertThat(one.get(2)).startsWith(repo.resolve("p01.rpm") + " FORBIDDEN");
        assertThat(one.get(4)).startsWith(repo.resolve("p03.rpm") + " ERROR");
        assertThat(one.subList(41, 44)).containsExactly(
                tmp.resolve("missing.rpm") + " ERROR no such file or directory []",
                empty + " ERROR empty directory: no *.rpm file to check []",
                distinct.get(1) + " FORBIDDEN  [zfs-kmod-name, zfs-module-file, cddl-kernel-code]");
    }

    @Test
    void inADirectoryALinkToAnRpmIsReadAndALinkToAnythingElseIsSkipped() throws Exception {
        Path elsewhere = LustreZfsRpms.zfs(tmp.resolve("elsewhere"));
        Path dir = Files.createDirectories(tmp.resolve("repo"));
        Files.createSymbolicLink(dir.resolve("linked.rpm"), elsewhere);
        Files.createSymbolicLink(dir.resolve("dir.rpm"), tmp.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("dangling.rpm"), tmp.resolve("gone.rpm"));
        CheckReport r = RpmCheck.run(List.of(dir), DistributionPolicy.distribute());
        assertThat(r.packages()).extracting(PackageResult::file, PackageResult::verdict)
                .containsExactly(tuple(dir.resolve("linked.rpm").toString(), Verdict.DISTRIBUTABLE));
        assertThat(r.skipped()).isEqualTo(2);
    }

    private static String describe(PackageResult r) {
        return r.file() + " " + r.verdict() + " " + r.error() + " "
                + r.findings().stream().map(Finding::rule).distinct().toList();
    }
}

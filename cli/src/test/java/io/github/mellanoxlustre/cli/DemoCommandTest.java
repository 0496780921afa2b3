package io.github.mellanoxlustre.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mellanoxlustre.cli.BuildCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlnx-lustre demo}: two whole builds over the stand-ins, and the commands to run them again. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void twoBuildsOverTheStandInsOnePublishedOneWithholdingTheZfsOsdAndTheCommandsPrinted() throws Exception {
        Path demo = dir.resolve("demo");
        Run r = BuildCommandTest.run("demo", demo.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("$ mlnx-lustre build --bundle " + demo.resolve("standins/ofed"))
                .contains("--output " + demo.resolve("out-ldiskfs"), "--output " + demo.resolve("out-zfs"))
                .contains("==> PASS (policy distribute)", "==> FAIL (policy distribute)")
                .contains("the ZFS build published the distributable set and withheld the osd-zfs kmod (exit 1)");
        JsonNode m = new ObjectMapper().readTree(demo.resolve("out-ldiskfs/manifest.json").toFile());
        assertThat(m.path("verdict").asText()).isEqualTo("PASS");
        try (Stream<Path> s = Files.list(demo.resolve("out-zfs-withheld"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("kmod-lustre-osd-zfs-"));
        }
        // a second demo into the same directory replaces what the first made
        assertThat(BuildCommandTest.run("demo", demo.toString()).code()).isZero();
    }

    @Test
    void aDirectoryThatIsNotADemosIsRefusedAndKept() throws Exception {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        Run r = BuildCommandTest.run("demo", mine.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("DIR: '" + mine + "' is not empty and was not made by mlnx-lustre demo");
        assertThat(mine.resolve("notes.txt")).hasContent("keep me");
        try (Stream<Path> s = Files.list(mine)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }
}

package io.github.mellanoxlustre.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.lustre.ConfigureArgs;
import io.github.mellanoxlustre.lustre.LustreOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Phase 6's reading of configure against real Lustre 2.17.0 configure output: a client build with
 * {@code --with-o2ib} at the real mlnx-ofa_kernel 24.10 devel tree (see
 * {@code src/test/resources/real/README.md}).
 */
class RealLustreConfigureTest {
    static List<String> lines() throws Exception {
        Path p = Path.of(Objects.requireNonNull(RealLustreConfigureTest.class
                .getResource("/real/lustre-2.17.0-configure-client.txt")).toURI());
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    static List<String> fatal(List<String> lines, LustreOptions o) {
        List<String> f = ConfigureArgs.fatalLines(o);
        return lines.stream().map(l -> ConfigureArgs.fatalLine(l, f)).filter(Objects::nonNull).toList();
    }

    @Test
    void aClientBuildAgainstTheRealOfedTreeHasNothingFatal() throws Exception {
        List<String> lines = lines();
        assertThat(lines).anyMatch(l -> l.matches("configure: adding .*/usr/src/ofa_kernel/x86_64/[^/]+/Module.symvers "
                + "to external o2ib symbols"));
        assertThat(lines).contains("* Disabling in-kernel o2iblnd in favor of external o2iblnd driver.");
        LustreOptions client = new LustreOptions(false, Set.of(), Optional.empty(), Optional.empty(),
                Set.of(LustreOptions.Packaging.KMOD), 2);
        assertThat(fatal(lines, client)).isEmpty();
    }

    @Test
    void theSameLinesWouldFailAServerBuildThatAskedForLdiskfs() throws Exception {
        LustreOptions server = new LustreOptions(true, EnumSet.of(LustreOptions.Backend.LDISKFS), Optional.empty(),
                Optional.empty(), Set.of(LustreOptions.Packaging.KMOD), 2);
        assertThat(fatal(lines(), server)).containsExactly(ConfigureArgs.LDISKFS_NO);
    }
}

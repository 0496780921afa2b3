package io.github.mellanoxlustre.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Installs the stand-in of DOCA-Host's {@code doca-kernel-support} (from {@code doca-extra}): the
 * script, and beside it {@code SRPMS/} with the {@code mlnx-ofa_kernel} source RPM it rebuilds
 * (where the real tool keeps its sources is not public). See the script's header and
 * docs/tool-contracts.md, section 17, for what it follows and what is a guess.
 */
public final class DocaKernelSupportFixture {
    /** The tool's name, as on the PATH and under {@code /opt/mellanox/doca/tools/}. */
    public static final String TOOL = "doca-kernel-support";
    /** The DOCA version the stand-in writes into its repo RPM's name unless told otherwise. */
    public static final String DOCA_VERSION = "25.01.0.6.0.0";

    private DocaKernelSupportFixture() {
    }

    /**
     * Writes {@code dir/doca-kernel-support} and {@code dir/SRPMS/<srpm's name>}.
     *
     * @param srpm an {@code mlnx-ofa_kernel-*.src.rpm} (e.g. {@link OfedBundle#extractSourceRpm})
     * @return the script
     */
    public static Path install(Path dir, Path srpm) throws IOException {
        Path tool = dir.resolve(TOOL);
        StandInResources.copy("ofed/" + TOOL, tool);
        Path srpms = Files.createDirectories(dir.resolve("SRPMS"));
        Files.copy(srpm, srpms.resolve(srpm.getFileName()));
        return tool;
    }

    /**
     * The repo RPM's name for a kernel: {@code doca-kernel-repo-<doca version>-1.kver.<kernel release
     * with - and _ as .>.<arch>.rpm}, as the public install guide's example.
     */
    public static String repoRpmName(String docaVersion, String kernelRelease, String arch) {
        return "doca-kernel-repo-" + docaVersion + "-1.kver." + kernelRelease.replaceAll("[-_]", ".") + "." + arch
                + ".rpm";
    }
}

package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installed OFED layouts, laid out under a scratch root (nothing is written outside it). */
class InstalledOfedTreeTest {
    private static final String K = "5.14.0-427.13.1.el9_4_lustre.x86_64";

    @TempDir
    Path root;

    private Path tree(String relative) throws Exception {
        Path t = root.resolve(relative);
        Files.createDirectories(t.resolve("include/rdma"));
        Files.createDirectories(t.resolve("ofed_scripts"));
        Files.writeString(t.resolve("include/rdma/rdma_cm.h"), "/* rdma_cm */\n");
        Files.writeString(t.resolve("Module.symvers"), "0x8c3f8e20\t__ib_alloc_pd\tdrivers/infiniband/core/ib_core"
                + "\tEXPORT_SYMBOL\t\n");
        return t;
    }

    @Test
    void mlnxOfed55AndLaterPerKernelTree() throws Exception {
        Path t = tree("usr/src/ofa_kernel/x86_64/" + K);
        tree("usr/src/ofa_kernel/x86_64/5.14.0-427.el9.x86_64"); // another kernel's: not a second candidate
        InstalledOfedTree.Found found = InstalledOfedTree.locate(root, List.of(), "x86_64", K);
        assertThat(found.tree()).contains(t.toRealPath());
        assertThat(found.how()).isEqualTo("/usr/src/ofa_kernel/x86_64/" + K);
        assertThat(found.problem()).isEmpty();
    }

    @Test
    void docaDkmsLayoutWithItsAbsoluteSymlinkStaysInsideTheRoot() throws Exception {
        // DOCA 3.2: DKMS builds into /usr/src/ofa_kernel-dkms/<arch>/<kver>; /usr/src/ofa_kernel/<arch>/<kver>
        // and /usr/src/ofa_kernel/default are symlinks to it (mlnx-ofa_kernel.spec %post), absolute
        Path dkms = tree("usr/src/ofa_kernel-dkms/x86_64/" + K);
        Files.createDirectories(root.resolve("usr/src/ofa_kernel/x86_64"));
        Files.createSymbolicLink(root.resolve("usr/src/ofa_kernel/x86_64/" + K),
                Path.of("/usr/src/ofa_kernel-dkms/x86_64/" + K));
        Files.createSymbolicLink(root.resolve("usr/src/ofa_kernel/default"),
                Path.of("/usr/src/ofa_kernel-dkms/x86_64/" + K));
        InstalledOfedTree.Found found = InstalledOfedTree.locate(root, List.of(), "x86_64", K);
        assertThat(found.tree()).contains(dkms.toRealPath());
        assertThat(found.candidates()).hasSize(1);
        assertThat(InstalledOfedTree.resolve(root, "/usr/src/ofa_kernel/x86_64/" + K)).contains(dkms);
    }

    @Test
    void aLinkPointingOutOfTheRootIsReadInsideIt() throws Exception {
        Files.createDirectories(root.resolve("usr/src/ofa_kernel"));
        // on this machine /usr/src/ofa_kernel/default -> /etc would be the machine's /etc; under a root, the root's
        Files.createSymbolicLink(root.resolve("usr/src/ofa_kernel/default"), Path.of("/etc"));
        assertThat(InstalledOfedTree.resolve(root, "/usr/src/ofa_kernel/default")).isEmpty();
        Files.createSymbolicLink(root.resolve("usr/src/up"), Path.of("../../../../../../.."));
        assertThat(InstalledOfedTree.resolve(root, "/usr/src/up")).contains(root);
        InstalledOfedTree.Found found = InstalledOfedTree.locate(root, List.of(), "x86_64", K);
        assertThat(found.tree()).isEmpty();
        assertThat(found.problem()).startsWith("no OFED kernel tree (a directory with include/rdma/rdma_cm.h) for "
                + "kernel " + K);
    }

    @Test
    void olderOfedDefaultTree() throws Exception {
        Path t = tree("usr/src/ofa_kernel/default");
        InstalledOfedTree.Found found = InstalledOfedTree.locate(root, List.of(), "x86_64", K);
        assertThat(found.tree()).contains(t.toRealPath());
    }

    @Test
    void twoDifferentTreesAskForAChoice() throws Exception {
        // an MLNX_OFED devel tree and a DOCA DKMS tree for the same kernel (LU-18002)
        Path a = tree("usr/src/ofa_kernel/x86_64/" + K);
        Path b = tree("usr/src/ofa_kernel-dkms/x86_64/" + K);
        InstalledOfedTree.Found found = InstalledOfedTree.locate(root, List.of(), "x86_64", K);
        assertThat(found.tree()).isEmpty();
        assertThat(found.problem()).startsWith("several OFED kernel trees are visible: ").contains(a.toRealPath()
                .toString()).contains(b.toRealPath().toString()).endsWith("name the one to build against (the tree "
                + "itself)");
    }

    @Test
    void directoriesThePackagesListComeFirst() throws Exception {
        // configure: rpm -ql mlnx-ofa_kernel-devel | grep -E '/ofa_kernel$|...' then <dir>/<arch>/<kver>
        Path t = tree("opt/ofed/src/ofa_kernel/x86_64/" + K);
        InstalledOfedTree.Found found = InstalledOfedTree.locate(root, List.of("/opt/ofed/src/ofa_kernel"), "x86_64", K);
        assertThat(found.tree()).contains(t.toRealPath());
        assertThat(found.how()).isEqualTo("listed by the OFED packages (/opt/ofed/src/ofa_kernel)");
    }

    @Test
    void aTreeIsRecognisedByRdmaCmHeader() throws Exception {
        assertThat(InstalledOfedTree.isTree(tree("x"))).isTrue();
        assertThat(InstalledOfedTree.isTree(Files.createDirectories(root.resolve("y/include/rdma")))).isFalse();
    }
}

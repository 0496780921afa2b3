package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class O2ibTreeTest {
    static final String K = "4.18.0-477.10.1.el8_lustre.x86_64";

    @TempDir
    Path root;

    private Path tree(String rel, boolean symvers) throws Exception {
        Path t = root.resolve(rel);
        Files.createDirectories(t.resolve("ofed_scripts"));
        Files.createDirectories(t.resolve("include/rdma"));
        if (symvers) {
            Files.writeString(t.resolve("Module.symvers"), "0x1\tib_register_client\tib_core\tEXPORT_SYMBOL\n");
        }
        return t;
    }

    @Test
    void newLayoutPerArchAndKernel() throws Exception {
        Path t = tree("usr/src/ofa_kernel/x86_64/" + K, true);
        O2ibTree.Search s = O2ibTree.locate(root, OfedBundleName.parse("MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz"), K);
        assertThat(s.tree()).contains(t);
        assertThat(s.warning()).isEmpty();
    }

    @Test
    void oldLayoutDefault() throws Exception {
        Path t = tree("usr/src/ofa_kernel/default", true);
        O2ibTree.Search s = O2ibTree.locate(root, OfedBundleName.parse("MLNX_OFED_LINUX-5.4-3.6.8.1-rhel8.4-x86_64.tgz"), K);
        assertThat(s.tree()).contains(t);
        assertThat(s.expected()).isEqualTo(t);
    }

    @Test
    void aTreeForAnotherKernelIsNotTaken() throws Exception {
        tree("usr/src/ofa_kernel/x86_64/4.18.0-999.el8.x86_64", true);
        O2ibTree.Search s = O2ibTree.locate(root, OfedBundleName.parse("MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz"), K);
        assertThat(s.tree()).isEmpty();
        assertThat(s.candidates()).hasSize(1);
        assertThat(s.problem()).contains("none of the directories with ofed_scripts is");
    }

    @Test
    void missingModuleSymversIsAWarningNotARefusal() throws Exception {
        Path t = tree("usr/src/ofa_kernel/x86_64/" + K, false);
        O2ibTree.Search s = O2ibTree.locate(root, OfedBundleName.parse("MLNX_OFED_LINUX-24.10-0.7.0.0-rhel9.4-x86_64.tgz"), K);
        assertThat(s.tree()).contains(t);
        assertThat(s.warning()).isEqualTo(t + " has no Module.symvers");
    }

    @Test
    void nothingUnpacked() throws Exception {
        O2ibTree.Search s = O2ibTree.locate(root, OfedBundleName.parse("MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz"), K);
        assertThat(s.tree()).isEmpty();
        assertThat(s.problem()).startsWith("no directory with ofed_scripts below");
    }
}

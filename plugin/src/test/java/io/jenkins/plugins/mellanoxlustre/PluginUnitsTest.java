package io.jenkins.plugins.mellanoxlustre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plugin's own derivations that need no Jenkins instance: URL names, checked paths. */
class PluginUnitsTest {

    @Test
    void everyDirectoryGetsItsOwnUrlName() {
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, "out/el8")).isEqualTo("lustre-rpms-out_2Fel8");
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, "out_el8")).isEqualTo("lustre-rpms-out_5Fel8");
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, "lustre-rpms")).isEqualTo("lustre-rpms-lustre-rpms");
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.CHECK, ".")).isEqualTo("lustre-rpm-check-.");
        // names that a character-replacing slug would fold together stay apart
        List<String> dirs = List.of("out/el8", "out_el8", "out_2Fel8", "out-el8", "out.el8", "out el8", "out%2Fel8",
                "out:el8", "out/el8/", "outél8", "out/é", "rpms/el8-zfs", "rpms/el8_zfs", "rpms_el8/zfs", ".", "_");
        Set<String> names = new HashSet<>();
        for (String d : dirs) {
            String name = LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, d);
            assertThat(name).as(d).matches("lustre-rpms-[A-Za-z0-9._-]+");
            names.add(name);
        }
        assertThat(names).hasSize(dirs.size());
        assertThat(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.BUILD, "x"))
                .isNotEqualTo(LustreRpmsAction.urlNameFor(LustreRpmsAction.Kind.CHECK, "x"));
    }

    @Test
    void theWorkspaceItselfIsCheckedAsDot() throws AbortException {
        assertThat(LustreBuildRunner.checkedPath(".")).isEqualTo(".");
        assertThat(LustreBuildRunner.checkedPath("./")).isEqualTo(".");
        assertThat(LustreBuildRunner.checkedPath("./RPMS/")).isEqualTo("RPMS");
        assertThat(LustreBuildRunner.checkedPath("out/./el8")).isEqualTo("out/el8");
        assertThatThrownBy(() -> LustreBuildRunner.checkedPath("/")).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("path: '/' is not relative");
        assertThatThrownBy(() -> LustreBuildRunner.checkedPath("../x")).isInstanceOf(AbortException.class)
                .hasMessageContaining("leaves or is the workspace itself");
    }
}

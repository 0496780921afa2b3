package io.github.mellanoxlustre.engine.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentDistroTest {
    @TempDir
    Path etc;

    private AgentDistro detect(String osRelease) throws IOException {
        Files.writeString(etc.resolve("os-release"), osRelease);
        return AgentDistro.detect(etc);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ID=\"rhel\"\\nVERSION_ID=\"8.7\"\\nPRETTY_NAME=\"Red Hat Enterprise Linux 8.7 (Ootpa)\"|rhel8.7|el",
        "ID=\"rocky\"\\nID_LIKE=\"rhel centos fedora\"\\nVERSION_ID=\"9.2\"|rhel9.2|el",
        "ID=\"almalinux\"\\nVERSION_ID=\"8.9\"|rhel8.9|el",
        "ID=\"ol\"\\nID_LIKE=\"fedora\"\\nVERSION_ID=\"8.8\"|ol8.8|el",
        "ID=\"sles\"\\nID_LIKE=\"suse\"\\nVERSION_ID=\"15.4\"|sles15sp4|suse",
        "ID=\"sles\"\\nVERSION_ID=\"15\"|sles15sp0|suse",
        "ID=ubuntu\\nID_LIKE=debian\\nVERSION_ID=\"22.04\"|ubuntu22.04|debian",
        "ID=\"fedora\"\\nVERSION_ID=38|fc38|el",
        "ID=\"eurolinux\"\\nID_LIKE=\"rhel fedora centos\"\\nVERSION_ID=\"9.1\"|rhel9.1|el",
        "ID=linuxmint\\nID_LIKE=\"ubuntu debian\"\\nVERSION_ID=\"21.2\"|linuxmint21.2|debian",
        "# comment\\n\\nID=arch|arch|other",
    })
    void mapsToBundleNames(String osRelease, String name, String family) throws IOException {
        AgentDistro d = detect(osRelease.replace("\\n", "\n"));
        assertThat(d.name()).isEqualTo(name);
        assertThat(d.family()).isEqualTo(family);
        assertThat(d.majorOnly()).isFalse();
        assertThat(d.matches(name)).isTrue();
    }

    @Test
    void centos7TakesTheMinorFromRedhatRelease() throws IOException {
        Files.writeString(etc.resolve("redhat-release"), "CentOS Linux release 7.9.2009 (Core)\n");
        AgentDistro d = detect("NAME=\"CentOS Linux\"\nID=\"centos\"\nVERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n");
        assertThat(d).isEqualTo(new AgentDistro("rhel7.9", false, "el", "CentOS Linux 7 (Core)"));
        assertThat(d.matches("rhel7.9")).isTrue();
        assertThat(d.matches("rhel7.6")).isFalse();
    }

    @Test
    void centosStreamKnowsOnlyTheMajor() throws IOException {
        Files.writeString(etc.resolve("redhat-release"), "CentOS Stream release 8\n");
        AgentDistro d = detect("ID=\"centos\"\nVERSION_ID=\"8\"\n");
        assertThat(d.name()).isEqualTo("rhel8");
        assertThat(d.majorOnly()).isTrue();
        assertThat(d.matches("rhel8.7")).isTrue();
        assertThat(d.matches("rhel9.2")).isFalse();
        assertThat(d.matches("rhel80.1")).isFalse();
    }

    @Test
    void debianTakesThePointRelease() throws IOException {
        Files.writeString(etc.resolve("debian_version"), "12.11\n");
        assertThat(detect("ID=debian\nVERSION_ID=\"12\"\n").name()).isEqualTo("debian12.11");
        Files.writeString(etc.resolve("debian_version"), "trixie/sid\n");
        AgentDistro sid = detect("ID=debian\nVERSION_ID=\"13\"\n");
        assertThat(sid.name()).isEqualTo("debian13");
        assertThat(sid.majorOnly()).isTrue();
    }

    @Test
    void missingOrEmpty() throws IOException {
        assertThatThrownBy(() -> AgentDistro.detect(etc)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> detect("NAME=x\n")).hasMessageContaining("has no ID field");
    }

    @Test
    void thisMachine() throws IOException {
        AgentDistro d = AgentDistro.detect(Path.of("/etc"));
        String id = AgentDistro.parseOsRelease(Files.readString(Path.of("/etc/os-release"))).get("ID");
        assertThat(d.name()).isNotBlank();
        assertThat(d.prettyName()).isNotBlank();
        if (id.equals("debian") || id.equals("ubuntu")) {
            assertThat(d.family()).isEqualTo("debian");
            assertThat(d.name()).startsWith(id);
        }
    }
}

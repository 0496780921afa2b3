package io.github.mellanoxlustre.detach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessIdentityTest {

    @Test
    void aRunningProcessIsItselfAndAnotherStartTimeOrBootIsNot() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc (Linux)");
        ProcessIdentity me = ProcessIdentity.of(ProcessHandle.current().pid()).orElseThrow();
        assertThat(me.startTime()).isPositive();
        assertThat(me.bootId()).isNotEmpty();
        assertThat(me.stillRunning()).isTrue();
        assertThat(me.handle()).get().extracting(ProcessHandle::pid).isEqualTo(ProcessHandle.current().pid());
        // the same pid with another start time: a recycled pid, not this process
        assertThat(new ProcessIdentity(me.pid(), me.startTime() + 1, me.bootId(), me.started()).stillRunning())
                .isFalse();
        // the same pid and start time in another boot
        assertThat(new ProcessIdentity(me.pid(), me.startTime(), "another-boot", me.started()).stillRunning())
                .isFalse();
    }

    @Test
    void anExitedProcessIsNotRunningEvenAsAZombie() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        Process p = new ProcessBuilder("/bin/sh", "-c", "read line").start();
        ProcessIdentity id = ProcessIdentity.of(p.pid()).orElseThrow();
        assertThat(id.stillRunning()).isTrue();
        p.getOutputStream().close();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(id.stillRunning()).isFalse();
        assertThat(ProcessIdentity.of(p.pid())).isEmpty();
    }
}

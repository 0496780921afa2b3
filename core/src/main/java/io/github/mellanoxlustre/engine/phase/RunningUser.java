package io.github.mellanoxlustre.engine.phase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who the build runs as. */
final class RunningUser {
    private RunningUser() {
    }

    /** Whether the effective user is root (uid 0): the owner of {@code /proc/self} on Linux. */
    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}

package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ProgramPath;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.process.ToolRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The first line of {@code <tool> --version} of each tool a build used, for the manifest. */
final class ToolVersions {
    static final List<String> TOOLS = List.of("rpmbuild", "rpm2cpio", "cpio", "git", "gcc", "make", "createrepo_c");

    private ToolVersions() {
    }

    static Map<String, String> collect(ToolRunner tools, Path dir, Map<String, String> env)
            throws IOException, AbortedException {
        String path = env.containsKey("PATH") ? env.get("PATH") : System.getenv("PATH");
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : TOOLS) {
            if (ProgramPath.find(t, path).isEmpty()) {
                out.put(t, "not found");
                continue;
            }
            try {
                List<String> lines = tools.capture(ToolCommand.of(dir, t, "--version"));
                out.put(t, lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").trim());
            } catch (ToolFailedException e) {
                out.put(t, "unknown (--version exited " + e.exitCode() + ")");
            }
        }
        return out;
    }
}

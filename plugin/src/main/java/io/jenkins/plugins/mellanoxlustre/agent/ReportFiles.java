package io.jenkins.plugins.mellanoxlustre.agent;

import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.report.ReportFormat;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a check report in every format the engine has, next to each other. */
final class ReportFiles {
    /** Base name of the written reports: {@code rpm-check.json}, {@code .html}, {@code .txt}. */
    static final String BASE_NAME = "rpm-check";

    private ReportFiles() {
    }

    static List<Path> write(CheckReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (ReportFormat f : ReportFormat.values()) {
            Path file = dir.resolve(BASE_NAME + "." + (f == ReportFormat.TEXT ? "txt" : f.label()));
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                f.writer().write(report, w);
            }
            out.add(file);
        }
        return out;
    }
}

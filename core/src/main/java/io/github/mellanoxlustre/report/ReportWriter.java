package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.CheckReport;
import java.io.IOException;
import java.io.Writer;

/** Renders a {@link CheckReport} in one format. Implementations are stateless. */
public interface ReportWriter {

    /** Writes the whole report to {@code out} (does not close it). */
    void write(CheckReport report, Writer out) throws IOException;
}

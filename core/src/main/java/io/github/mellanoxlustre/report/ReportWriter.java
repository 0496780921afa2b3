package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.CheckReport;
import io.github.mellanoxlustre.policy.PolicyBase;
import java.io.IOException;
import java.io.Writer;

/** Renders a {@link CheckReport} in one format. Implementations are stateless. */
public interface ReportWriter {

    /** Writes the whole report to {@code out} (does not close it). */
    default void write(CheckReport report, Writer out) throws IOException {
        write(ReportInput.of(report), out);
    }

    /** Writes the whole report of this input to {@code out} (does not close it). */
    void write(ReportInput input, Writer out) throws IOException;

    /**
     * A report to {@code out} written from results as they arrive, in bounded memory. By default the
     * results go to a {@link ResultSpool} and the report is written by {@link ReportStream#finish()};
     * a format that prints its totals last may write each result at once.
     */
    default ReportStream open(String policy, PolicyBase base, Writer out) throws IOException {
        return open(ReportHeader.now(policy, base, ""), out);
    }

    /** {@link #open(String, PolicyBase, Writer)} with this header (policy, date, host, tool). */
    default ReportStream open(ReportHeader header, Writer out) throws IOException {
        return new SpooledReportStream(this, header, out);
    }
}

package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.CheckTally;
import io.github.mellanoxlustre.policy.PackageResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;

/** Results go to a {@link ResultSpool}; the report is written from it when finished. */
final class SpooledReportStream implements ReportStream {
    private final ReportWriter writer;
    private final ReportHeader header;
    private final Writer out;
    private final CheckTally tally = new CheckTally();
    private final ResultSpool spool;

    SpooledReportStream(ReportWriter writer, ReportHeader header, Writer out) throws IOException {
        this.writer = writer;
        this.header = Objects.requireNonNull(header, "header");
        this.out = Objects.requireNonNull(out, "out");
        this.spool = new ResultSpool();
    }

    @Override
    public void add(PackageResult result) throws IOException {
        spool.add(result);
        tally.add(result);
    }

    @Override
    public void finish() throws IOException {
        try {
            writer.write(new ReportInput(header, tally, spool), out);
        } catch (UncheckedIOException e) {
            throw e.getCause(); // reading the spool back failed
        }
        out.flush();
    }

    @Override
    public CheckTally tally() {
        return tally;
    }

    @Override
    public void close() throws IOException {
        spool.close();
    }
}

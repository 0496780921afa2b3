package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.CheckTally;
import io.github.mellanoxlustre.policy.PackageResult;
import java.io.IOException;

/**
 * A report being written as results arrive ({@link ReportWriter#open}): {@link #add} each result,
 * then {@link #finish()} once, which completes the report (also after a failure: it then reports
 * every result added so far), then {@link #close()}, which releases what the stream holds but never
 * closes the writer it was given.
 */
public interface ReportStream extends AutoCloseable {

    /** One more result, in scan order. */
    void add(PackageResult result) throws IOException;

    /** {@code n} more files found in a directory and not checked (not named {@code *.rpm}). */
    default void skipped(long n) {
        tally().skip(n);
    }

    /** Completes the report with the results added so far and flushes the writer. */
    void finish() throws IOException;

    /** The counts of the results added so far. */
    CheckTally tally();

    @Override
    void close() throws IOException;
}

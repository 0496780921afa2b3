package io.github.mellanoxlustre.process;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A byte stream that hands on what is written a whole line at a time (decoded as UTF-8, the line
 * end included), and on {@link #flush()} also the unfinished rest, so a consumer that rewrites
 * lines (masking secrets) never sees a line split across writes.
 */
public final class LineOutputStream extends OutputStream {
    private final Consumer<String> lines;
    private final Runnable flushTarget;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    /**
     * @param lines       receives each line, and on flush what is left
     * @param flushTarget flushes whatever {@code lines} writes to
     */
    public LineOutputStream(Consumer<String> lines, Runnable flushTarget) {
        this.lines = Objects.requireNonNull(lines, "lines");
        this.flushTarget = Objects.requireNonNull(flushTarget, "flushTarget");
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    @Override
    public synchronized void flush() {
        emit();
        flushTarget.run();
    }

    @Override
    public void close() {
        flush();
    }

    private void emit() {
        if (line.size() > 0) {
            lines.accept(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}

package io.github.mellanoxlustre.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The report formats, each with its writer. */
public enum ReportFormat {
    /** Concise, for a terminal or a build log. */
    TEXT(TextReportWriter::new),
    /** Machine-readable, see {@link JsonReportWriter}. */
    JSON(JsonReportWriter::new),
    /** One self-contained page, see {@link HtmlReportWriter}. */
    HTML(HtmlReportWriter::new);

    private final Supplier<ReportWriter> make;
    private volatile ReportWriter writer;

    ReportFormat(Supplier<ReportWriter> make) {
        this.make = make;
    }

    /**
     * The writer for this format, made when first asked for: a text report never loads the JSON
     * library (part of the start-up cost of a check).
     */
    public ReportWriter writer() {
        ReportWriter w = writer;
        if (w == null) {
            w = make.get();
            writer = w;
        }
        return w;
    }

    /** {@code text}, {@code json} or {@code html}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format with this label (any case); empty when none. */
    public static Optional<ReportFormat> parse(String s) {
        return Arrays.stream(values()).filter(f -> f.label().equalsIgnoreCase(s == null ? "" : s.trim())).findFirst();
    }

    /** {@code text, json, html}, for error messages. */
    public static String labels() {
        return Arrays.stream(values()).map(ReportFormat::label).collect(Collectors.joining(", "));
    }
}

package io.github.mellanoxlustre.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The report formats, each with its writer. */
public enum ReportFormat {
    /** Concise, for a terminal or a build log. */
    TEXT(new TextReportWriter()),
    /** Machine-readable, see {@link JsonReportWriter}. */
    JSON(new JsonReportWriter()),
    /** One self-contained page, see {@link HtmlReportWriter}. */
    HTML(new HtmlReportWriter());

    private final ReportWriter writer;

    ReportFormat(ReportWriter writer) {
        this.writer = writer;
    }

    /** The writer for this format. */
    public ReportWriter writer() {
        return writer;
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

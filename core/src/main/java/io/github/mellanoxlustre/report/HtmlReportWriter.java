package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.CheckTally;
import io.github.mellanoxlustre.policy.CheckVerdict;
import io.github.mellanoxlustre.policy.Finding;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.Severity;
import io.github.mellanoxlustre.policy.Verdict;
import io.github.mellanoxlustre.rpm.RpmIdentity;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * One self-contained HTML page: inline CSS, no scripts, no external resources. A header (policy and
 * where it comes from, date, host, tool version), the totals, then a table with a row per file
 * (forbidden first, then errors, then distributable with warnings, then the rest; scan order within
 * each), its verdict in colour, every finding with its evidence and, for a forbidden package, what
 * to do with it ({@link WhatToDo}). Paths break only after a {@code /}, never inside a name. Every
 * text from a package, a path or a policy file is HTML-escaped.
 */
public final class HtmlReportWriter implements ReportWriter {

    private static final String CSS = """
            :root{--ok:#1a7f37;--ok-bg:#dafbe1;--bad:#cf222e;--bad-bg:#ffebe9;--err:#9a6700;--err-bg:#fff8c5;
            --info:#0969da;--info-bg:#ddf4ff;--muted:#57606a;--line:#d0d7de;--head:#f6f8fa}
            *{box-sizing:border-box}
            body{margin:0;padding:28px 32px;font:14px/1.5 -apple-system,"Segoe UI","Helvetica Neue",Arial,sans-serif;
            color:#1f2328;background:#fff}
            h1{font-size:22px;margin:0 0 4px;font-weight:600}
            .sub{color:var(--muted);margin:0 0 4px}
            .meta{color:var(--muted);margin:0 0 20px;font-size:12.5px}
            .seg{white-space:nowrap}
            code,.mono{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
            .totals{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 24px}
            .card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:104px;background:var(--head)}
            .card .n{font-size:24px;font-weight:600;line-height:1.2}
            .card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
            .card.result{min-width:200px;border-width:2px}
            .card.pass{background:var(--ok-bg);border-color:var(--ok);color:var(--ok)}
            .card.fail{background:var(--bad-bg);border-color:var(--bad);color:var(--bad)}
            .card.errors{background:var(--err-bg);border-color:var(--err);color:var(--err)}
            .card.result .l{color:inherit}
            .n.bad{color:var(--bad)}.n.ok{color:var(--ok)}.n.err{color:var(--err)}
            table{width:100%;border-collapse:collapse;border:1px solid var(--line)}
            th{background:var(--head);text-align:left;font-weight:600;padding:8px 12px;border-bottom:1px solid var(--line);
            font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
            td{padding:10px 12px;border-top:1px solid var(--line);vertical-align:top}
            tr.forbidden td:first-child{box-shadow:inset 4px 0 var(--bad)}
            tr.error td:first-child{box-shadow:inset 4px 0 var(--err)}
            tr.distributable td:first-child{box-shadow:inset 4px 0 var(--ok)}
            tr.distributable.warned td:first-child{box-shadow:inset 4px 0 #d4a72c}
            .badge{display:inline-block;padding:2px 10px;border-radius:12px;font-size:12px;font-weight:600;white-space:nowrap}
            .badge.forbidden{background:var(--bad);color:#fff}
            .badge.error{background:var(--err);color:#fff}
            .badge.distributable{background:var(--ok);color:#fff}
            .pkg{font-weight:600;overflow-wrap:anywhere}
            .file{color:var(--muted);margin-top:2px}
            .lic{word-break:break-word}
            ul.findings{list-style:none;margin:0;padding:0}
            ul.findings li{margin:0 0 8px;display:grid;grid-template-columns:84px 1fr;column-gap:8px}
            ul.findings li:last-child{margin:0}
            .sev{align-self:start;text-align:center;padding:1px 6px;border-radius:4px;font-size:11px;
            font-weight:600;text-transform:uppercase;margin-top:1px}
            .sev.forbidden{background:var(--bad-bg);color:var(--bad)}
            .sev.warning{background:var(--err-bg);color:var(--err)}
            .sev.allowed{background:var(--ok-bg);color:var(--ok)}
            .sev.info{background:var(--info-bg);color:var(--info)}
            .rule{font-weight:600}
            .ev{display:block;margin-top:1px;color:var(--muted);overflow-wrap:anywhere}
            .exc{display:block;margin-top:2px;color:var(--ok)}
            .exc b{font-weight:600}
            .todo{margin-top:8px;padding:6px 10px;border-left:3px solid var(--bad);background:var(--bad-bg)}
            .todo strong{font-weight:600}
            .none{color:var(--muted)}
            .errmsg{color:var(--err);word-break:break-word}
            footer{margin-top:18px;color:var(--muted);font-size:12px}
            """;

    @Override
    public void write(ReportInput input, Writer out) throws IOException {
        CheckTally report = input.totals();
        StringBuilder h = new StringBuilder(8192);
        head(h, input, report);
        totals(h, report);
        h.append("<table>\n<thead><tr><th style=\"width:136px\">Verdict</th><th style=\"width:27%\">Package</th>")
                .append("<th style=\"width:12%\">License</th><th>Findings</th></tr></thead>\n<tbody>\n");
        if (report.files() == 0 && !report.hasErrors()) {
            h.append("<tr><td colspan=\"4\" class=\"none\">No files were checked.</td></tr>\n");
        }
        out.write(h.toString());
        // Rows by rank, scan order within a rank (a stable sort): one walk over the results per rank,
        // each row written as it is made.
        for (int rank = 0; rank <= MAX_RANK; rank++) {
            for (PackageResult r : input.packages()) {
                if (rank(r) == rank) {
                    h.setLength(0);
                    row(h, r);
                    out.write(h.toString());
                }
            }
        }
        h.setLength(0);
        h.append("</tbody>\n</table>\n");
        h.append("<footer>Generated by mlnx-lustre check. Exit code ").append(report.exitCode())
                .append(": 0 nothing forbidden and every file read, 1 something forbidden, 2 no forbidden but"
                        + " some file unreadable.</footer>\n</body>\n</html>\n");
        out.write(h.toString());
    }

    /** The document's head and the title lines: policy, its base and source, summary, where and when. */
    private static void head(StringBuilder h, ReportInput input, CheckTally report) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>RPM distribution check: ").append(report.headline()).append(" (")
                .append(esc(input.policy())).append(")</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        ReportHeader head = input.header();
        h.append("<h1>RPM distribution check</h1>\n<p class=\"sub\">Policy <strong>").append(esc(input.policy()))
                .append("</strong>");
        List<String> about = new ArrayList<>();
        if (!input.policy().equals(input.base().label())) {
            about.add("base " + input.base().label());
        }
        if (!head.policySourceText().isEmpty()) {
            about.add(head.policySourceText());
        }
        if (!about.isEmpty()) {
            h.append(" (").append(esc(String.join(", ", about))).append(')');
        }
        h.append(" &middot; ").append(esc(report.summary())).append("</p>\n");
        h.append("<p class=\"meta\">Generated ").append(esc(head.generatedText())).append(" on ")
                .append(esc(head.host())).append(" by ").append(esc(head.tool())).append("</p>\n");
    }

    /** The tiles: the result, then the counts. */
    private static void totals(StringBuilder h, CheckTally report) {
        boolean pass = report.verdict() == CheckVerdict.PASS;
        h.append("<div class=\"totals\">\n");
        String tone = !pass ? "fail" : report.hasErrors() ? "errors" : "pass";
        h.append("<div class=\"card result ").append(tone).append("\"><div class=\"n\">")
                .append(report.headline()).append("</div><div class=\"l\">")
                .append(pass ? (report.hasErrors() ? "nothing forbidden, unreadable files" : "nothing forbidden")
                        : "forbidden packages found")
                .append("</div></div>\n");
        card(h, report.files(), "files", "");
        card(h, report.count(Verdict.DISTRIBUTABLE), "distributable", "ok");
        card(h, report.count(Verdict.FORBIDDEN), "forbidden", report.count(Verdict.FORBIDDEN) > 0 ? "bad" : "");
        card(h, report.count(Verdict.ERROR), "errors", report.count(Verdict.ERROR) > 0 ? "err" : "");
        card(h, report.count(Severity.WARNING), "warnings", report.count(Severity.WARNING) > 0 ? "err" : "");
        if (report.allowedFiles() > 0) {
            card(h, report.allowedFiles(), "allowed by exception", "");
        }
        if (report.skipped() > 0) {
            card(h, report.skipped(), "skipped, not *.rpm", "");
        }
        h.append("</div>\n");
    }

    private static final int MAX_RANK = 3;

    private static int rank(PackageResult r) {
        return switch (r.verdict()) {
            case FORBIDDEN -> 0;
            case ERROR -> 1;
            case DISTRIBUTABLE -> r.findings(Severity.WARNING).isEmpty() ? 3 : 2;
        };
    }

    private static void card(StringBuilder h, long n, String label, String tone) {
        h.append("<div class=\"card\"><div class=\"n").append(tone.isEmpty() ? "" : " " + tone).append("\">").append(n)
                .append("</div><div class=\"l\">").append(label).append("</div></div>\n");
    }

    private static void row(StringBuilder h, PackageResult r) {
        String v = r.verdict().name().toLowerCase(java.util.Locale.ROOT);
        boolean warned = !r.findings(Severity.WARNING).isEmpty();
        h.append("<tr class=\"").append(v).append(warned ? " warned" : "").append("\"><td><span class=\"badge ").append(v).append("\">")
                .append(r.verdict()).append("</span></td>");
        if (r.rpm().isEmpty()) {
            h.append("<td><div class=\"pkg none\">").append(r.pathError() ? "no file to check" : "unreadable file")
                    .append("</div><div class=\"file mono\">").append(path(r.file()))
                    .append("</div></td><td class=\"none\">&ndash;</td>")
                    .append("<td><span class=\"errmsg\">").append(esc(r.error())).append("</span></td></tr>\n");
            return;
        }
        RpmIdentity p = r.rpm().get();
        h.append("<td><div class=\"pkg\">").append(esc(p.nevra()))
                .append("</div><div class=\"file mono\">").append(path(r.file())).append("</div></td>");
        h.append("<td class=\"lic\">").append(p.license().isEmpty() ? "<span class=\"none\">none</span>" : esc(p.license()))
                .append("</td><td>");
        if (r.findings().isEmpty()) {
            h.append("<span class=\"none\">No findings</span>");
        } else {
            h.append("<ul class=\"findings\">");
            for (Finding f : r.findings()) {
                h.append("<li><span class=\"sev ").append(f.severity().label()).append("\">").append(f.severity().label())
                        .append("</span><div><span class=\"rule\">").append(esc(f.rule())).append("</span>: ")
                        .append(esc(f.message())).append("<code class=\"ev\">")
                        .append(f.evidence().startsWith("/") ? path(f.evidence()) : esc(f.evidence())).append("</code>");
                if (!f.exception().isEmpty()) {
                    h.append("<span class=\"exc\"><b>Allowed by exception:</b> ").append(esc(f.exception())).append("</span>");
                }
                h.append("</div></li>");
            }
            h.append("</ul>");
        }
        WhatToDo.of(r).ifPresent(todo -> h.append("<div class=\"todo\"><strong>What to do:</strong> ").append(esc(todo))
                .append("</div>"));
        h.append("</td></tr>\n");
    }

    /**
     * A path that breaks only after a {@code /}: each name is kept whole (a browser would otherwise
     * break after any {@code -} or, with overflow-wrap, anywhere), a break allowed after each slash.
     */
    static String path(String p) {
        StringBuilder b = new StringBuilder(p.length() + 64);
        int start = 0;
        while (start <= p.length()) {
            int slash = p.indexOf('/', start);
            int end = slash < 0 ? p.length() : slash + 1;
            if (end > start) {
                b.append("<span class=\"seg\">").append(esc(p.substring(start, end))).append("</span>");
                if (slash >= 0 && end < p.length()) {
                    b.append("<wbr>");
                }
            }
            if (slash < 0) {
                break;
            }
            start = end;
        }
        return b.toString();
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                        b.append("&#xFFFD;");
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }
}

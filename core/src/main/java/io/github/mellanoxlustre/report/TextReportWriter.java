package io.github.mellanoxlustre.report;

import io.github.mellanoxlustre.policy.CheckTally;
import io.github.mellanoxlustre.policy.Finding;
import io.github.mellanoxlustre.policy.PackageResult;
import io.github.mellanoxlustre.policy.PolicyBase;
import io.github.mellanoxlustre.rpm.RpmIdentity;
import java.io.IOException;
import java.io.Writer;

/**
 * The human report: one line per file ({@code VERDICT  name-[epoch:]version-release.arch  (file)}),
 * an indented line per finding, and the summary last.
 *
 * <pre>
 * Policy: distribute
 * FORBIDDEN      kmod-zfs-2.1.5-1.el8.x86_64  (RPMS/kmod-zfs-2.1.5-1.el8.x86_64.rpm)
 *   forbidden  zfs-kmod-name: ZFS/SPL kernel-module package (name matches kmod-zfs*) ... [kmod-zfs]
 * DISTRIBUTABLE  lustre-2.15.4-1.el8.x86_64  (RPMS/lustre-2.15.4-1.el8.x86_64.rpm)
 * ERROR          RPMS/broken.rpm: not an RPM: bad lead magic
 * FAIL: 3 files, 1 distributable, 1 forbidden, 1 error
 * </pre>
 *
 * Control characters in names, paths and messages are replaced so a hostile file name cannot
 * rewrite the terminal.
 */
public final class TextReportWriter implements ReportWriter {

    @Override
    public void write(ReportInput input, Writer out) throws IOException {
        head(input.policy(), input.base(), out);
        for (PackageResult r : input.packages()) {
            entry(r, out);
        }
        out.write(input.totals().summary() + "\n");
    }

    /** Each result is written as it arrives: the text report keeps nothing but its totals. */
    @Override
    public ReportStream open(ReportHeader header, Writer out) throws IOException {
        head(header.policy(), header.base(), out);
        CheckTally tally = new CheckTally();
        return new ReportStream() {
            @Override
            public void add(PackageResult result) throws IOException {
                tally.add(result);
                entry(result, out);
            }

            @Override
            public void finish() throws IOException {
                out.write(tally.summary() + "\n");
                out.flush();
            }

            @Override
            public CheckTally tally() {
                return tally;
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }

    private static void head(String policy, PolicyBase base, Writer out) throws IOException {
        out.write("Policy: " + clean(policy) + (policy.equals(base.label()) ? "" : " (base " + base.label() + ")") + "\n");
    }

    private static void entry(PackageResult r, Writer out) throws IOException {
        String verdict = padded(r.verdict().toString(), 14);
        if (r.rpm().isEmpty()) {
            out.write(verdict + clean(r.file()) + ": " + clean(r.error()) + "\n");
            return;
        }
        RpmIdentity p = r.rpm().get();
        out.write(verdict + clean(p.nevra()) + "  (" + clean(r.file()) + ")\n");
        for (Finding f : r.findings()) {
            out.write("  " + padded(f.severity().label(), 9) + " " + clean(f.rule()) + ": " + clean(f.message())
                    + " [" + clean(f.evidence()) + "]\n");
            if (!f.exception().isEmpty()) {
                out.write("             allowed by exception: " + clean(f.exception()) + "\n");
            }
        }
    }

    /**
     * {@code s} left-aligned in {@code width} characters and one space, as {@code %-<width>s } (one
     * entry per file: {@link String#format} parsed its pattern every time).
     */
    static String padded(String s, int width) {
        StringBuilder b = new StringBuilder(Math.max(width, s.length()) + 1).append(s);
        while (b.length() < width) {
            b.append(' ');
        }
        return b.append(' ').toString();
    }

    /**
     * {@code s} with control characters and the line and direction overrides written as
     * {@code \\uXXXX}, so that a package's strings cannot forge report lines; {@code s} itself when it
     * has none (almost always).
     */
    static String clean(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (escaped(s.charAt(i))) {
                return escape(s);
            }
        }
        return s;
    }

    private static boolean escaped(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0x202E || c == 0x202D;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (escaped(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}

package io.github.mellanoxlustre.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text report's padding and escaping write what {@code String.format} and the escaping loop did. */
class TextReportWriterTest {

    @Test
    void paddingIsFormatsLeftAlignedWidthAndOneSpace() {
        for (String s : List.of("", "ERROR", "DISTRIBUTABLE", "FORBIDDEN", "a verdict longer than fourteen")) {
            assertThat(TextReportWriter.padded(s, 14)).isEqualTo(String.format("%-14s ", s));
            assertThat("  " + TextReportWriter.padded(s, 9) + " ").isEqualTo(String.format("  %-9s  ", s));
        }
    }

    @Test
    void controlAndOverrideCharactersAreEscapedAndPlainStringsKept() {
        String plain = "lustre-rpms/kmod-lustre-2.17.0-1.el9.x86_64.rpm (\u00e9\ud83d\ude00)";
        assertThat(TextReportWriter.clean(plain)).isSameAs(plain);
        assertThat(TextReportWriter.clean("a\u202Eb\u2028c\u2029d\u202De\u0000f\u001b[2J\n\u007f\u0085g\ud83d\ude00"))
                .isEqualTo("a\\u202eb\\u2028c\\u2029d\\u202de\\u0000f\\u001b[2J\\u000a\\u007f\\u0085g\ud83d\ude00");
    }
}

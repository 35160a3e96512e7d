package io.scoreboard.query.scoreboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvWriterTest {

    @ParameterizedTest
    @CsvSource(delimiterString = "|", quoteCharacter = '`', value = {
            "Ann                 | Ann",
            "Smith, Ann          | \"Smith, Ann\"",
            "Bob \"B\"           | \"Bob \"\"B\"\"\"",
            "\"                  | \"\"\"\"",
            "=1+2                | '=1+2",
            "+49 30              | '+49 30",
            "-5 points           | '-5 points",
            "@SUM(A1)            | '@SUM(A1)",
            "'quoted             | ''quoted",
            "=HYPERLINK(\"x\",1) | \"'=HYPERLINK(\"\"x\"\",1)\"",
            "a=b                 | a=b",
            "`  padded `         | `  padded `"})
    void text_isQuotedAsRfc4180_andDefusedAgainstFormulas(String value, String written) {
        assertThat(CsvWriter.escape(value, true)).isEqualTo(written);
    }

    @Test
    void lineBreaksAndTabs_areQuoted_andALeadingTabOrCrIsDefused() {
        assertThat(CsvWriter.escape("Line\nBreak", true)).isEqualTo("\"Line\nBreak\"");
        assertThat(CsvWriter.escape("a\r\nb", true)).isEqualTo("\"a\r\nb\"");
        assertThat(CsvWriter.escape("\tx", true)).isEqualTo("'\tx");
        assertThat(CsvWriter.escape("\rx", true)).isEqualTo("\"'\rx\"");
        assertThat(CsvWriter.escape("", true)).isEmpty();
    }

    @Test
    void serviceValues_areNeverDefused() {
        assertThat(CsvWriter.escape("-5", false)).isEqualTo("-5");
        assertThat(CsvWriter.escape("a,b", false)).isEqualTo("\"a,b\"");
    }

    @Test
    void rows_endWithCrlf_numbersArePlainAndExact_nullsAreEmpty() throws Exception {
        StringWriter out = new StringWriter();
        CsvWriter csv = new CsvWriter(out);
        UUID id = UUID.fromString("3f2c1d9e-8b7a-4c6d-9e5f-1a2b3c4d5e6f");

        csv.row("name", "score", "id", "reason", "flag");
        csv.text("=cmd|' /C calc'!A0").number(new BigDecimal("-5")).value(id).text(null).value(true).endRow();
        csv.text("Ann").number(new BigDecimal("5E+2")).value(null).text("round 1, \"final\"").value(false).endRow();
        csv.text("Bob").number(new BigDecimal("0.0001")).value(7L).text("").number(null).endRow();

        assertThat(out.toString()).isEqualTo("name,score,id,reason,flag\r\n"
                + "'=cmd|' /C calc'!A0,-5,3f2c1d9e-8b7a-4c6d-9e5f-1a2b3c4d5e6f,,true\r\n"
                + "Ann,500,,\"round 1, \"\"final\"\"\",false\r\n"
                + "Bob,0.0001,7,,\r\n");
    }
}

package io.scoreboard.query.scoreboard;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * Writes CSV as RFC 4180 has it: fields separated by commas, records ended by CRLF, a field holding a
 * comma, a double quote, CR or LF enclosed in double quotes with its quotes doubled.
 *
 * <p>Text that users typed (names, reasons) is also defused against spreadsheet formula injection:
 * a spreadsheet runs a cell starting with {@code = + - @} (or TAB / CR) as a formula, so such a field
 * gets a single quote in front ({@code =HYPERLINK(…)} → {@code '=HYPERLINK(…)}), which spreadsheets
 * show as text. A field that itself starts with a single quote gets one too, so the rule can be undone
 * exactly: remove one leading single quote from a text field that has one. Values the service
 * produces (numbers such as {@code -5}, ids, times, type names) are never altered.
 */
final class CsvWriter {

    private final Writer out;
    private boolean rowStarted;

    CsvWriter(Writer out) {
        this.out = out;
    }

    /** A field of user-typed text (null: empty), defused and quoted as needed. */
    CsvWriter text(String value) throws IOException {
        return field(value == null ? null : escape(value, true));
    }

    /** A field the service produced (id, time, type, flag; null: empty), quoted if it needs to be. */
    CsvWriter value(Object value) throws IOException {
        return field(value == null ? null : escape(value.toString(), false));
    }

    /** An exact decimal in plain notation, as the JSON API shows it: 500, -5, 3.25, never 5E+2. */
    CsvWriter number(BigDecimal value) throws IOException {
        return field(value == null ? null : value.toPlainString());
    }

    /** Ends the record with CRLF. */
    void endRow() throws IOException {
        out.write("\r\n");
        rowStarted = false;
    }

    /** A whole record of service-produced values, such as the header. */
    void row(String... values) throws IOException {
        for (String v : values) {
            value(v);
        }
        endRow();
    }

    private CsvWriter field(String escaped) throws IOException {
        if (rowStarted) {
            out.write(',');
        }
        if (escaped != null) {
            out.write(escaped);
        }
        rowStarted = true;
        return this;
    }

    /** The field as written: defused (text only), then quoted if it holds a separator, quote or line break. */
    static String escape(String value, boolean defuseFormula) {
        String field = defuseFormula && startsLikeFormula(value) ? "'" + value : value;
        boolean quote = false;
        for (int i = 0; i < field.length() && !quote; i++) {
            char ch = field.charAt(i);
            quote = ch == ',' || ch == '"' || ch == '\r' || ch == '\n';
        }
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    private static boolean startsLikeFormula(String value) {
        if (value.isEmpty()) {
            return false;
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r', '\'' -> true;
            default -> false;
        };
    }
}

package dev.moat.demo.tour;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain aligned text table for the terminal. Cells are made safe to print — control characters
 * (terminal escapes included) and line breaks become spaces — and cut to each column's maximum width.
 */
public final class TextTable {

    private final List<String> headers;
    private final int[] maxWidths;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param headers the column headers
     * @param maxWidths the maximum width of each column; longer cells end with {@code …}
     */
    public TextTable(List<String> headers, int... maxWidths) {
        if (headers.size() != maxWidths.length) {
            throw new IllegalArgumentException("one max width per header");
        }
        this.headers = List.copyOf(headers);
        this.maxWidths = maxWidths.clone();
    }

    /** Adds a row (one cell per column). */
    public TextTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells");
        }
        List<String> row = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            row.add(fit(cells[i], maxWidths[i]));
        }
        rows.add(row);
        return this;
    }

    /** The table: header, rule, rows; columns separated by two spaces, no trailing blanks. */
    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        List<String> rule = new ArrayList<>();
        for (int width : widths) {
            rule.add("-".repeat(width));
        }
        line(out, rule, widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    /** Replaces control and format characters with spaces and collapses runs of whitespace. */
    public static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean unsafe = Character.isISOControl(cp) || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            out.appendCodePoint(unsafe ? ' ' : cp);
        });
        return out.toString().replaceAll("\\s+", " ").trim();
    }

    private static String fit(String text, int max) {
        String cleaned = clean(text == null ? "" : text);
        return cleaned.length() <= max ? cleaned : cleaned.substring(0, Math.max(0, max - 1)) + "…";
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append("  ");
            }
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}

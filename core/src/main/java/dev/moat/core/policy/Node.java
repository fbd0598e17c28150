package dev.moat.core.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A value of the policy document with its position: the small located tree the mapper reads
 * instead of Jackson's databind tree (which forgets where values came from). Package-private.
 */
final class Node {

    enum Kind { MAP, LIST, STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    /** A map entry: the key with its own position, and the value. */
    record Entry(String key, int line, int column, Node value) {
    }

    final Kind kind;
    final int line;
    final int column;
    /** Scalar text as written (booleans keep their word: {@code yes}, {@code True}). */
    final String text;
    final Map<String, Entry> map;
    final List<Node> list;
    final BigInteger integer;
    final BigDecimal decimal;

    private Node(Kind kind, int line, int column, String text, Map<String, Entry> map, List<Node> list,
                 BigInteger integer, BigDecimal decimal) {
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.text = text;
        this.map = map;
        this.list = list;
        this.integer = integer;
        this.decimal = decimal;
    }

    static Node map(int line, int column, Map<String, Entry> entries) {
        return new Node(Kind.MAP, line, column, null, entries, null, null, null);
    }

    static Node list(int line, int column, List<Node> items) {
        return new Node(Kind.LIST, line, column, null, null, items, null, null);
    }

    static Node scalar(Kind kind, int line, int column, String text) {
        return new Node(kind, line, column, text, null, null, null, null);
    }

    static Node integer(int line, int column, String text, BigInteger value) {
        return new Node(Kind.INTEGER, line, column, text, null, null, value, new BigDecimal(value));
    }

    static Node decimal(int line, int column, String text, BigDecimal value) {
        return new Node(Kind.DECIMAL, line, column, text, null, null, null, value);
    }

    /** How the value reads in an error message: "a list", "the string 'x'", "the integer 5". */
    String describe() {
        return switch (kind) {
            case MAP -> "a map";
            case LIST -> "a list";
            case STRING -> text.isEmpty() ? "an empty value" : "the string '" + text + "'";
            case INTEGER -> "the integer " + text;
            case DECIMAL -> "the number " + text;
            case BOOLEAN -> "the boolean " + text;
            case NULL -> "null";
        };
    }
}

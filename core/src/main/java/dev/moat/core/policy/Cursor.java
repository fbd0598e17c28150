package dev.moat.core.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.moat.core.util.Suggest;

/**
 * A {@link Node} with its key path and source: the tiny typed-read layer the mapper uses. Every
 * read either returns a value of the expected type or throws a {@link PolicyException} positioned
 * at the node. Package-private.
 */
final class Cursor {

    final Node node;
    final String path;
    final String source;
    /** Position of the key that holds this value, for errors about the key itself. */
    private final int keyLine;
    private final int keyColumn;

    Cursor(Node node, String path, String source, int keyLine, int keyColumn) {
        this.node = node;
        this.path = path;
        this.source = source;
        this.keyLine = keyLine;
        this.keyColumn = keyColumn;
    }

    static Cursor root(Node node, String source) {
        return new Cursor(node, "", source, node.line, node.column);
    }

    PolicyException error(String problem) {
        return new PolicyException(source, node.line, node.column, path, problem);
    }

    PolicyException error(String problem, Throwable cause) {
        return new PolicyException(source, node.line, node.column, path, problem, cause);
    }

    PolicyException keyError(String problem) {
        return new PolicyException(source, keyLine, keyColumn, path, problem);
    }

    private PolicyException expected(String what) {
        return error("expected " + what + ", got " + node.describe());
    }

    // ---- maps with a fixed set of keys

    /** The keys of a map whose allowed keys are {@code PolicyKeys.keys(shape)}; unknown keys are errors. */
    Fields fields(String shape) throws PolicyException {
        List<String> allowed = PolicyKeys.keys(shape);
        if (node.kind != Node.Kind.MAP) {
            throw expected("a map with the keys " + String.join(", ", allowed));
        }
        for (Node.Entry e : node.map.values()) {
            if (!allowed.contains(e.key())) {
                String hint = Suggest.closest(e.key(), allowed).map(s -> "; did you mean '" + s + "'?").orElse("");
                throw new PolicyException(source, e.line(), e.column(), KeyPaths.child(path, e.key()),
                        "unknown key '" + e.key() + "' (expected one of: " + String.join(", ", allowed) + ")" + hint);
            }
        }
        return new Fields(this, allowed);
    }

    /** The fields of one map, readable only by declared key. */
    static final class Fields {
        private final Cursor owner;
        private final List<String> allowed;

        private Fields(Cursor owner, List<String> allowed) {
            this.owner = owner;
            this.allowed = allowed;
        }

        Optional<Cursor> get(String key) {
            if (!allowed.contains(key)) {
                throw new IllegalStateException("parser reads undeclared key " + key + "; add it to PolicyKeys and the schema");
            }
            Node.Entry e = owner.node.map.get(key);
            if (e == null) {
                return Optional.empty();
            }
            return Optional.of(new Cursor(e.value(), KeyPaths.child(owner.path, key), owner.source, e.line(), e.column()));
        }

        Cursor require(String key) throws PolicyException {
            Optional<Cursor> c = get(key);
            if (c.isEmpty()) {
                throw owner.error("missing required key '" + key + "'");
            }
            return c.get();
        }

        boolean has(String key) {
            return get(key).isPresent();
        }

        Cursor owner() {
            return owner;
        }
    }

    // ---- maps with free keys (tools, args, fromEnv)

    /** The entries of a map with free keys, in file order. */
    Map<String, Cursor> entries() throws PolicyException {
        if (node.kind != Node.Kind.MAP) {
            throw expected("a map");
        }
        Map<String, Cursor> out = new LinkedHashMap<>();
        for (Node.Entry e : node.map.values()) {
            out.put(e.key(), new Cursor(e.value(), KeyPaths.child(path, e.key()), source, e.line(), e.column()));
        }
        return out;
    }

    // ---- lists

    boolean isList() {
        return node.kind == Node.Kind.LIST;
    }

    boolean isMap() {
        return node.kind == Node.Kind.MAP;
    }

    boolean isString() {
        return node.kind == Node.Kind.STRING;
    }

    List<Cursor> list() throws PolicyException {
        if (node.kind != Node.Kind.LIST) {
            throw expected("a list");
        }
        List<Cursor> out = new ArrayList<>(node.list.size());
        for (int i = 0; i < node.list.size(); i++) {
            Node item = node.list.get(i);
            out.add(new Cursor(item, KeyPaths.index(path, i), source, item.line, item.column));
        }
        return out;
    }

    List<Cursor> nonEmptyList(String hint) throws PolicyException {
        List<Cursor> items = list();
        if (items.isEmpty()) {
            throw error("empty list" + hint);
        }
        return items;
    }

    // ---- scalars

    String string() throws PolicyException {
        if (node.kind != Node.Kind.STRING) {
            String hint = node.kind == Node.Kind.BOOLEAN || node.kind == Node.Kind.INTEGER || node.kind == Node.Kind.DECIMAL
                    ? " (quote it to make it a string)" : "";
            throw error("expected a string, got " + node.describe() + hint);
        }
        return node.text;
    }

    String nonEmptyString() throws PolicyException {
        String s = string();
        if (s.isBlank()) {
            throw error("empty value");
        }
        return s;
    }

    boolean bool() throws PolicyException {
        if (node.kind == Node.Kind.BOOLEAN) {
            String word = node.text.toLowerCase(Locale.ROOT);
            if (word.equals("true")) {
                return true;
            }
            if (word.equals("false")) {
                return false;
            }
            throw error("expected true or false, got '" + node.text + "' (YAML 1.1 words such as yes/no/on/off are not accepted)");
        }
        throw expected("true or false");
    }

    int integer(long min, long max) throws PolicyException {
        if (node.kind != Node.Kind.INTEGER) {
            throw expected("an integer");
        }
        BigInteger v = node.integer;
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw error(node.text + " is out of range (" + min + " to " + max + ")");
        }
        return v.intValueExact();
    }

    BigDecimal number() throws PolicyException {
        if (node.kind != Node.Kind.INTEGER && node.kind != Node.Kind.DECIMAL) {
            throw expected("a number");
        }
        return node.decimal;
    }

    <E extends Enum<E> & PolicyKeyword> E keyword(Class<E> type, String noun) throws PolicyException {
        if (node.kind != Node.Kind.STRING) {
            throw error("expected " + noun + " (one of: " + PolicyKeyword.allowed(type) + "), got " + node.describe());
        }
        Optional<E> found = PolicyKeyword.find(type, node.text);
        if (found.isEmpty()) {
            throw error("unknown " + noun + " '" + node.text + "' (expected one of: " + PolicyKeyword.allowed(type) + ")");
        }
        return found.get();
    }
}

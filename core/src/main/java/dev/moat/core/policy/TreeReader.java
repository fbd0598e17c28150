package dev.moat.core.policy;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads YAML or JSON text into a located {@link Node} tree with Jackson's streaming parser,
 * detecting duplicate keys itself (so the error names both positions). Package-private.
 */
final class TreeReader {

    /** The two accepted syntaxes. */
    enum Format { YAML, JSON }

    private static final int MAX_DEPTH = 64;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 8).build())
            .build();
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 8).build())
            .build();

    private final String source;

    private TreeReader(String source) {
        this.source = source;
    }

    /** {@code .json} means JSON, {@code .yaml}/{@code .yml} YAML; otherwise JSON if the text starts with '{'. */
    static Format detect(String sourceName, String text) {
        String lower = sourceName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return Format.JSON;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return Format.YAML;
        }
        return text.stripLeading().startsWith("{") ? Format.JSON : Format.YAML;
    }

    /** Reads {@code text}; never returns null (an empty document is an error). */
    static Node read(String text, Format format, String source) throws PolicyException {
        return new TreeReader(source).read(text, format);
    }

    private Node read(String text, Format format) throws PolicyException {
        JsonFactory factory = format == Format.JSON ? JSON : YAML;
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new PolicyException(source, 0, 0, "", "empty policy file (a policy needs at least 'version: 1')");
            }
            Node root = value(p, "", 0);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new PolicyException(source, at.getLineNr(), at.getColumnNr(), "",
                        format == Format.YAML ? "more than one YAML document: a policy file holds exactly one"
                                : "unexpected content after the end of the policy object");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 0 : Math.max(at.getLineNr(), 0);
            int column = at == null ? 0 : Math.max(at.getColumnNr(), 0);
            throw new PolicyException(source, line, column, "",
                    (format == Format.YAML ? "YAML" : "JSON") + " syntax error: " + condense(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new PolicyException(source, 0, 0, "", "cannot read: " + e.getMessage(), e);
        }
    }

    /** Keeps SnakeYAML's problem lines and drops its source excerpts and carets. */
    private static String condense(String message) {
        if (message == null) {
            return "malformed document";
        }
        List<String> kept = new ArrayList<>();
        for (String line : message.split("\\R")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("in 'reader'") || t.startsWith("in 'string'") || t.equals("^")
                    || line.startsWith("    ") || t.startsWith("at [Source")) {
                continue;
            }
            kept.add(t);
        }
        return kept.isEmpty() ? message.strip() : String.join("; ", kept);
    }

    private Node value(JsonParser p, String path, int depth) throws IOException, PolicyException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        if (depth > MAX_DEPTH) {
            throw new PolicyException(source, line, column, path, "nested deeper than " + MAX_DEPTH + " levels");
        }
        JsonToken t = p.currentToken();
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            // Jackson's streaming YAML parser hands an alias over as its name: refuse it rather
            // than read '*name' as the string "name".
            throw new PolicyException(source, line, column, path, "YAML aliases ('*" + p.getText()
                    + "') are not supported in a policy file: write the value out");
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation keyAt = p.currentTokenLocation();
                    String childPath = KeyPaths.child(path, key);
                    Node.Entry first = entries.get(key);
                    if (first != null) {
                        throw new PolicyException(source, keyAt.getLineNr(), keyAt.getColumnNr(), childPath,
                                "duplicate key '" + key + "' (first defined at " + first.line() + ":" + first.column() + ")");
                    }
                    p.nextToken();
                    Node child = value(p, childPath, depth + 1);
                    entries.put(key, new Node.Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), child));
                }
                return Node.map(line, column, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, KeyPaths.index(path, items.size()), depth + 1));
                }
                return Node.list(line, column, items);
            }
            case VALUE_STRING -> {
                return Node.scalar(Node.Kind.STRING, line, column, p.getText());
            }
            case VALUE_NUMBER_INT -> {
                String text = p.getText();
                BigInteger v;
                try {
                    v = p.getBigIntegerValue();
                } catch (RuntimeException | IOException e) {
                    throw new PolicyException(source, line, column, path, "invalid integer '" + text + "'");
                }
                return Node.integer(line, column, text, v);
            }
            case VALUE_NUMBER_FLOAT -> {
                String text = p.getText();
                BigDecimal v;
                try {
                    v = p.getDecimalValue();
                } catch (RuntimeException | IOException e) {
                    throw new PolicyException(source, line, column, path, "invalid or non-finite number '" + text + "'");
                }
                return Node.decimal(line, column, text, v);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return Node.scalar(Node.Kind.BOOLEAN, line, column, p.getText());
            }
            case VALUE_NULL -> {
                return Node.scalar(Node.Kind.NULL, line, column, p.getText());
            }
            case VALUE_EMBEDDED_OBJECT -> throw new PolicyException(source, line, column, path,
                    "unsupported value: binary data (write a plain string)");
            default -> throw new PolicyException(source, line, column, path, "unsupported value (" + t + ")");
        }
    }
}

package dev.moat.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Map;

/**
 * Writes audit events as one-line JSON with Jackson's streaming generator. The agent does not load
 * Jackson databind for this: hundreds of classes less at JVM start, and no reflection on event values.
 * Maps, collections, arrays of objects, strings, numbers and booleans are written as such; anything
 * else as its {@code toString()}.
 */
public final class EventJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final int MAX_DEPTH = 64;

    private EventJson() {
    }

    /** The fields as a single JSON object on one line. */
    public static String toJson(Map<String, ?> fields) throws IOException {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, fields, 0);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            g.writeString("[TOO DEEP]");
        } else if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            g.writeNumber(d);
        } else if (value instanceof Float f && !f.isNaN() && !f.isInfinite()) {
            g.writeNumber(f);
        } else if (value instanceof java.math.BigDecimal bd) {
            g.writeNumber(bd);
        } else if (value instanceof java.math.BigInteger bi) {
            g.writeNumber(bi);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue(), depth + 1);
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> items) {
            g.writeStartArray();
            for (Object item : items) {
                write(g, item, depth + 1);
            }
            g.writeEndArray();
        } else if (value instanceof Object[] items) {
            g.writeStartArray();
            for (Object item : items) {
                write(g, item, depth + 1);
            }
            g.writeEndArray();
        } else {
            g.writeString(String.valueOf(value));
        }
    }
}

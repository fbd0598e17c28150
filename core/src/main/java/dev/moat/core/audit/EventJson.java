package dev.moat.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes audit event values as JSON with Jackson's streaming generator, never through databind (no
 * reflection on event values, so no application getter ever runs inside the audit writer). Maps,
 * collections, arrays of objects, strings, numbers and booleans are written as such; anything else
 * as its {@code toString()}. Unpaired UTF-16 surrogates (which a client can put into tool arguments)
 * become U+FFFD, so every event serialises to valid UTF-8 and none can be made to fail on purpose.
 */
public final class EventJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final int MAX_DEPTH = 64;
    private static final int MAX_CACHED_NAMES = 1024;
    private static final Map<String, SerializableString> NAMES = new ConcurrentHashMap<>();

    private EventJson() {
    }

    /** The fields as a single JSON object on one line. */
    public static String toJson(Map<String, ?> fields) throws IOException {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeValue(g, fields);
        }
        return out.toString();
    }

    /** Writes one field (name and value) into the object {@code g} is writing. */
    public static void writeField(JsonGenerator g, String name, Object value) throws IOException {
        g.writeFieldName(fieldName(name));
        write(g, value, 1);
    }

    /**
     * The name of an event field, escaped and encoded once: events reuse the same few dozen names,
     * so each line copies their bytes instead of checking and encoding them again. Names beyond
     * {@value #MAX_CACHED_NAMES} are encoded each time.
     */
    private static SerializableString fieldName(String name) {
        SerializableString known = NAMES.get(name);
        if (known == null) {
            known = new SerializedString(clean(name));
            if (NAMES.size() < MAX_CACHED_NAMES) {
                NAMES.putIfAbsent(name, known);
            }
        }
        return known;
    }

    /** Writes one value. */
    public static void writeValue(JsonGenerator g, Object value) throws IOException {
        write(g, value, 0);
    }

    private static void write(JsonGenerator g, Object value, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            g.writeString("[TOO DEEP]");
        } else if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(clean(s));
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
                g.writeFieldName(clean(String.valueOf(e.getKey())));
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
            g.writeString(clean(printable(value)));
        }
    }

    private static String printable(Object value) {
        try {
            return String.valueOf(value);
        } catch (RuntimeException | LinkageError e) {
            return "[unprintable " + value.getClass().getName() + "]";
        }
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD (the same string when there is none). */
    static String clean(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return replaceLoneSurrogates(s);
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

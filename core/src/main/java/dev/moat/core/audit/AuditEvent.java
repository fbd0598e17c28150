package dev.moat.core.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One audit record: an ordered set of flat, dotted field names in the style of the Elastic Common
 * Schema ({@code event.action}, {@code event.outcome}, {@code mcp.tool.name}, ...), so that a SIEM
 * maps it without a custom parser. The log adds {@code @timestamp}, {@code event.sequence} and the
 * agent's identity when it records the event.
 *
 * <p>An event is built on the thread of the tool call it describes, once per call, so it is kept in
 * two arrays (names with their hashes, and values) rather than a map: about 25 fields cost two
 * allocations and a scan of one {@code int[]} per field instead of a node each. Not thread-safe: one
 * thread builds it, then hands it to the log.
 */
public final class AuditEvent {

    /** Room for a tool-call event (about 25 fields) without growing. */
    private static final int INITIAL = 32;

    private String[] names = new String[INITIAL];
    private int[] hashes = new int[INITIAL];
    private Object[] values = new Object[INITIAL];
    private int size;
    private Instant timestamp;

    private AuditEvent(String action, String category) {
        put("event.kind", "event");
        put("event.category", category);
        put("event.action", action);
    }

    /** A new event for {@code action} (for example {@code tool-call}, {@code agent-start}). */
    public static AuditEvent of(String action, String category) {
        return new AuditEvent(action, category);
    }

    /** Adds or replaces a field (a replaced field keeps its place); {@code null} values are left out. */
    public AuditEvent put(String key, Object value) {
        if (value == null) {
            return this;
        }
        int hash = key.hashCode();
        int at = indexOf(key, hash);
        if (at >= 0) {
            values[at] = value;
            return this;
        }
        if (size == names.length) {
            int grown = size * 2;
            names = Arrays.copyOf(names, grown);
            hashes = Arrays.copyOf(hashes, grown);
            values = Arrays.copyOf(values, grown);
        }
        names[size] = key;
        hashes[size] = hash;
        values[size] = value;
        size++;
        return this;
    }

    private int indexOf(String key, int hash) {
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash && (names[i] == key || names[i].equals(key))) {
                return i;
            }
        }
        return -1;
    }

    /** The value of a field, or {@code null}. */
    public Object get(String key) {
        int at = indexOf(key, key.hashCode());
        return at < 0 ? null : values[at];
    }

    /** The action, as given at creation. */
    public String action() {
        return (String) get("event.action");
    }

    /** Gives each field to {@code action}, in insertion order. */
    public void forEach(BiConsumer<String, Object> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /** The number of fields. */
    public int size() {
        return size;
    }

    /** The name of field {@code i} (insertion order). */
    String name(int i) {
        return names[i];
    }

    /** The value of field {@code i} (insertion order). */
    Object value(int i) {
        return values[i];
    }

    /** When the log accepted the event (null until then); written as {@code @timestamp}. */
    Instant timestamp() {
        return timestamp;
    }

    void timestamp(Instant at) {
        this.timestamp = at;
    }

    /** A read-only copy of the fields, in insertion order. */
    public Map<String, Object> fields() {
        Map<String, Object> copy = new LinkedHashMap<>(size * 2);
        forEach(copy::put);
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public String toString() {
        return fields().toString();
    }
}

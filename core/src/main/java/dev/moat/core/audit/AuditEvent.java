package dev.moat.core.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One audit record: an ordered set of flat, dotted field names in the style of the Elastic Common
 * Schema ({@code event.action}, {@code event.outcome}, {@code mcp.tool.name}, ...), so that a SIEM
 * maps it without a custom parser. The log adds {@code @timestamp}, {@code event.sequence} and the
 * agent's identity when it records the event.
 */
public final class AuditEvent {

    /** Sized for a tool-call event (about 22 fields, threshold 24) without rehashing. */
    private final Map<String, Object> fields = new LinkedHashMap<>(32);

    private AuditEvent(String action, String category) {
        fields.put("event.kind", "event");
        fields.put("event.category", category);
        fields.put("event.action", action);
    }

    /** A new event for {@code action} (for example {@code tool-call}, {@code agent-start}). */
    public static AuditEvent of(String action, String category) {
        return new AuditEvent(action, category);
    }

    /** Adds or replaces a field; {@code null} values are left out. */
    public AuditEvent put(String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
        return this;
    }

    /** The value of a field, or {@code null}. */
    public Object get(String key) {
        return fields.get(key);
    }

    /** The action, as given at creation. */
    public String action() {
        return (String) fields.get("event.action");
    }

    /** A read-only view of the fields, in insertion order. */
    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}

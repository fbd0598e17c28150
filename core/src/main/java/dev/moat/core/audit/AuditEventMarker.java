package dev.moat.core.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import net.logstash.logback.marker.LogstashMarker;

/**
 * Carries one audit event through Moat's logback pipeline as a logstash marker: the logstash
 * encoder's markers provider calls {@link #writeTo} to write the event's flat ECS-style fields as the
 * members of the JSON object. Field order: {@code @timestamp}, the event's own fields in insertion
 * order, then the writer's {@code agent.name}, {@code agent.version}, {@code event.sequence} and
 * {@code moat.prev} ({@link AuditChain} appends {@code moat.hash} after sealing). Values go through
 * {@link EventJson}, never databind.
 */
final class AuditEventMarker extends LogstashMarker {

    private static final long serialVersionUID = 1L;

    /** Fields the writer owns: an event's own values for these are not written. */
    static final Set<String> RESERVED = Set.of("@timestamp", "agent.name", "agent.version",
            AuditChain.SEQUENCE_FIELD, AuditChain.PREV_FIELD, AuditChain.HASH_FIELD);

    private transient Map<String, Object> fields;
    private final String timestamp;
    private final String agentVersion;
    private final long sequence;
    private final String previous;
    private transient AuditLine line;

    AuditEventMarker(Map<String, Object> fields, String timestamp, String agentVersion, long sequence, String previous) {
        super("MOAT_AUDIT_EVENT");
        this.fields = fields;
        this.timestamp = timestamp;
        this.agentVersion = agentVersion;
        this.sequence = sequence;
        this.previous = previous;
    }

    @Override
    public void writeTo(JsonGenerator generator) throws IOException {
        generator.writeStringField("@timestamp", timestamp);
        Map<String, Object> own = fields;
        if (own == null) {
            throw new IllegalStateException("audit event " + sequence + " was already written");
        }
        for (Map.Entry<String, Object> e : own.entrySet()) {
            if (e.getValue() != null && !RESERVED.contains(e.getKey())) {
                EventJson.writeField(generator, e.getKey(), e.getValue());
            }
        }
        generator.writeStringField("agent.name", "moat");
        generator.writeStringField("agent.version", agentVersion);
        generator.writeNumberField(AuditChain.SEQUENCE_FIELD, sequence);
        generator.writeStringField(AuditChain.PREV_FIELD, previous);
    }

    /** The sealed line, once the writer has sealed it. */
    AuditLine line() {
        return line;
    }

    /** Records the sealed line and lets go of the event's fields (queued sinks hold only the line). */
    void line(AuditLine sealed) {
        this.line = sealed;
        this.fields = null;
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    protected String toStringSelf() {
        return "audit event " + sequence;
    }
}

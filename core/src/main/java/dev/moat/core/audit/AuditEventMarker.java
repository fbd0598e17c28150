package dev.moat.core.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.Set;
import org.slf4j.Marker;

/**
 * Carries one audit event through Moat's logback pipeline as the SLF4J marker of its logging event
 * (how {@link AuditLine#of} finds the sealed line): {@link AuditLogging#encode} calls {@link #writeTo}
 * to write the event's flat ECS-style fields as the members of the JSON object, as logstash's markers
 * provider did with the logstash marker this once was. Field order: {@code @timestamp}, the event's own fields in insertion
 * order, then the writer's {@code agent.name}, {@code agent.version}, {@code event.sequence} and
 * {@code moat.prev} ({@link AuditChain} appends {@code moat.hash} after sealing). Values go through
 * {@link EventJson}, never databind.
 */
final class AuditEventMarker implements Marker {

    private static final long serialVersionUID = 1L;
    private static final String NAME = "MOAT_AUDIT_EVENT";

    /** Fields the writer owns: an event's own values for these are not written. */
    static final Set<String> RESERVED = Set.of("@timestamp", "agent.name", "agent.version",
            AuditChain.SEQUENCE_FIELD, AuditChain.PREV_FIELD, AuditChain.HASH_FIELD);

    private static final SerializedString TIMESTAMP = new SerializedString("@timestamp");
    private static final SerializedString AGENT_NAME = new SerializedString("agent.name");
    private static final SerializedString MOAT = new SerializedString("moat");
    private static final SerializedString AGENT_VERSION = new SerializedString("agent.version");
    private static final SerializedString SEQUENCE = new SerializedString(AuditChain.SEQUENCE_FIELD);
    private static final SerializedString PREV = new SerializedString(AuditChain.PREV_FIELD);

    /** The longest name in {@link #RESERVED}: longer names need no look-up. */
    private static final int LONGEST_RESERVED = RESERVED.stream().mapToInt(String::length).max().orElse(0);

    private transient AuditEvent event;
    private final String timestamp;
    private final String agentVersion;
    private final long sequence;
    private final String previous;
    private transient AuditLine line;

    AuditEventMarker(AuditEvent event, String timestamp, String agentVersion, long sequence, String previous) {
        this.event = event;
        this.timestamp = timestamp;
        this.agentVersion = agentVersion;
        this.sequence = sequence;
        this.previous = previous;
    }

    /** Writes the event's fields as members of the JSON object {@code generator} is in. */
    void writeTo(JsonGenerator generator) throws IOException {
        generator.writeFieldName(TIMESTAMP);
        generator.writeString(timestamp);
        AuditEvent own = event;
        if (own == null) {
            throw new IllegalStateException("audit event " + sequence + " was already written");
        }
        for (int i = 0, n = own.size(); i < n; i++) {
            String name = own.name(i);
            if (name.length() > LONGEST_RESERVED || !RESERVED.contains(name)) {
                EventJson.writeField(generator, name, own.value(i));
            }
        }
        generator.writeFieldName(AGENT_NAME);
        generator.writeString(MOAT);
        generator.writeFieldName(AGENT_VERSION);
        generator.writeString(agentVersion);
        generator.writeFieldName(SEQUENCE);
        generator.writeNumber(sequence);
        generator.writeFieldName(PREV);
        generator.writeString(previous);
    }

    /** The sealed line, once the writer has sealed it. */
    AuditLine line() {
        return line;
    }

    /** Records the sealed line and lets go of the event's fields (queued sinks hold only the line). */
    void line(AuditLine sealed) {
        this.line = sealed;
        this.event = null;
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
    public String getName() {
        return NAME;
    }

    /** Not supported: an audit event's marker has no references. */
    @Override
    public void add(Marker reference) {
        throw new UnsupportedOperationException("an audit event marker has no references");
    }

    @Override
    public boolean remove(Marker reference) {
        return false;
    }

    @Override
    @Deprecated
    public boolean hasChildren() {
        return false;
    }

    @Override
    public boolean hasReferences() {
        return false;
    }

    @Override
    public Iterator<Marker> iterator() {
        return Collections.emptyIterator();
    }

    @Override
    public boolean contains(Marker other) {
        return this == other;
    }

    @Override
    public boolean contains(String name) {
        return NAME.equals(name);
    }

    @Override
    public String toString() {
        return "audit event " + sequence;
    }
}

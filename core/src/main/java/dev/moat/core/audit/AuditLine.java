package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.slf4j.Marker;

/**
 * One sealed audit event as the sinks receive it: the exact bytes of its JSON line (UTF-8, with the
 * trailing {@code \n}) and the few values a sink needs without parsing it (sequence, action, outcome,
 * time, hash). Immutable. The logback event that carries it to the appenders has it in its marker.
 */
public final class AuditLine {

    private final byte[] bytes;
    private final long sequence;
    private final String action;
    private final String outcome;
    private final Instant timestamp;
    private final String hash;
    private final LoggingEvent event;
    private String json;

    AuditLine(byte[] bytes, long sequence, String action, String outcome, Instant timestamp, String hash,
              LoggingEvent event) {
        this.event = event;
        this.bytes = bytes;
        this.sequence = sequence;
        this.action = action;
        this.outcome = outcome;
        this.timestamp = timestamp;
        this.hash = hash;
    }

    /** The line as written: UTF-8 JSON followed by {@code \n}. Do not modify. */
    byte[] bytes() {
        return bytes;
    }

    /** The logback event of Moat's {@code mcp.audit} logger that carries this line to the appenders. */
    ILoggingEvent loggingEvent() {
        return event;
    }

    /** The JSON text, without the line terminator. */
    public String json() {
        String j = json;
        if (j == null) {
            j = new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            json = j;
        }
        return j;
    }

    /** {@code event.sequence}. */
    public long sequence() {
        return sequence;
    }

    /** {@code event.action}, or null. */
    public String action() {
        return action;
    }

    /** {@code event.outcome}, or null. */
    public String outcome() {
        return outcome;
    }

    /** {@code @timestamp}. */
    public Instant timestamp() {
        return timestamp;
    }

    /** {@code moat.hash}. */
    public String hash() {
        return hash;
    }

    @Override
    public String toString() {
        return json();
    }

    /** The line a logback event carries, or null when it carries none. */
    static AuditLine of(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        if (markers != null) {
            for (Marker m : markers) {
                if (m instanceof AuditEventMarker audit) {
                    return audit.line();
                }
            }
        }
        return null;
    }
}

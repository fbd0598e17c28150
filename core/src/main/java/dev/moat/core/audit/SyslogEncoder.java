package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Encodes an audit line as an RFC 5424 syslog message in an RFC 6587 octet-counting frame, for
 * syslog over TCP:
 * <pre>
 * LEN SP &lt;PRI&gt;1 TIMESTAMP HOSTNAME moat PROCID MSGID [moat@32473 seq="S" outcome="O" hash="H"] JSON
 * </pre>
 * <ul>
 *   <li>LEN: the message's length in bytes (octet counting: the frame never depends on the content,
 *       and no trailing newline is sent).</li>
 *   <li>PRI: facility 13 (log audit) times 8 plus the severity: 4 (warning) when
 *       {@code event.outcome} is {@code failure}, otherwise 6 (informational).</li>
 *   <li>TIMESTAMP: the event's {@code @timestamp}, UTC, microseconds.</li>
 *   <li>APP-NAME {@code moat}; PROCID the process id; MSGID the event's {@code event.action}.</li>
 *   <li>STRUCTURED-DATA: one element {@code moat@32473} with the sequence number, outcome and chain
 *       hash (32473 is the private enterprise number reserved for documentation, RFC 5612).</li>
 *   <li>MSG: the audit event's JSON line, exactly as in the file (UTF-8, no BOM), so a collector can
 *       verify the hash chain.</li>
 * </ul>
 */
final class SyslogEncoder extends EncoderBase<ILoggingEvent> {

    /** Facility 13: log audit. */
    static final int FACILITY = 13;
    static final String SD_ID = "moat@32473";
    private static final byte[] EMPTY = new byte[0];
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final String procId = Long.toString(ProcessHandle.current().pid());
    private String hostname;

    @Override
    public byte[] headerBytes() {
        return EMPTY;
    }

    @Override
    public byte[] footerBytes() {
        return EMPTY;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        AuditLine line = AuditLine.of(event);
        if (line == null) {
            return EMPTY;
        }
        int severity = "failure".equals(line.outcome()) ? 4 : 6;
        StringBuilder header = new StringBuilder(192);
        header.append('<').append(FACILITY * 8 + severity).append(">1 ")
                .append(TIMESTAMP.format(line.timestamp() == null ? Instant.now() : line.timestamp())).append(' ')
                .append(hostname()).append(' ')
                .append("moat ")
                .append(procId).append(' ')
                .append(token(line.action(), 32)).append(' ')
                .append('[').append(SD_ID)
                .append(" seq=\"").append(line.sequence()).append('"');
        if (line.outcome() != null) {
            header.append(" outcome=\"").append(paramValue(line.outcome())).append('"');
        }
        header.append(" hash=\"").append(line.hash()).append("\"] ");
        byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
        byte[] json = line.bytes();
        int length = head.length + json.length - 1;
        byte[] prefix = (length + " ").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + length);
        out.write(prefix, 0, prefix.length);
        out.write(head, 0, head.length);
        out.write(json, 0, json.length - 1);
        return out.toByteArray();
    }

    private String hostname() {
        String h = hostname;
        if (h == null) {
            h = lookUpHostname();
            hostname = h;
        }
        return h;
    }

    private static String lookUpHostname() {
        String name = null;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            name = System.getenv("HOSTNAME");
        }
        return token(name, 255);
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters, or {@code -}. */
    static String token(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c >= 33 && c <= 126 ? c : '_');
        }
        return out.toString();
    }

    /** An SD-PARAM value: {@code "}, {@code \} and {@code ]} escaped with a backslash. */
    static String paramValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}

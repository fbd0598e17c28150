package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import dev.moat.core.policy.Endpoint;

/**
 * Sends the audit trail over TCP to a collector: {@link #tcp} as JSON lines (Logstash {@code tcp}
 * input with the {@code json_lines} codec, Fluentd/Fluent Bit {@code tcp} with JSON), {@link #syslog}
 * as RFC 5424 messages with octet-counting framing (RFC 6587), the JSON line as MSG. Delivery runs on
 * the sink's own thread ({@code moat-audit-tcp}, {@code moat-audit-syslog}) with a bounded queue of
 * {@value #DEFAULT_CAPACITY} events: an absent collector never slows the writer or the file sink; what
 * overflows the queue while it is away, or is still queued at shutdown, is counted in
 * {@link #lostCount()} and reported by the log as an {@code audit-loss} event.
 */
public final class NetworkAuditSink extends BackgroundAuditSink<TcpSocketAppender> {

    static final int DEFAULT_CAPACITY = 20_000;

    private final Endpoint endpoint;
    private final boolean syslog;
    private final int capacity;
    private final long minBackoffMillis;
    private final long maxBackoffMillis;

    NetworkAuditSink(Endpoint endpoint, boolean syslog, int capacity, long minBackoffMillis, long maxBackoffMillis) {
        this.endpoint = endpoint;
        this.syslog = syslog;
        this.capacity = capacity;
        this.minBackoffMillis = minBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
    }

    /** JSON lines over TCP. */
    public static NetworkAuditSink tcp(Endpoint endpoint) {
        return new NetworkAuditSink(endpoint, false, DEFAULT_CAPACITY, 250, 30_000);
    }

    /** RFC 5424 syslog over TCP, octet-counting framing. */
    public static NetworkAuditSink syslog(Endpoint endpoint) {
        return new NetworkAuditSink(endpoint, true, DEFAULT_CAPACITY, 250, 30_000);
    }

    /** The delivery thread makes the connection. */
    @Override
    TcpSocketAppender newAppender() {
        return new TcpSocketAppender(endpoint.host(), endpoint.port(), describe(), capacity, minBackoffMillis,
                maxBackoffMillis);
    }

    @Override
    void configure(TcpSocketAppender appender, AuditLogging logging) {
        Encoder<ILoggingEvent> encoder = syslog ? new SyslogEncoder() : new AuditLineEncoder();
        encoder.setContext(logging.context());
        encoder.start();
        appender.setEncoder(encoder);
    }

    /** Events delivered so far (handed to the operating system on a live connection). */
    long deliveredCount() {
        TcpSocketAppender a = appender();
        return a == null ? 0 : a.delivered();
    }

    @Override
    public String describe() {
        return (syslog ? "syslog:" : "tcp:") + endpoint;
    }
}

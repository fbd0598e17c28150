package dev.moat.core.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moat's own, private logback {@link LoggerContext}: created programmatically, never configured from
 * a {@code logback.xml} and never bound to {@code LoggerFactory}, so the application's logging is
 * neither read nor touched (inside the agent jar, logback, SLF4J and the logstash encoder are
 * relocated under {@code dev.moat.shaded} as well). It holds the {@code mcp.audit} logger that
 * creates the logback events, the JSON encoder that turns an event into its JSON object, and forwards
 * logback's own error statuses to Moat's diagnostics stream.
 *
 * <p>The JSON object is written with Jackson's streaming generator exactly as logstash-logback-encoder's
 * {@code LoggingEventCompositeJsonEncoder} with the single {@code LogstashMarkersJsonProvider} wrote it
 * (UTF-8, default generator features, the marker's {@link AuditEventMarker#writeTo} between the braces;
 * a test holds the two byte-identical), without that encoder's start: it builds a Jackson databind
 * {@code ObjectMapper}, several hundred classes and most of the audit writer's CPU at start, only to
 * take its {@code JsonFactory}.
 */
public final class AuditLogging {

    /** The logger name of audit events, here and in the application's logging ({@code appLogger}). */
    static final String LOGGER_NAME = "mcp.audit";
    private static final int MAX_REPORTED_STATUSES = 20;

    private final LoggerContext context;
    private final Logger logger;
    private final PrintStream diagnostics;
    private volatile JsonFactory encoder;

    AuditLogging(PrintStream diagnostics) {
        this.diagnostics = diagnostics;
        this.context = new LoggerContext();
        context.setName("moat-audit");
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.getStatusManager().add(new DiagnosticsStatusListener(diagnostics));
        context.start();
        this.logger = context.getLogger(LOGGER_NAME);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    /** The private logger context, for appenders and policies. */
    LoggerContext context() {
        return context;
    }

    /** Where the audit pipeline reports its own trouble. */
    PrintStream diagnostics() {
        return diagnostics;
    }

    /**
     * Readies the JSON encoder. Nothing to load beyond Jackson's streaming core; kept as the step the
     * writer thread takes before its first event, where any linkage problem is reported once.
     */
    void startEncoder() {
        if (encoder != null) {
            return;
        }
        encoder = JsonFactory.builder()
                // as logstash-logback-encoder configures its factory; the generator is flushed, never closed
                .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
    }

    /**
     * A logback event of the {@code mcp.audit} logger carrying {@code marker}, stamped {@code timestamp}.
     * Its message is the sealed line's JSON, made only if an appender asks for it.
     */
    LoggingEvent newEvent(AuditEventMarker marker, Instant timestamp) {
        LoggingEvent event = new AuditLoggingEvent(marker);
        event.setLoggerName(LOGGER_NAME);
        event.setLoggerContext(context);
        event.setLevel(Level.INFO);
        event.setInstant(timestamp);
        event.addMarker(marker);
        return event;
    }

    /** A logging event whose message is its audit line, computed on demand. */
    private static final class AuditLoggingEvent extends LoggingEvent {
        private final transient AuditEventMarker marker;

        AuditLoggingEvent(AuditEventMarker marker) {
            this.marker = marker;
        }

        @Override
        public String getMessage() {
            AuditLine line = marker.line();
            return line == null ? null : line.json();
        }

        @Override
        public String getFormattedMessage() {
            return getMessage();
        }

        /**
         * Nothing to prepare: appenders (logback's file appender calls this for every event) take the
         * sealed, immutable line from the marker, so neither the message text, the thread name nor the
         * MDC is made for them.
         */
        @Override
        public void prepareForDeferredProcessing() {
            // deliberately empty
        }
    }

    /** Writes the JSON object of {@code marker}'s event (no line separator) to {@code out}. */
    void encode(AuditEventMarker marker, OutputStream out) throws IOException {
        JsonFactory factory = encoder;
        if (factory == null) {
            throw new IOException("the audit JSON encoder was not started");
        }
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            marker.writeTo(g);
            g.writeEndObject();
        }
    }

    void stop() {
        context.stop();
    }

    /** Prints logback's error statuses (an appender that cannot write, a rollover that failed) on stderr. */
    private static final class DiagnosticsStatusListener implements StatusListener {
        private final PrintStream out;
        private final AtomicInteger reported = new AtomicInteger();

        DiagnosticsStatusListener(PrintStream out) {
            this.out = out;
        }

        @Override
        public void addStatusEvent(Status status) {
            if (status.getLevel() < Status.WARN) {
                return;
            }
            int n = reported.incrementAndGet();
            if (n > MAX_REPORTED_STATUSES) {
                return;
            }
            Throwable t = status.getThrowable();
            out.println("moat: audit: " + (status.getLevel() == Status.ERROR ? "ERROR " : "WARNING ")
                    + status.getMessage() + (t == null ? "" : ": " + t)
                    + (n == MAX_REPORTED_STATUSES ? " (further logback messages suppressed)" : ""));
        }

        @Override
        public boolean isResetResistant() {
            return true;
        }
    }
}

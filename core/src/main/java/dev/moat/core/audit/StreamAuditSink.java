package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes audit lines to a byte stream through a logback {@link OutputStreamAppender}. {@link #stderr()}
 * opens the process's standard error directly (file descriptor 2), so an application that replaces
 * {@code System.err} neither captures nor blocks the audit trail. Never used for standard output:
 * that is the stdio MCP transport.
 */
public final class StreamAuditSink implements AuditSink {

    private final OutputStream stream;
    private final String description;
    private OutputStreamAppender<ILoggingEvent> appender;

    StreamAuditSink(OutputStream stream, String description) {
        this.stream = stream;
        this.description = description;
    }

    /** A sink on the process's file descriptor 2. */
    public static StreamAuditSink stderr() {
        return new StreamAuditSink(new FileOutputStream(FileDescriptor.err), "stderr");
    }

    @Override
    public void start(AuditLogging logging) throws IOException {
        OutputStreamAppender<ILoggingEvent> a = new OutputStreamAppender<>();
        a.setContext(logging.context());
        a.setName("audit-" + description);
        AuditLineEncoder encoder = new AuditLineEncoder();
        encoder.setContext(logging.context());
        encoder.start();
        a.setEncoder(encoder);
        a.setImmediateFlush(false);
        a.setOutputStream(new BufferedOutputStream(stream, 8192));
        a.start();
        if (!a.isStarted()) {
            throw new IOException("cannot start the " + description + " audit sink");
        }
        appender = a;
    }

    @Override
    public void write(AuditLine line) throws IOException {
        if (!appender.isStarted()) {
            throw new IOException("the " + description + " audit sink has stopped after a write error");
        }
        appender.doAppend(line.loggingEvent());
        if (!appender.isStarted()) {
            throw new IOException("writing to " + description + " failed");
        }
    }

    @Override
    public void flush() throws IOException {
        OutputStream os = appender.getOutputStream();
        if (os != null && appender.isStarted()) {
            os.flush();
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Flushes; never closes standard error. */
    @Override
    public void close() throws IOException {
        if (appender != null && appender.isStarted()) {
            flush();
        }
    }
}

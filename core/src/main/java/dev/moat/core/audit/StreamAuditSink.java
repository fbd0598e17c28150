package dev.moat.core.audit;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/**
 * Writes audit lines to a byte stream. {@link #stderr()} opens the process's standard error directly
 * (file descriptor 2), so an application that replaces {@code System.err} neither captures nor
 * blocks the audit trail. Never used for standard output: that is the stdio MCP transport.
 */
public final class StreamAuditSink implements AuditSink {

    private final BufferedWriter out;
    private final String description;

    StreamAuditSink(OutputStream stream, String description) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 8192);
        this.description = description;
    }

    /** A sink on the process's file descriptor 2. */
    public static StreamAuditSink stderr() {
        return new StreamAuditSink(new FileOutputStream(FileDescriptor.err), "stderr");
    }

    @Override
    public void write(String jsonLine) throws IOException {
        out.write(jsonLine);
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}

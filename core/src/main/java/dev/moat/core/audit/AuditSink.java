package dev.moat.core.audit;

import java.io.IOException;

/** Where audit lines go. Called only from the audit writer thread, one line at a time. */
public interface AuditSink extends AutoCloseable {

    /** Writes one JSON line (without the line terminator). */
    void write(String jsonLine) throws IOException;

    /** Pushes buffered lines out; called when the queue runs empty and at shutdown. */
    void flush() throws IOException;

    /** A short description for the banner, for example {@code file:/var/log/moat/audit.jsonl}. */
    String describe();

    @Override
    void close() throws IOException;
}

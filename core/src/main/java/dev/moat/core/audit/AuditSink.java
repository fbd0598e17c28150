package dev.moat.core.audit;

import java.io.IOException;
import java.util.Optional;

/**
 * One destination of the audit trail (a file, stderr, a collector, the application's logger). The
 * {@link AuditLog}'s writer thread is the only caller of {@link #write} and {@link #flush}; an
 * implementation that may be slow (a network) hands lines to its own thread and counts what it
 * could not deliver in {@link #lostCount()}.
 */
public interface AuditSink extends AutoCloseable {

    /**
     * Checks, cheaply and on the thread that creates the log, that the sink can work at all (an audit file
     * that can be created and appended to). An exception here means the log is not created: the agent
     * refuses to start rather than run without the audit trail it was asked for.
     */
    default void check() throws IOException {
    }

    /**
     * Opens the sink inside Moat's logging context. Called once, by the log's writer thread, when the
     * first event arrives (so that loading logback and the encoder does not delay the JVM's start). An
     * exception here makes the log count every line meant for this sink as a failed write.
     */
    default void start(AuditLogging logging) throws IOException {
    }

    /** Writes one sealed line. An exception counts as one failed write. */
    void write(AuditLine line) throws IOException;

    /** Pushes buffered lines out; called when the writer's queue runs empty and at shutdown. */
    void flush() throws IOException;

    /** A short description for the banner and loss reports, for example {@code file:/var/log/moat/audit.jsonl}. */
    String describe();

    /** Lines this sink accepted but could not deliver (queue overflow, write errors found later); cumulative. */
    default long lostCount() {
        return 0;
    }

    /**
     * Waits until the sink has delivered what it accepted, or until {@code deadlineNanos}
     * ({@link System#nanoTime()} scale). True when nothing is pending.
     */
    default boolean awaitDelivered(long deadlineNanos) {
        return true;
    }

    /** The {@code moat.hash} of the last event this sink already holds (a file it appends to), to continue the chain. */
    default Optional<String> chainTail() {
        return Optional.empty();
    }

    @Override
    void close() throws IOException;
}

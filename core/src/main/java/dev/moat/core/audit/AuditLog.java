package dev.moat.core.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit trail. {@link #record} never blocks and never throws: it stamps the event and hands it
 * to a bounded queue that one daemon thread ({@code moat-audit}) drains into the sinks. An event that
 * does not fit in the queue, or that a sink cannot take, is counted, and the writer reports the
 * count itself as an {@code audit-loss} event as soon as it can: losses are never silent.
 */
public final class AuditLog implements AutoCloseable {

    private static final int DEFAULT_CAPACITY = 65_536;

    private final List<AuditSink> sinks;
    private final Clock clock;
    private final String agentVersion;
    private final BlockingQueue<AuditEvent> queue;
    /** Assigned by the writer thread, so sequence order is file order. */
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final PrintStream diagnostics;
    private final Thread writer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private long reportedDropped;
    private long reportedFailed;

    /**
     * Starts the writer thread.
     *
     * @param sinks        where lines go (at least one)
     * @param agentVersion written into every event as {@code agent.version}
     * @param diagnostics  where the log reports its own trouble (standard error), never standard output
     */
    public AuditLog(List<AuditSink> sinks, String agentVersion, PrintStream diagnostics) {
        this(sinks, agentVersion, diagnostics, Clock.systemUTC(), DEFAULT_CAPACITY);
    }

    AuditLog(List<AuditSink> sinks, String agentVersion, PrintStream diagnostics, Clock clock, int capacity) {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("an audit log needs at least one sink");
        }
        this.sinks = List.copyOf(sinks);
        this.agentVersion = agentVersion;
        this.diagnostics = diagnostics;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::drain, "moat-audit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** The sinks, for the banner. */
    public List<String> describeSinks() {
        List<String> out = new ArrayList<>();
        for (AuditSink sink : sinks) {
            out.add(sink.describe());
        }
        return out;
    }

    /** Stamps and enqueues an event. Never blocks, never throws. */
    public void record(AuditEvent event) {
        try {
            event.put("@timestamp", Instant.now(clock).toString());
            event.put("agent.name", "moat");
            event.put("agent.version", agentVersion);
            if (closing || !queue.offer(event)) {
                dropped.incrementAndGet();
            }
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
        }
    }

    /** Events that never reached the queue (queue full, or recorded after close). */
    public long droppedCount() {
        return dropped.get();
    }

    /** Sink writes that failed. */
    public long failedWriteCount() {
        return failedWrites.get();
    }

    /** Serialises one event as a single JSON line. */
    public String toJson(AuditEvent event) throws IOException {
        return EventJson.toJson(event.fields());
    }

    private void drain() {
        try {
            while (true) {
                AuditEvent event = queue.poll(200, TimeUnit.MILLISECONDS);
                if (event != null) {
                    writeToSinks(event);
                    continue;
                }
                reportLosses();
                flushSinks();
                if (closing && queue.isEmpty()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            AuditEvent rest;
            while ((rest = queue.poll()) != null) {
                writeToSinks(rest);
            }
            reportLosses();
            flushSinks();
            stopped.countDown();
        }
    }

    private void writeToSinks(AuditEvent event) {
        event.put("event.sequence", sequence.incrementAndGet());
        String line;
        try {
            line = toJson(event);
        } catch (IOException | RuntimeException e) {
            failedWrites.incrementAndGet();
            diagnostics.println("moat: cannot serialise audit event " + event.action() + ": " + e);
            return;
        }
        for (AuditSink sink : sinks) {
            try {
                sink.write(line);
            } catch (IOException | RuntimeException e) {
                if (failedWrites.incrementAndGet() == 1) {
                    diagnostics.println("moat: audit sink " + sink.describe() + " failed: " + e);
                }
            }
        }
        if (queue.isEmpty()) {
            flushSinks();
        }
    }

    private void reportLosses() {
        long d = dropped.get();
        long f = failedWrites.get();
        if (d == reportedDropped && f == reportedFailed) {
            return;
        }
        AuditEvent loss = AuditEvent.of("audit-loss", "configuration")
                .put("event.outcome", "failure")
                .put("moat.audit.dropped", d)
                .put("moat.audit.failedWrites", f)
                .put("message", "audit events were lost: " + d + " dropped, " + f + " failed sink writes");
        loss.put("@timestamp", Instant.now(clock).toString());
        loss.put("agent.name", "moat");
        loss.put("agent.version", agentVersion);
        reportedDropped = d;
        reportedFailed = f;
        diagnostics.println("moat: WARNING " + loss.get("message"));
        writeToSinks(loss);
    }

    private void flushSinks() {
        for (AuditSink sink : sinks) {
            try {
                sink.flush();
            } catch (IOException | RuntimeException e) {
                failedWrites.incrementAndGet();
            }
        }
    }

    /** Writes what is queued, flushes and closes the sinks; waits at most {@code timeoutMillis}. */
    public void close(long timeoutMillis) {
        closing = true;
        try {
            if (!stopped.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                diagnostics.println("moat: audit writer did not finish within " + timeoutMillis + " ms; "
                        + queue.size() + " events unwritten");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (AuditSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException | RuntimeException e) {
                diagnostics.println("moat: closing audit sink " + sink.describe() + " failed: " + e);
            }
        }
    }

    @Override
    public void close() {
        close(5_000);
    }
}

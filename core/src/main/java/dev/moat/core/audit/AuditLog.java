package dev.moat.core.audit;

import ch.qos.logback.classic.spi.LoggingEvent;
import dev.moat.core.policy.AuditConfig;
import dev.moat.core.policy.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The audit trail.
 *
 * <p>{@link #record} is what hooks call: it never blocks, never takes a lock and never throws. It
 * notes the time and puts the event on a lock-free bounded queue ({@value #DEFAULT_CAPACITY} events).
 * One daemon thread, {@code moat-audit}, takes events in order and, for each: numbers it
 * ({@code event.sequence}), serialises it once with Jackson's streaming generator in the format of
 * the logstash encoder ({@link AuditLogging}), seals it into the hash chain ({@link AuditChain}) and
 * appends the identical line to every sink (logback appenders: file, stderr, TCP, syslog, the
 * application's logger).
 *
 * <p>Nothing is lost silently. An event that finds the queue full (or arrives after close) is counted
 * in {@link #droppedCount()}; a sink write that fails, and every line a sink accepted but could not
 * deliver (a network sink whose collector is away, a file on a full disk), is counted in
 * {@link #failedWriteCount()}. Whenever these counts change the writer records an {@code audit-loss}
 * event (at most one a second) with the cumulative totals and the losses of each sink, and says so
 * on standard error: the count of what was lost is itself in the trail.
 */
public final class AuditLog implements AutoCloseable {

    /** Events the queue holds before {@link #record} starts dropping (and counting). */
    public static final int DEFAULT_CAPACITY = 65_536;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * While events keep coming the writer looks at the queue every 50 ms instead of being woken for
     * each one: {@link #record} then costs a hook no wake-up system call, and lines reach the sinks in
     * batches, one write per sink per batch. After {@value #BUSY_POLLS} empty looks in a row (200 ms
     * without events) it parks until the next event wakes it, so an event after a quiet spell is
     * written at once. Shorter intervals cost measurably more: at 10 ms the writer used about half as
     * much CPU again per event under load (ToolCallBenchmark's writer-thread figure).
     */
    private static final long BUSY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int BUSY_POLLS = 4;
    private static final long LOSS_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final List<AuditSink> sinks;
    private final boolean[] started;
    private final Clock clock;
    private final String agentVersion;
    private final PrintStream diagnostics;
    private final int capacity;
    private final ConcurrentLinkedQueue<AuditEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final Thread writer;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile AuditLogging logging;
    private volatile String genesis;
    private volatile boolean writerParked;
    private volatile boolean closing;
    private volatile long closeDeadline;
    private final AtomicBoolean sinksClosed = new AtomicBoolean();

    // writer thread only
    private AuditChain chain;
    private long sequence;
    private final ExposedBuffer body = new ExposedBuffer(1024);
    private final IsoTimestamps timestamps = new IsoTimestamps();
    private long reportedDropped;
    private long reportedFailed;
    private long nextLossCheck;
    private boolean encoderBroken;

    /**
     * Checks the sinks and starts the writer thread. The writer opens the sinks and loads logback and the
     * encoder when the first event arrives, so that none of that delays the JVM's start.
     *
     * @param sinks        where lines go (at least one)
     * @param agentVersion written into every event as {@code agent.version}
     * @param diagnostics  where the log reports its own trouble (standard error), never standard output
     * @throws IOException when a sink cannot work (an audit file that cannot be created or appended to):
     *                     nothing is left running
     */
    public AuditLog(List<AuditSink> sinks, String agentVersion, PrintStream diagnostics) throws IOException {
        this(sinks, agentVersion, diagnostics, Clock.systemUTC(), DEFAULT_CAPACITY);
    }

    AuditLog(List<AuditSink> sinks, String agentVersion, PrintStream diagnostics, Clock clock, int capacity)
            throws IOException {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("an audit log needs at least one sink");
        }
        this.sinks = List.copyOf(sinks);
        this.agentVersion = agentVersion;
        this.diagnostics = diagnostics;
        this.clock = clock;
        this.capacity = capacity;
        this.started = new boolean[this.sinks.size()];
        for (AuditSink sink : this.sinks) {
            sink.check();
        }
        this.writer = new Thread(this::drain, "moat-audit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * An audit log with the sinks an {@code audit} policy section asks for: its files (size-rotated),
     * stderr, syslog, TCP and the application's logger; stderr when it names none.
     */
    public static AuditLog open(AuditConfig config, String agentVersion, PrintStream diagnostics) throws IOException {
        List<AuditSink> sinks = new ArrayList<>();
        if (config.stderr()) {
            sinks.add(StreamAuditSink.stderr());
        }
        Set<Path> files = new HashSet<>();
        for (Path file : config.files()) {
            if (files.add(file.toAbsolutePath().normalize())) {
                sinks.add(new FileAuditSink(file, config.rotation()));
            }
        }
        config.syslog().ifPresent(e -> sinks.add(NetworkAuditSink.syslog(e)));
        config.tcp().ifPresent((Endpoint e) -> sinks.add(NetworkAuditSink.tcp(e)));
        if (config.appLogger()) {
            sinks.add(new AppLoggerAuditSink());
        }
        if (sinks.isEmpty()) {
            sinks.add(StreamAuditSink.stderr());
        }
        return new AuditLog(sinks, agentVersion, diagnostics);
    }

    /** The sinks, for the banner. */
    public List<String> describeSinks() {
        List<String> out = new ArrayList<>();
        for (AuditSink sink : sinks) {
            out.add(sink.describe());
        }
        return out;
    }

    /** Timestamps and enqueues an event. Never blocks, never takes a lock, never throws. */
    public void record(AuditEvent event) {
        try {
            event.timestamp(clock.instant());
            if (closing) {
                dropped.incrementAndGet();
                return;
            }
            if (queued.incrementAndGet() > capacity) {
                queued.decrementAndGet();
                dropped.incrementAndGet();
                return;
            }
            queue.offer(event);
            if (writerParked) {
                LockSupport.unpark(writer);
            }
        } catch (RuntimeException | Error e) {
            dropped.incrementAndGet();
        }
    }

    /** Events that never reached the queue (queue full, or recorded after close). */
    public long droppedCount() {
        return dropped.get();
    }

    /** Sink writes that failed, plus lines sinks accepted but could not deliver. */
    public long failedWriteCount() {
        long n = failedWrites.get();
        for (AuditSink sink : sinks) {
            n += sink.lostCount();
        }
        return n;
    }

    /** The writer thread's id (for benchmarks that read its CPU time). */
    long writerThreadId() {
        return writer.getId();
    }

    /** Events waiting for the writer. */
    int queuedCount() {
        return queued.get();
    }

    /** The value the first event's {@code moat.prev} links to (null until the first event was written). */
    String genesis() {
        return genesis;
    }

    /** Waits for the first event (or close), then opens the logging context, the sinks and the encoder. */
    private void open() {
        while (queue.isEmpty() && !closing) {
            writerParked = true;
            if (queue.isEmpty() && !closing) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
            writerParked = false;
        }
        AuditLogging l = new AuditLogging(diagnostics);
        String tail = null;
        for (int i = 0; i < sinks.size(); i++) {
            AuditSink sink = sinks.get(i);
            try {
                sink.start(l);
                started[i] = true;
                if (tail == null) {
                    tail = sink.chainTail().orElse(null);
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                diagnostics.println("moat: ERROR: audit sink " + sink.describe() + " cannot start (" + e
                        + "); every event meant for it is counted as lost");
            }
        }
        try {
            l.startEncoder();
        } catch (RuntimeException | LinkageError e) {
            encoderBroken = true;
            diagnostics.println("moat: ERROR: the audit JSON encoder cannot start; audit events are counted as"
                    + " lost: " + e);
        }
        genesis = tail != null ? tail : AuditChain.randomGenesis();
        chain = new AuditChain(genesis);
        logging = l;
    }

    private void drain() {
        try {
            open();
            nextLossCheck = System.nanoTime() + LOSS_CHECK_NANOS;
            int emptyPolls = 0;
            while (true) {
                AuditEvent event = queue.poll();
                if (event != null) {
                    queued.decrementAndGet();
                    writeToSinks(event);
                    if (queue.isEmpty()) {
                        flushSinks();
                    }
                    if (System.nanoTime() - nextLossCheck >= 0) {
                        reportLosses();
                    }
                    emptyPolls = 0;
                    continue;
                }
                if (closing) {
                    reportLosses();
                    flushSinks();
                    break;
                }
                if (++emptyPolls < BUSY_POLLS) {
                    // Busy: look again in BUSY_PARK_NANOS; record() does not wake a writer that is not parked.
                    if (System.nanoTime() - nextLossCheck >= 0) {
                        reportLosses();
                        flushSinks();
                    }
                    LockSupport.parkNanos(this, BUSY_PARK_NANOS);
                    continue;
                }
                emptyPolls = 0;
                reportLosses();
                flushSinks();
                writerParked = true;
                if (queue.isEmpty() && !closing) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
                writerParked = false;
            }
            AuditEvent rest;
            while ((rest = queue.poll()) != null) {
                queued.decrementAndGet();
                writeToSinks(rest);
            }
            flushSinks();
            for (AuditSink sink : sinks) {
                if (!sink.awaitDelivered(closeDeadline)) {
                    break;
                }
            }
            reportLosses();
            flushSinks();
        } catch (RuntimeException | Error e) {
            diagnostics.println("moat: ERROR: the audit writer stopped: " + e);
        } finally {
            stopped.countDown();
        }
    }

    private void writeToSinks(AuditEvent event) {
        Instant timestamp = event.timestamp() != null ? event.timestamp() : clock.instant();
        long seq = sequence + 1;
        AuditEventMarker marker = new AuditEventMarker(event, timestamps.format(timestamp), agentVersion, seq,
                chain.previous());
        LoggingEvent logEvent = logging.newEvent(marker, timestamp);
        byte[] lineBytes;
        try {
            if (encoderBroken) {
                throw new IOException("no encoder");
            }
            body.reset();
            logging.encode(marker, body);
            lineBytes = chain.seal(body.buffer(), body.size());
        } catch (IOException | RuntimeException e) {
            failedWrites.incrementAndGet();
            diagnostics.println("moat: cannot serialise audit event " + event.action() + ": " + e);
            return;
        }
        sequence = seq;
        Object outcome = event.get("event.outcome");
        AuditLine line = new AuditLine(lineBytes, seq, event.action(), outcome == null ? null : outcome.toString(),
                timestamp, chain.previous(), logEvent);
        marker.line(line);
        for (int i = 0; i < sinks.size(); i++) {
            AuditSink sink = sinks.get(i);
            if (!started[i]) {
                failedWrites.incrementAndGet();
                continue;
            }
            try {
                sink.write(line);
            } catch (IOException | RuntimeException e) {
                if (failedWrites.incrementAndGet() == 1) {
                    diagnostics.println("moat: audit sink " + sink.describe() + " failed: " + e);
                }
            }
        }
    }

    private void reportLosses() {
        nextLossCheck = System.nanoTime() + LOSS_CHECK_NANOS;
        long d = dropped.get();
        long f = failedWriteCount();
        if (d == reportedDropped && f == reportedFailed) {
            return;
        }
        Map<String, Long> perSink = new LinkedHashMap<>();
        for (AuditSink sink : sinks) {
            long lost = sink.lostCount();
            if (lost > 0) {
                perSink.put(sink.describe(), lost);
            }
        }
        AuditEvent loss = AuditEvent.of("audit-loss", "configuration")
                .put("event.outcome", "failure")
                .put("moat.audit.dropped", d)
                .put("moat.audit.failedWrites", f)
                .put("moat.audit.sinkLosses", perSink.isEmpty() ? null : perSink)
                .put("message", "audit events were lost: " + d + " dropped (queue full), " + f
                        + " failed or undelivered sink writes" + (perSink.isEmpty() ? "" : " " + perSink));
        loss.timestamp(clock.instant());
        reportedDropped = d;
        reportedFailed = f;
        diagnostics.println("moat: WARNING " + loss.get("message"));
        writeToSinks(loss);
    }

    private void flushSinks() {
        for (int i = 0; i < sinks.size(); i++) {
            if (!started[i]) {
                continue;
            }
            AuditSink sink = sinks.get(i);
            try {
                sink.flush();
            } catch (IOException | RuntimeException e) {
                failedWrites.incrementAndGet();
            }
        }
    }

    /**
     * Writes what is queued, waits for network sinks to deliver, reports losses, then closes the sinks.
     * Waits at most {@code timeoutMillis} in all.
     */
    public void close(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        closeDeadline = deadline;
        closing = true;
        LockSupport.unpark(writer);
        try {
            if (!stopped.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                diagnostics.println("moat: audit writer did not finish within " + timeoutMillis + " ms; "
                        + queued.get() + " events unwritten");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!sinksClosed.compareAndSet(false, true)) {
            return;
        }
        for (AuditSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException | RuntimeException e) {
                diagnostics.println("moat: closing audit sink " + sink.describe() + " failed: " + e);
            }
        }
        AuditLogging l = logging;
        if (l != null) {
            l.stop();
        }
    }

    @Override
    public void close() {
        close(5_000);
    }

    /** A byte buffer whose array the chain reads without a copy. */
    private static final class ExposedBuffer extends ByteArrayOutputStream {
        ExposedBuffer(int size) {
            super(size);
        }

        byte[] buffer() {
            return buf;
        }
    }
}

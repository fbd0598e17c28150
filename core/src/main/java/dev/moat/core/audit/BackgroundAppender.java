package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A logback appender that delivers from its own daemon thread, so that a slow or absent destination
 * (a collector, the application's logging) never holds up the audit writer and the file sink.
 * {@link #append} only offers the event to a bounded queue; an event that does not fit, or that is
 * still undelivered when the appender stops, is counted in {@link #lost()}.
 */
abstract class BackgroundAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private static final int MAX_BATCH = 256;

    private final BlockingQueue<ILoggingEvent> queue;
    private final String threadName;
    protected volatile PrintStream diagnostics =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile boolean busy;
    private volatile boolean stopping;
    private Thread thread;

    BackgroundAppender(int capacity, String threadName) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.threadName = threadName;
    }

    /** Where delivery trouble is reported. */
    void setDiagnostics(PrintStream diagnostics) {
        this.diagnostics = diagnostics;
    }

    /**
     * Starts the delivery thread. Sinks call this when the log is created (at the JVM's start), before
     * logback is loaded: the thread then exists among the agent's own threads from the start (the
     * enforcement hooks recognise those), and simply waits for events.
     */
    synchronized void startThread() {
        if (thread == null) {
            thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void start() {
        super.start();
        startThread();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (stopping || !queue.offer(event)) {
            lost.incrementAndGet();
        }
    }

    /** Events accepted but not delivered: queue overflow, or still pending at stop. Cumulative. */
    long lost() {
        return lost.get();
    }

    /** Events delivered. */
    long delivered() {
        return delivered.get();
    }

    /** True once {@link #stop} was called: {@link #deliver} should give up. */
    protected final boolean isStopping() {
        return stopping;
    }

    /** Waits {@code millis} or until stop is requested; false when stopping. */
    protected final boolean pause(long millis) {
        try {
            return !stopRequested.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Delivers a batch, in order, retrying as the destination allows. Returns the number of events of
     * the batch that were delivered (all of them, unless the appender is stopping or the destination
     * refused them for good).
     */
    protected abstract int deliver(List<ILoggingEvent> batch);

    /** Whether waiting for delivery makes sense now (false when the destination is known to be unavailable). */
    protected boolean deliveryPossible() {
        return true;
    }

    /** Called on the appender's thread after its last delivery. */
    protected void finish() {
    }

    private void run() {
        List<ILoggingEvent> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                ILoggingEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        break;
                    }
                    continue;
                }
                busy = true;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                int done;
                try {
                    done = deliver(batch);
                } catch (RuntimeException | LinkageError e) {
                    diagnostics.println("moat: audit sink " + getName() + " failed: " + e);
                    done = 0;
                }
                delivered.addAndGet(done);
                lost.addAndGet(batch.size() - done);
                batch.clear();
                busy = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            busy = false;
            lost.addAndGet(queue.size());
            queue.clear();
            finish();
        }
    }

    /** Waits until everything accepted was delivered or given up, or until {@code deadlineNanos}. */
    boolean awaitDelivered(long deadlineNanos) {
        while (!queue.isEmpty() || busy) {
            if (!deliveryPossible() || System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Stops: first gives the thread up to {@code millis} to deliver what is queued, then tells it to
     * give up; what is still undelivered is counted as lost.
     */
    void stop(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        awaitDelivered(deadline);
        stopping = true;
        stopRequested.countDown();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(Math.max(1, Math.min(millis, (deadline - System.nanoTime()) / 1_000_000L + 200)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.stop();
    }

    @Override
    public void stop() {
        stop(1_000);
    }
}

package dev.moat.core.audit;

/**
 * A sink that delivers on its own thread through a {@link BackgroundAppender} (a collector over TCP,
 * syslog, the application's logger): the writer only queues lines, so a slow or absent destination
 * never holds it up, and the appender counts what it could not deliver.
 *
 * @param <A> the appender type
 */
abstract class BackgroundAuditSink<A extends BackgroundAppender> implements AuditSink {

    private volatile A appender;

    /** A new, not yet started appender for this sink. */
    abstract A newAppender();

    /** Sets what this sink's appender needs beyond its context, name and diagnostics (say an encoder). */
    void configure(A appender, AuditLogging logging) {
    }

    /** The appender, or null before {@link #check()}. */
    final A appender() {
        return appender;
    }

    /** Creates the delivery thread now (it waits for events). */
    @Override
    public final synchronized void check() {
        if (appender == null) {
            A a = newAppender();
            a.startThread();
            appender = a;
        }
    }

    @Override
    public final void start(AuditLogging logging) {
        check();
        A a = appender;
        a.setDiagnostics(logging.diagnostics());
        a.setContext(logging.context());
        a.setName("audit-" + describe());
        configure(a, logging);
        a.start();
    }

    @Override
    public final void write(AuditLine line) {
        appender.doAppend(line.loggingEvent());
    }

    @Override
    public final void flush() {
        // the sink's own thread delivers as soon as it has lines
    }

    @Override
    public final long lostCount() {
        A a = appender;
        return a == null ? 0 : a.lost();
    }

    @Override
    public final boolean awaitDelivered(long deadlineNanos) {
        A a = appender;
        return a == null || a.awaitDelivered(deadlineNanos);
    }

    @Override
    public final void close() {
        A a = appender;
        if (a != null) {
            a.stop(1_000);
        }
    }
}

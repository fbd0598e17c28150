package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.recovery.RecoveryListener;
import ch.qos.logback.core.recovery.ResilientOutputStreamBase;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import dev.moat.core.policy.AuditConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends audit lines to a file through logback's {@link RollingFileAppender}, rotated by size
 * ({@link AuditConfig.Rotation}: when {@code FILE} reaches the maximum it becomes {@code FILE.1}, older
 * files shift up, the oldest beyond the kept count is deleted). Lines are buffered and flushed when
 * the writer's queue runs empty.
 *
 * <p>Loss accounting: logback's file stream survives I/O errors (disk full, file removed) by dropping
 * writes until a reopen succeeds. This sink listens to that stream: when a write or flush fails,
 * every line written since the last successful flush, and every line offered while the stream is
 * failed, is counted in {@link #lostCount()}.
 */
public final class FileAuditSink implements AuditSink {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path file;
    private final AuditConfig.Rotation rotation;
    private final AtomicLong lost = new AtomicLong();
    private RollingFileAppender<ILoggingEvent> appender;
    private OutputStream listenedStream;
    private volatile boolean failing;
    private long sinceFlush;
    private Optional<String> tail = Optional.empty();

    /** A file sink with the default rotation (100 MB, 10 rotated files kept). */
    public FileAuditSink(Path file) {
        this(file, AuditConfig.Rotation.DEFAULT);
    }

    /** A file sink rotated as {@code rotation} says. */
    public FileAuditSink(Path file, AuditConfig.Rotation rotation) {
        this.file = file.toAbsolutePath().normalize();
        this.rotation = rotation;
    }

    /** The file written to. */
    public Path file() {
        return file;
    }

    /** Creates the file (and its folders) if needed and makes sure it can be appended to. */
    @Override
    public void check() throws IOException {
        if (file.toString().indexOf('%') >= 0) {
            throw new IOException("the audit file name must not contain '%' (it names the rotated files): " + file);
        }
        Path parent = file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new java.io.FileOutputStream(file.toFile(), true).close();
    }

    @Override
    public void start(AuditLogging logging) throws IOException {
        String name = file.toString();
        check();
        tail = AuditChain.tail(file);

        RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
        a.setContext(logging.context());
        a.setName("audit-file:" + name);
        a.setFile(name);
        a.setAppend(true);
        a.setImmediateFlush(false);
        a.setBufferSize(new FileSize(BUFFER_SIZE));
        a.setEncoder(new AuditLineEncoder());

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(logging.context());
        rolling.setParent(a);
        rolling.setFileNamePattern(name + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(rotation.maxFiles());
        AuditSizeTriggeringPolicy trigger = new AuditSizeTriggeringPolicy(rotation.maxFileSize());
        trigger.setContext(logging.context());
        a.setRollingPolicy(rolling);
        a.setTriggeringPolicy(trigger);
        rolling.start();
        trigger.start();
        a.getEncoder().setContext(logging.context());
        a.getEncoder().start();
        int statusesBefore = logging.context().getStatusManager().getCount();
        a.start();
        if (!a.isStarted()) {
            throw new IOException("cannot open audit file " + file + errorsSince(logging, statusesBefore));
        }
        appender = a;
        listen();
    }

    private static String errorsSince(AuditLogging logging, int index) {
        List<Status> all = logging.context().getStatusManager().getCopyOfStatusList();
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, index); i < all.size(); i++) {
            Status s = all.get(i);
            if (s.getLevel() == Status.ERROR) {
                out.append(": ").append(s.getMessage());
                if (s.getThrowable() != null) {
                    out.append(" (").append(s.getThrowable().getMessage()).append(')');
                }
            }
        }
        return out.toString();
    }

    /** Attaches the loss listener to the appender's current stream (a rollover opens a new one). */
    private void listen() {
        OutputStream os = appender.getOutputStream();
        if (os != listenedStream && os instanceof ResilientOutputStreamBase resilient) {
            resilient.addRecoveryListener(new RecoveryListener() {
                @Override
                public void newFailure(IOException e) {
                    failing = true;
                    lost.addAndGet(sinceFlush);
                    sinceFlush = 0;
                }

                @Override
                public void recoveryOccured() {
                    failing = false;
                }
            });
            listenedStream = os;
            failing = false;
        }
    }

    @Override
    public Optional<String> chainTail() {
        return tail;
    }

    @Override
    public void write(AuditLine line) throws IOException {
        if (!appender.isStarted()) {
            throw new IOException("the audit file appender for " + file + " has stopped after an error");
        }
        appender.doAppend(line.loggingEvent());
        listen();
        if (failing) {
            lost.incrementAndGet();
        } else {
            sinceFlush++;
        }
    }

    @Override
    public void flush() throws IOException {
        OutputStream os = appender.getOutputStream();
        if (os != null && appender.isStarted()) {
            os.flush();
            if (!failing) {
                sinceFlush = 0;
            }
        }
    }

    @Override
    public long lostCount() {
        return lost.get();
    }

    @Override
    public String describe() {
        return "file:" + file;
    }

    @Override
    public void close() throws IOException {
        if (appender != null) {
            flush();
            appender.stop();
        }
    }
}

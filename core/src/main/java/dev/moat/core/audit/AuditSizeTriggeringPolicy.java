package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.LengthCounter;
import ch.qos.logback.core.rolling.LengthCounterBase;
import ch.qos.logback.core.rolling.TriggeringPolicyBase;
import java.io.File;

/**
 * Rotates the audit file when it has reached its maximum size. Exact, unlike logback's
 * {@code SizeBasedTriggeringPolicy}, which looks at the file at most once a minute: the appender
 * counts the bytes it writes into {@link #getLengthCounter()} (starting from the file's size when it
 * opens it), and the rollover happens before the next event is written, so a file ends on a line
 * boundary and exceeds the maximum by less than one event.
 */
final class AuditSizeTriggeringPolicy extends TriggeringPolicyBase<ILoggingEvent> {

    private final long maxFileSize;
    private final LengthCounter written = new LengthCounterBase();

    AuditSizeTriggeringPolicy(long maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    @Override
    public LengthCounter getLengthCounter() {
        return written;
    }

    @Override
    public boolean isTriggeringEvent(File activeFile, ILoggingEvent event) {
        if (written.getLength() >= maxFileSize) {
            written.reset();
            return true;
        }
        return false;
    }
}

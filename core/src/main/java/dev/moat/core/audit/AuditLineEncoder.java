package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * The appenders' encoder: writes the sealed JSON line exactly as hashed (the logstash encoder already
 * produced it once, in the writer), so every sink carries byte-identical lines that verify.
 */
final class AuditLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final byte[] EMPTY = new byte[0];

    @Override
    public byte[] headerBytes() {
        return EMPTY;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        AuditLine line = AuditLine.of(event);
        if (line != null) {
            return line.bytes();
        }
        String message = event.getFormattedMessage();
        return message == null ? EMPTY : (message + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return EMPTY;
    }
}

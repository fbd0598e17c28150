package dev.moat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.logstash.logback.composite.loggingevent.LogstashMarkersJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import net.logstash.logback.marker.LogstashMarker;
import org.junit.jupiter.api.Test;

/**
 * The audit line format was defined by logstash-logback-encoder's composite encoder with its markers
 * provider. Moat now writes it with Jackson's streaming generator directly ({@link AuditLogging#encode});
 * this test holds the two byte-identical on every kind of value an event can carry.
 */
class LogstashFormatTest {

    /** The logstash marker the old pipeline carried, writing what the audit marker writes. */
    private static final class Reference extends LogstashMarker {
        private static final long serialVersionUID = 1L;
        private final transient AuditEventMarker marker;

        Reference(AuditEventMarker marker) {
            super("MOAT_AUDIT_EVENT");
            this.marker = marker;
        }

        @Override
        public void writeTo(JsonGenerator generator) throws IOException {
            marker.writeTo(generator);
        }
    }

    @Test
    void moatsEncoderWritesWhatTheLogstashEncoderWrote() throws IOException {
        AuditLogging logging = new AuditLogging(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        logging.startEncoder();
        LoggingEventCompositeJsonEncoder logstash = new LoggingEventCompositeJsonEncoder();
        logstash.setContext(logging.context());
        logstash.setFindAndRegisterJacksonModules(false);
        logstash.setLineSeparator(null);
        logstash.getProviders().addProvider(new LogstashMarkersJsonProvider());
        logstash.start();
        try {
            List<AuditEvent> events = events();
            long sequence = 0;
            for (AuditEvent event : events) {
                sequence++;
                Instant now = Instant.ofEpochSecond(1_780_000_000L + sequence, sequence * 1_000);
                AuditEventMarker marker = new AuditEventMarker(event, now.toString(), "1.2.3-" + sequence, sequence,
                        "ab".repeat(32));
                ByteArrayOutputStream ours = new ByteArrayOutputStream();
                logging.encode(marker, ours);

                LoggingEvent reference = logging.newEvent(marker, now);
                reference.getMarkerList().clear();
                reference.addMarker(new Reference(marker));
                ByteArrayOutputStream theirs = new ByteArrayOutputStream();
                logstash.encode(reference, theirs);

                assertThat(ours.toByteArray()).as("event %d: %s", sequence, ours.toString(StandardCharsets.UTF_8))
                        .isEqualTo(theirs.toByteArray());
            }
        } finally {
            logstash.stop();
            logging.stop();
        }
    }

    private static List<AuditEvent> events() {
        List<AuditEvent> out = new ArrayList<>();
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("path", "/tmp/x");
        nested.put("n", 3);
        nested.put("list", List.of(1, "two", 3.5, false));
        nested.put("null", null);
        nested.put("deeper", Map.of("k", new Object[] {"a", 1L}));
        out.add(AuditEvent.of("tool-call", "api").put("mcp.tool.name", "read_file").put("mcp.tool.arguments", nested)
                .put("event.outcome", "success").put("moat.startup.ms", 1234L).put("flag", true));
        out.add(AuditEvent.of("file-access", "file").put("text", "lone \uD800 surrogate, pair \uD83D\uDE00, ctl \u0001\u001f"
                        + " tab\t nl\n cr\r quote\" backslash\\ slash/ del\u007f nbsp\u00a0 line-sep\u2028 bom\uFEFF")
                .put("unicode", "\u00e9\u4e2d\u0416\uD834\uDD1E").put("html", "<script>&amp;</script>'"));
        out.add(AuditEvent.of("numbers", "x").put("int", Integer.MIN_VALUE).put("long", Long.MAX_VALUE)
                .put("short", (short) -7).put("byte", (byte) 1).put("double", 0.1 + 0.2).put("float", 1.5e-7f)
                .put("nan", Double.NaN).put("inf", Float.NEGATIVE_INFINITY).put("big", new BigDecimal("1e400"))
                .put("bigint", new BigInteger("123456789012345678901234567890")).put("tiny", 4.9e-324)
                .put("negzero", -0.0));
        out.add(AuditEvent.of("reserved", "x").put("moat.hash", "forged").put("event.sequence", 99)
                .put("@timestamp", "then").put("agent.name", "other").put("agent.version", "0").put("moat.prev", "p")
                .put("a.very.long.field.name.that.is.longer.than.any.reserved.name", "v"));
        out.add(AuditEvent.of("empty", "x").put("emptyString", "").put("emptyMap", Map.of())
                .put("emptyList", List.of()).put("obj", new Object() {
                    @Override
                    public String toString() {
                        return "custom \uDC00 object";
                    }
                }).put("weird key \u0000\"\\", "v"));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            AuditEvent e = AuditEvent.of("random-" + i, "x");
            for (int f = 0; f < 6; f++) {
                StringBuilder s = new StringBuilder();
                for (int c = random.nextInt(40); c > 0; c--) {
                    s.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80)));
                }
                e.put("f" + f + s.substring(0, Math.min(3, s.length())), s.toString());
            }
            e.put("n", random.nextLong()).put("d", random.nextDouble() * 1e9);
            out.add(e);
        }
        return out;
    }
}

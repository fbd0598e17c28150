package dev.moat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);

    @Test
    void writesOneJsonLinePerEventInSequenceOrder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/audit.jsonl");
        try (AuditLog log = new AuditLog(List.of(new FileAuditSink(file)), "1.2.3", err)) {
            for (int i = 0; i < 100; i++) {
                log.record(AuditEvent.of("tool-call", "api").put("mcp.tool.name", "t" + i).put("skipped", null));
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(100);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> event = json.readValue(lines.get(i), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            assertThat(event.get("event.sequence")).isEqualTo(i + 1);
            assertThat(event.get("mcp.tool.name")).isEqualTo("t" + i);
            assertThat(event.get("event.action")).isEqualTo("tool-call");
            assertThat(event.get("agent.version")).isEqualTo("1.2.3");
            assertThat(event).containsKey("@timestamp").doesNotContainKey("skipped");
        }
    }

    @Test
    void countsAndReportsEventsThatDidNotFit(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        BlockingSink blocking = new BlockingSink(new FileAuditSink(file));
        AuditLog log = new AuditLog(List.of(blocking), "v", err, Clock.systemUTC(), 4);
        for (int i = 0; i < 50; i++) {
            log.record(AuditEvent.of("tool-call", "api"));
        }
        assertThat(log.droppedCount()).isGreaterThan(0);
        blocking.release();
        log.close();
        String text = Files.readString(file);
        assertThat(text).contains("\"event.action\":\"audit-loss\"").contains("\"moat.audit.dropped\":" + log.droppedCount());
        assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("audit events were lost");
    }

    @Test
    void aFailingSinkIsCountedAndDoesNotStopTheOthers(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AuditSink broken = new AuditSink() {
            @Override public void write(String line) throws IOException { throw new IOException("disk full"); }
            @Override public void flush() { }
            @Override public String describe() { return "broken"; }
            @Override public void close() { }
        };
        try (AuditLog log = new AuditLog(List.of(broken, new FileAuditSink(file)), "v", err)) {
            log.record(AuditEvent.of("agent-start", "configuration"));
            log.close();
            assertThat(log.failedWriteCount()).isGreaterThanOrEqualTo(1);
        }
        assertThat(Files.readString(file)).contains("agent-start");
        assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("broken").contains("disk full");
    }

    /** Holds the writer thread on its first write until released, so the queue fills. */
    private static final class BlockingSink implements AuditSink {
        private final AuditSink target;
        private final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

        BlockingSink(AuditSink target) {
            this.target = target;
        }

        void release() {
            gate.countDown();
        }

        @Override
        public void write(String line) throws IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            target.write(line);
        }

        @Override public void flush() throws IOException { target.flush(); }
        @Override public String describe() { return target.describe(); }
        @Override public void close() throws IOException { target.close(); }
    }
}

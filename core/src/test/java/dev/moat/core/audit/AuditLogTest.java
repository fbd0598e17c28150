package dev.moat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moat.core.policy.AuditConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);

    static List<Map<String, Object>> events(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { }));
        }
        return out;
    }

    @Test
    void writesOneJsonLinePerEventInSequenceOrder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/audit.jsonl");
        try (AuditLog log = new AuditLog(List.of(new FileAuditSink(file)), "1.2.3", err)) {
            for (int i = 0; i < 100; i++) {
                log.record(AuditEvent.of("tool-call", "api").put("mcp.tool.name", "t" + i).put("skipped", null));
            }
        }
        List<Map<String, Object>> events = events(file);
        assertThat(events).hasSize(100);
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> event = events.get(i);
            assertThat(event.get("event.sequence")).isEqualTo(i + 1);
            assertThat(event.get("mcp.tool.name")).isEqualTo("t" + i);
            assertThat(event.get("event.action")).isEqualTo("tool-call");
            assertThat(event.get("agent.version")).isEqualTo("1.2.3");
            assertThat(event).containsKey("@timestamp").doesNotContainKey("skipped");
        }
        assertThat(AuditVerifier.verify(List.of(file), false).intact()).isTrue();
    }

    @Test
    void eventsAreFlatEcsObjectsWithTheChainFieldsLast(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = new AuditLog(List.of(new FileAuditSink(file)), "9", err)) {
            log.record(AuditEvent.of("tool-call", "api").put("mcp.tool.arguments", Map.of("path", "/tmp/x"))
                    .put("text", "lone \uD800 surrogate, pair \uD83D\uDE00").put("moat.hash", "forged")
                    .put("event.sequence", 99));
        }
        String line = Files.readAllLines(file).get(0);
        assertThat(line).startsWith("{\"@timestamp\":\"").contains("\"event.kind\":\"event\"")
                .contains("\"mcp.tool.arguments\":{\"path\":\"/tmp/x\"}")
                .contains("\"agent.name\":\"moat\",\"agent.version\":\"9\",\"event.sequence\":1,\"moat.prev\":\"")
                .doesNotContain("forged").doesNotContain("\"event.sequence\":99");
        assertThat(line).matches(".*,\"moat\\.prev\":\"[0-9a-f]{64}\",\"moat\\.hash\":\"[0-9a-f]{64}\"}$");
        Map<String, Object> event = events(file).get(0);
        assertThat(event.get("text")).isEqualTo("lone \uFFFD surrogate, pair \uD83D\uDE00");
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
        assertThat(AuditVerifier.verify(List.of(file), false).intact()).as("losses are counted, not holes").isTrue();
    }

    @Test
    void aFailingSinkIsCountedAndDoesNotStopTheOthers(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AuditSink broken = new AuditSink() {
            @Override public void write(AuditLine line) throws IOException { throw new IOException("disk full"); }
            @Override public void flush() { }
            @Override public String describe() { return "broken"; }
            @Override public void close() { }
        };
        try (AuditLog log = new AuditLog(List.of(broken, new FileAuditSink(file)), "v", err)) {
            log.record(AuditEvent.of("agent-start", "configuration"));
            log.close();
            assertThat(log.failedWriteCount()).isGreaterThanOrEqualTo(1);
        }
        assertThat(Files.readString(file)).contains("agent-start").contains("audit-loss");
        assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("broken").contains("disk full");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aFileSinkOnAFullDiskCountsEveryLostLineAndTheOtherSinksReportIt(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(List.of(new FileAuditSink(Path.of("/dev/full")), new FileAuditSink(good)), "v", err);
        for (int i = 0; i < 20; i++) {
            log.record(AuditEvent.of("tool-call", "api").put("i", i));
        }
        log.close();
        assertThat(log.failedWriteCount()).as("every line written to /dev/full is lost").isGreaterThanOrEqualTo(20);
        List<Map<String, Object>> events = events(good);
        assertThat(events.stream().filter(e -> "tool-call".equals(e.get("event.action")))).hasSize(20);
        Map<String, Object> loss = events.stream().filter(e -> "audit-loss".equals(e.get("event.action"))).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(loss.get("moat.audit.sinkLosses")).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) loss.get("moat.audit.sinkLosses")).get("file:/dev/full")).isNotNull();
    }

    @Test
    void anAuditFileThatCannotBeCreatedFailsTheLogAndLeavesNothingRunning(@TempDir Path dir) throws IOException {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        assertThatThrownBy(() -> new AuditLog(List.of(StreamAuditSink.stderr(),
                new FileAuditSink(blocker.resolve("audit.jsonl"))), "v", err)).isInstanceOf(IOException.class);
    }

    @Test
    void rotatesBySizeAndTheChainContinuesAcrossTheRotatedFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AuditConfig.Rotation small = new AuditConfig.Rotation(4096, 3);
        try (AuditLog log = new AuditLog(List.of(new FileAuditSink(file, small)), "v", err)) {
            for (int i = 0; i < 120; i++) {
                log.record(AuditEvent.of("tool-call", "api").put("mcp.tool.name", "tool-" + i).put("pad", "x".repeat(100)));
            }
        }
        assertThat(file.resolveSibling("audit.jsonl.1")).exists();
        assertThat(file.resolveSibling("audit.jsonl.3")).exists();
        assertThat(file.resolveSibling("audit.jsonl.4")).doesNotExist();
        for (Path f : AuditVerifier.withRotated(file)) {
            assertThat(Files.size(f)).as(f.toString()).isLessThan(4096 + 1024);
        }
        List<Path> all = AuditVerifier.withRotated(file);
        assertThat(all).hasSize(4).endsWith(file);
        AuditVerifier.Report report = AuditVerifier.verify(all, true);
        assertThat(report.intact()).as(report.summary()).isTrue();
        assertThat(report.lastSequence()).isEqualTo(120);
        AuditVerifier.Report strict = AuditVerifier.verify(all, false);
        assertThat(strict.intact()).isFalse();
        assertThat(strict.problem().kind()).isEqualTo(AuditVerifier.Kind.INCOMPLETE);
    }

    @Test
    void aNewRunContinuesTheChainOfTheFileItAppendsTo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        for (int run = 0; run < 3; run++) {
            try (AuditLog log = new AuditLog(List.of(new FileAuditSink(file)), "v", err)) {
                log.record(AuditEvent.of("agent-start", "configuration"));
                log.record(AuditEvent.of("tool-call", "api"));
            }
        }
        List<Map<String, Object>> events = events(file);
        assertThat(events).hasSize(6);
        assertThat(events.get(2).get("event.sequence")).isEqualTo(1);
        assertThat(events.get(2).get("moat.prev")).isEqualTo(events.get(1).get("moat.hash"));
        AuditVerifier.Report report = AuditVerifier.verify(List.of(file), false);
        assertThat(report.intact()).as(report.summary()).isTrue();
        assertThat(report.runs()).isEqualTo(3);
    }

    @Test
    void aFreshLogStartsFromARandomGenesis(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        for (Path file : List.of(a, b)) {
            try (AuditLog log = new AuditLog(List.of(new FileAuditSink(file)), "v", err)) {
                log.record(AuditEvent.of("agent-start", "configuration"));
                log.close();
                assertThat(events(file).get(0).get("moat.prev")).isEqualTo(log.genesis());
            }
        }
        assertThat(events(a).get(0).get("moat.prev")).isNotEqualTo(events(b).get(0).get("moat.prev"));
    }

    @Test
    void aSinkThatCannotStartIsCountedAndTheOthersWork(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AuditSink unstartable = new AuditSink() {
            @Override public void start(AuditLogging logging) throws IOException { throw new IOException("no way"); }
            @Override public void write(AuditLine line) { throw new AssertionError("never written"); }
            @Override public void flush() { }
            @Override public String describe() { return "unstartable"; }
            @Override public void close() { }
        };
        try (AuditLog log = new AuditLog(List.of(unstartable, new FileAuditSink(file)), "v", err)) {
            log.record(AuditEvent.of("agent-start", "configuration"));
            log.close();
            assertThat(log.failedWriteCount()).isGreaterThanOrEqualTo(1);
        }
        assertThat(Files.readString(file)).contains("agent-start").contains("audit-loss");
        assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("audit sink unstartable cannot start");
    }

    @Test
    void stderrSinkWritesTheSameLines(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = new AuditLog(List.of(new StreamAuditSink(captured, "stderr"), new FileAuditSink(file)), "v", err)) {
            log.record(AuditEvent.of("agent-start", "configuration"));
            log.record(AuditEvent.of("tool-call", "api"));
            assertThat(log.describeSinks()).containsExactly("stderr", "file:" + file.toAbsolutePath());
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo(Files.readString(file));
    }

    @Test
    void openBuildsTheSinksThePolicyNames(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AuditConfig config = AuditConfig.absent().withAdditionalFile(file);
        try (AuditLog log = AuditLog.open(config, "v", err)) {
            assertThat(log.describeSinks()).containsExactly("stderr", "file:" + file.toAbsolutePath());
        }
    }

    @Test
    void recordNeverThrowsAndCountsAfterClose(@TempDir Path dir) throws IOException {
        AuditLog log = new AuditLog(List.of(new FileAuditSink(dir.resolve("a.jsonl"))), "v", err);
        log.close();
        log.record(AuditEvent.of("late", "api"));
        assertThat(log.droppedCount()).isEqualTo(1);
    }

    /** Holds the writer thread on its first write until released, so the queue fills. */
    private static final class BlockingSink implements AuditSink {
        private final AuditSink target;
        private final CountDownLatch gate = new CountDownLatch(1);

        BlockingSink(AuditSink target) {
            this.target = target;
        }

        void release() {
            gate.countDown();
        }

        @Override
        public void check() throws IOException {
            target.check();
        }

        @Override
        public void start(AuditLogging logging) throws IOException {
            target.start(logging);
        }

        @Override
        public void write(AuditLine line) throws IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            target.write(line);
        }

        @Override public Optional<String> chainTail() { return target.chainTail(); }
        @Override public void flush() throws IOException { target.flush(); }
        @Override public String describe() { return target.describe(); }
        @Override public void close() throws IOException { target.close(); }
    }
}

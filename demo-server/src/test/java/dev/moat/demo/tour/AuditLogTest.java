package dev.moat.demo.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    @Test
    void readsFlatAndNestedLinesAndSkipsGarbage() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.write(file, List.of(
                "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event.action\":\"agent-start\",\"event.outcome\":\"success\"}",
                "moat: not json",
                "",
                "{\"event.action\":\"tool-call\",\"mcp.tool.name\":\"read_file\",\"event.outcome\":\"denied\","
                        + "\"rule.id\":\"files.allow\",\"event.reason\":\"outside allowed roots\",\"event.duration\":1200,"
                        + "\"mcp.tool.arguments\":{\"path\":\"../secret.txt\"}}",
                "{\"event\":{\"action\":\"tool-call\",\"outcome\":\"success\"},\"mcp\":{\"tool\":{\"name\":\"search\"}},"
                        + "\"moat\":{\"output\":{\"sanitized\":[\"html\"]}}}",
                "{\"event.action\":\"tool-call\",\"mcp.tool.name\":\"read_file\",\"event.outcome\":\"success\"}",
                "{\"event.action\":\"tool-call\",\"mcp.tool.na"));
        AuditLog log = new AuditLog(file);

        assertThat(log.events()).hasSize(4);
        Map<String, String> denied = log.toolCall("read_file", 0).orElseThrow();
        assertThat(denied).containsEntry("rule.id", "files.allow")
                .containsEntry("mcp.tool.arguments.path", "../secret.txt")
                .containsEntry("event.duration", "1200");
        assertThat(AuditLog.summarize(denied))
                .isEqualTo("outcome=denied rule.id=files.allow event.reason=\"outside allowed roots\"");
        assertThat(log.toolCall("read_file", 1).orElseThrow()).containsEntry("event.outcome", "success");
        assertThat(log.toolCall("read_file", 2)).isEmpty();

        Map<String, String> nested = log.toolCall("search", 0).orElseThrow();
        assertThat(AuditLog.summarize(nested)).isEqualTo("outcome=success moat.output.sanitized=[\"html\"]");
        assertThat(log.toolCall("fetch_url", 0)).isEmpty();
    }

    @Test
    void summaryWithoutOutcome() {
        assertThat(AuditLog.summarize(Map.of("event.action", "tool-call"))).isEqualTo("outcome=?");
    }

    @Test
    void aMissingFileHasNoEventsAndWaitingIsBounded() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("never-written.jsonl"));
        assertThat(log.events()).isEmpty();
        long start = System.nanoTime();
        assertThat(log.awaitToolCall("read_file", 0, Duration.ofMillis(200))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void waitingSeesALineWrittenLater() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(150);
                Files.writeString(file, "{\"event.action\":\"tool-call\",\"mcp.tool.name\":\"search\"}\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        assertThat(new AuditLog(file).awaitToolCall("search", 0, Duration.ofSeconds(10))).isPresent();
        writer.join();
    }
}

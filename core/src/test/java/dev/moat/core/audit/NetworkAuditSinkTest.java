package dev.moat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moat.core.policy.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class NetworkAuditSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);

    private static Map<String, Object> parse(String line) {
        try {
            return JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private static long sequence(Map<String, Object> event) {
        return ((Number) event.get("event.sequence")).longValue();
    }

    private static long count(List<String> lines, String action) {
        return lines.stream().map(NetworkAuditSinkTest::parse).filter(e -> action.equals(e.get("event.action"))).count();
    }

    @Test
    void aCollectorThatGoesAwayAndComesBackLosesNothingFromTheFileAndItsLossesAreReported(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (LineCollector collector = new LineCollector().start()) {
            Endpoint endpoint = new Endpoint("127.0.0.1", collector.port());
            NetworkAuditSink tcp = new NetworkAuditSink(endpoint, false, 50, 20, 200);
            AuditLog log = new AuditLog(List.of(new FileAuditSink(file), tcp), "v", err);
            for (int i = 0; i < 20; i++) {
                log.record(AuditEvent.of("tool-call", "api").put("phase", "before"));
            }
            assertThat(collector.await(l -> count(l, "tool-call") == 20, 10_000)).as(collector.lines.toString()).isTrue();

            collector.stop();
            for (int i = 0; i < 300; i++) {
                log.record(AuditEvent.of("tool-call", "api").put("phase", "away"));
            }
            Thread.sleep(300);
            assertThat(tcp.lostCount()).as("the sink's queue of 50 overflowed while the collector was away").isPositive();

            collector.start();
            String sinkName = "tcp:" + endpoint;
            assertThat(collector.await(l -> l.stream().map(NetworkAuditSinkTest::parse)
                    .anyMatch(e -> "audit-loss".equals(e.get("event.action"))), 10_000))
                    .as("the loss is reported to the collector once it is back").isTrue();
            for (int i = 0; i < 20; i++) {
                log.record(AuditEvent.of("tool-call", "api").put("phase", "after"));
            }
            assertThat(collector.await(l -> l.stream().map(NetworkAuditSinkTest::parse)
                    .filter(e -> "after".equals(e.get("phase"))).count() == 20, 10_000)).isTrue();
            log.close();

            // The file has every event, and its chain is intact.
            List<String> fileLines = Files.readAllLines(file);
            assertThat(count(fileLines, "tool-call")).isEqualTo(340);
            assertThat(AuditVerifier.verify(List.of(file), false).intact()).isTrue();

            // What the collector misses is exactly what the sink counted as lost, and it was told so.
            Set<Long> received = new HashSet<>();
            collector.lines.forEach(l -> received.add(sequence(parse(l))));
            long missing = fileLines.stream().map(NetworkAuditSinkTest::parse)
                    .filter(e -> !received.contains(sequence(e))).count();
            assertThat(missing).isPositive();
            assertThat(tcp.lostCount()).isEqualTo(missing);
            long reported = collector.lines.stream().map(NetworkAuditSinkTest::parse)
                    .filter(e -> "audit-loss".equals(e.get("event.action")))
                    .map(e -> ((Map<?, ?>) e.get("moat.audit.sinkLosses")).get(sinkName))
                    .mapToLong(n -> ((Number) n).longValue()).max().orElse(0);
            assertThat(reported).as("the last loss count the collector received").isEqualTo(missing);
            assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("audit sink " + sinkName + " unreachable")
                    .contains("audit sink " + sinkName + " reconnected");
        }
    }

    @Test
    void aCollectorThatIsNeverThereCostsTheWriterNothingAndIsCounted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NetworkAuditSink tcp = new NetworkAuditSink(new Endpoint("127.0.0.1", port), false, 10, 20, 100);
        AuditLog log = new AuditLog(List.of(new FileAuditSink(file), tcp), "v", err);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            log.record(AuditEvent.of("tool-call", "api"));
        }
        log.close(3_000);
        assertThat((System.nanoTime() - start) / 1_000_000).as("close does not wait for an absent collector").isLessThan(5_000);
        assertThat(count(Files.readAllLines(file), "tool-call")).isEqualTo(1000);
        assertThat(tcp.lostCount()).isGreaterThanOrEqualTo(1000);
        assertThat(Files.readString(file)).contains("\"moat.audit.sinkLosses\":{\"tcp:127.0.0.1:" + port + "\":");
    }

    @Test
    void syslogFramesAreOctetCountedRfc5424WithTheJsonAsMessage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread reader = new Thread(() -> {
                try (java.net.Socket c = server.accept()) {
                    c.getInputStream().transferTo(frames);
                } catch (IOException ignored) {
                    // done
                }
            });
            reader.start();
            NetworkAuditSink syslog = NetworkAuditSink.syslog(new Endpoint("127.0.0.1", server.getLocalPort()));
            try (AuditLog log = new AuditLog(List.of(new FileAuditSink(file), syslog), "v", err)) {
                log.record(AuditEvent.of("tool-call", "api").put("event.outcome", "success").put("text", "héllo \"x\" ]"));
                log.record(AuditEvent.of("tool-call", "api").put("event.outcome", "failure"));
            }
            reader.join(10_000);
        }
        byte[] bytes = frames.toByteArray();
        List<String> fileLines = Files.readAllLines(file);
        int at = 0;
        for (int i = 0; i < 2; i++) {
            int space = at;
            while (bytes[space] != ' ') {
                space++;
            }
            int length = Integer.parseInt(new String(bytes, at, space - at, StandardCharsets.US_ASCII));
            String message = new String(bytes, space + 1, length, StandardCharsets.UTF_8);
            at = space + 1 + length;
            Matcher m = Pattern.compile("^<(\\d+)>1 (\\S+) (\\S+) moat (\\d+) tool-call \\[moat@32473 seq=\"(\\d+)\""
                    + " outcome=\"(\\w+)\" hash=\"([0-9a-f]{64})\"] (\\{.*})$").matcher(message);
            assertThat(m.matches()).as(message).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(13 * 8 + (i == 0 ? 6 : 4));
            assertThat(m.group(2)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
            assertThat(m.group(4)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(m.group(5)).isEqualTo(Integer.toString(i + 1));
            assertThat(m.group(8)).as("MSG is the file's line, byte for byte").isEqualTo(fileLines.get(i));
            assertThat(m.group(7)).isEqualTo(parse(fileLines.get(i)).get("moat.hash"));
        }
        assertThat(at).isEqualTo(bytes.length);
    }
}

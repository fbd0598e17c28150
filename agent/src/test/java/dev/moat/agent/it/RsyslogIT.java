package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syslog sink against a real syslog daemon: Debian's rsyslog, installed by
 * {@code scripts/ensure-rsyslog.sh} if missing, started here in the foreground with its own
 * configuration (imtcp on a free loopback port, omfile into a temporary folder, a template that writes
 * the RFC 5424 fields rsyslog parsed). A child JVM under the agent sends its audit trail to it.
 */
@Timeout(180)
class RsyslogIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** rsyslog's view of each message, one per line, fields separated by a character JSON escapes. */
    private static final String SEP = "\u0001";

    @TempDir
    Path dir;
    private Process rsyslogd;

    @AfterEach
    void stopRsyslogd() throws InterruptedException {
        if (rsyslogd != null && rsyslogd.isAlive()) {
            rsyslogd.destroy();
            if (!rsyslogd.waitFor(10, TimeUnit.SECONDS)) {
                rsyslogd.destroyForcibly();
            }
        }
    }

    private static String ensureRsyslog() throws IOException, InterruptedException {
        Path script = Paths.get("..", "scripts", "ensure-rsyslog.sh").toAbsolutePath().normalize();
        assertThat(script).as("the script that provides rsyslog").isRegularFile();
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("scripts/ensure-rsyslog.sh failed:\n" + err).isZero();
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void startRsyslogd(String binary, int port, Path out) throws Exception {
        Path work = Files.createDirectories(dir.resolve("rsyslog-work"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, String.join("\n",
                "global(workDirectory=\"" + work + "\" maxMessageSize=\"256k\")",
                "module(load=\"imtcp\")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + port + "\" ruleset=\"moat\")",
                "template(name=\"moat\" type=\"string\" string=\"%pri%" + SEP + "%protocol-version%" + SEP
                        + "%timereported:::date-rfc3339%" + SEP + "%hostname%" + SEP + "%app-name%" + SEP + "%procid%"
                        + SEP + "%msgid%" + SEP + "%structured-data%" + SEP + "%msg%\\n\")",
                "ruleset(name=\"moat\") {",
                "  action(type=\"omfile\" file=\"" + out + "\" template=\"moat\")",
                "}", ""));
        rsyslogd = new ProcessBuilder(binary, "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            assertThat(rsyslogd.isAlive()).as("rsyslogd exited: " + Files.readString(dir.resolve("rsyslogd.out"))).isTrue();
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime() < deadline).as("rsyslogd does not listen on port " + port).isTrue();
                Thread.sleep(100);
            }
        }
    }

    @Test
    void auditEventsArriveAtRsyslogParsedAsRfc5424() throws Exception {
        String binary = ensureRsyslog();
        int port = freePort();
        Path received = dir.resolve("received.log");
        startRsyslogd(binary, port, received);

        Path audit = dir.resolve("audit.jsonl");
        Path policy = dir.resolve("moat.yaml");
        Files.writeString(policy, "version: 1\nmode: monitor\naudit:\n  file: " + audit
                + "\n  syslog: { host: 127.0.0.1, port: " + port + " }\n");
        ChildJvm.Result r = ChildJvm.hello("policy=" + policy, Map.of());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("syslog:127.0.0.1:" + port).doesNotContain("unreachable");

        List<String> fileLines = Files.readAllLines(audit);
        Map<Long, String> bySequence = new HashMap<>();
        for (String line : fileLines) {
            bySequence.put(JSON.readTree(line).get("event.sequence").asLong(), line);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(received) ? Files.readAllLines(received) : List.of();
            if (lines.size() >= fileLines.size()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(lines).as("rsyslog wrote one message per audit event; rsyslogd said: "
                + Files.readString(dir.resolve("rsyslogd.out"))).hasSize(fileLines.size());

        Pattern sd = Pattern.compile("^\\[moat@32473 seq=\"(\\d+)\" outcome=\"(\\w+)\" hash=\"([0-9a-f]{64})\"]$");
        boolean sawProcessStart = false;
        for (String line : lines) {
            String[] f = line.split(SEP, -1);
            assertThat(f).as(line).hasSize(9);
            assertThat(Integer.parseInt(f[0]) / 8).as("facility: log audit").isEqualTo(13);
            assertThat(f[1]).as("RFC 5424 version").isEqualTo("1");
            assertThat(f[2]).as("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}(Z|\\+00:00)");
            assertThat(f[4]).as("APP-NAME").isEqualTo("moat");
            assertThat(f[5]).as("PROCID").matches("\\d+");
            Matcher m = sd.matcher(f[7]);
            assertThat(m.matches()).as("STRUCTURED-DATA: " + f[7]).isTrue();
            long seq = Long.parseLong(m.group(1));
            String msg = f[8].strip();
            assertThat(msg).as("MSG is the audit line, byte for byte").isEqualTo(bySequence.get(seq));
            JsonNode event = JSON.readTree(msg);
            assertThat(f[6]).as("MSGID").isEqualTo(event.get("event.action").asText());
            assertThat(m.group(3)).isEqualTo(event.get("moat.hash").asText());
            if ("agent-start".equals(f[6])) {
                assertThat(f[5]).as("PROCID is the JVM's pid").isEqualTo(event.get("process.pid").asText());
            }
            sawProcessStart |= "process-start".equals(f[6]);
        }
        assertThat(sawProcessStart).as(String.join("\n", lines)).isTrue();
    }
}

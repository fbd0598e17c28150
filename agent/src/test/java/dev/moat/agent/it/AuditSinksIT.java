package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail of a child JVM under the real agent: verify-audit on the real log, and the application-logger sink. */
@Timeout(180)
class AuditSinksIT {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static ChildJvm.Result verifyAudit(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "verify-audit";
        System.arraycopy(args, 0, command, 1, args.length);
        return ChildJvm.run(Map.of(), List.of("-jar", ChildJvm.agentJar().toString()), command);
    }

    @Test
    void verifyAuditPassesOnARealLogAndNamesTheEditedEventOfACopy() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        Path policy = write("moat.yaml", "version: 1\nmode: monitor\naudit:\n  stderr: false\n");
        for (int run = 0; run < 2; run++) {
            ChildJvm.Result r = ChildJvm.hello("policy=" + policy + ",audit.file=" + audit, Map.of());
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        List<String> lines = Files.readAllLines(audit);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(4);

        ChildJvm.Result ok = verifyAudit(audit.toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.stdout()).startsWith("OK: " + lines.size() + " events in 1 file, hash chain intact")
                .contains("2 agent runs");

        int target = lines.size() - 1;
        while (!lines.get(target).contains("\"process.command_line\":\"true\"")) {
            target--;
        }
        lines.set(target, lines.get(target).replace("\"process.command_line\":\"true\"", "\"process.command_line\":\"tree\""));
        Path edited = write("edited.jsonl", String.join("\n", lines) + "\n");
        ChildJvm.Result ko = verifyAudit(edited.toString());
        assertThat(ko.exitCode()).as(ko.toString()).isEqualTo(1);
        assertThat(ko.stderr()).startsWith("BROKEN: " + edited + ":" + (target + 1) + " (event.sequence ")
                .contains("EDITED: its content does not match its moat.hash");
        assertThat(ko.stdout()).isEmpty();

        List<String> deleted = Files.readAllLines(audit);
        deleted.remove(1);
        Path missing = write("missing.jsonl", String.join("\n", deleted) + "\n");
        ChildJvm.Result gap = verifyAudit(missing.toString());
        assertThat(gap.exitCode()).as(gap.toString()).isEqualTo(1);
        assertThat(gap.stderr()).startsWith("BROKEN: " + missing + ":2 (event.sequence ").containsPattern("MISSING|CHAIN_BROKEN");

        ChildJvm.Result usage = verifyAudit();
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(2);
        ChildJvm.Result absent = verifyAudit(dir.resolve("nope.jsonl").toString());
        assertThat(absent.exitCode()).as(absent.toString()).isEqualTo(2);
    }

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void appLoggerWaitsForTheApplicationsOwnSlf4jAndLogsThroughItsConfiguration() throws Exception {
        // The application: SLF4J + logback with its own logback.xml (to stderr, its own pattern).
        Path config = Files.createDirectories(dir.resolve("app-config"));
        Files.writeString(config.resolve("logback.xml"), """
                <configuration>
                  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>APPLOG %logger %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="ERR"/></root>
                </configuration>
                """);
        String classPath = String.join(File.pathSeparator, ChildJvm.testClasses().toString(), config.toString(),
                jarOf(org.slf4j.LoggerFactory.class), jarOf(ch.qos.logback.classic.Logger.class),
                jarOf(ch.qos.logback.core.Appender.class));
        Path audit = dir.resolve("audit.jsonl");
        Path policy = write("moat.yaml", "version: 1\nmode: monitor\naudit:\n  file: " + audit
                + "\n  appLogger: true\n");
        ChildJvm.Result r = ChildJvm.run(Map.of(), List.of("-javaagent:" + ChildJvm.agentJar() + "=policy=" + policy,
                "-cp", classPath), AppWithSlf4j.class.getName());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).as("stdout is the stdio MCP transport").isEmpty();
        List<String> err = r.stderr().lines().toList();
        // Printed on plain stderr just before the application initialises SLF4J: no mcp.audit line can come
        // before it (the order after it, between the app's first line and Moat's backlog, is a race).
        int started = err.indexOf("APP initialising SLF4J");
        assertThat(started).as(r.toString()).isNotNegative();
        assertThat(err).as(r.toString()).contains("APPLOG app application started");
        int agentStart = indexOf(err, "APPLOG mcp.audit {\"@timestamp\"", "\"event.action\":\"agent-start\"");
        int processStart = indexOf(err, "APPLOG mcp.audit {\"@timestamp\"", "\"event.action\":\"process-start\"");
        assertThat(agentStart).as("agent-start went to the application's logger, once it had initialised it: "
                + r).isGreaterThan(started);
        assertThat(processStart).as(r.toString()).isPositive();
        assertThat(r.stderr()).doesNotContain("has no SLF4J");

        // Moat's own file sink is untouched by the application's logback.xml and its chain verifies.
        assertThat(Files.readAllLines(audit)).allMatch(l -> l.startsWith("{\"@timestamp\""));
        String agentStartLine = err.get(agentStart).substring("APPLOG mcp.audit ".length());
        assertThat(Files.readAllLines(audit)).contains(agentStartLine);
        ChildJvm.Result ok = verifyAudit(audit.toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
    }

    @Test
    void appLoggerSaysOnceWhenTheApplicationHasNoSlf4j() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        Path policy = write("moat.yaml", "version: 1\nmode: monitor\naudit:\n  file: " + audit
                + "\n  appLogger: true\n");
        ChildJvm.Result r = ChildJvm.hello("policy=" + policy, Map.of());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr().split("the application has no SLF4J", -1)).as(r.toString()).hasSize(2);
        assertThat(Files.readString(audit)).contains("\"event.action\":\"agent-start\"");
    }

    private static int indexOf(List<String> lines, String prefix, String contains) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix) && lines.get(i).contains(contains)) {
                return i;
            }
        }
        return -1;
    }
}

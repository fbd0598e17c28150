package dev.moat.demo.e2e;

import static dev.moat.demo.e2e.AuditEvents.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One audit event per tool call, with the right outcome, for every way a call can end: success, an
 * error result, a tool denied by the policy, an unknown tool, a process start denied inside the call,
 * and a call still running when the server stops (cancelled) — over stdio and streamable HTTP, with
 * the demo server in a child JVM under the agent and the SDK's real client. Over HTTP the events say
 * who called (remote address, user agent) and carry only a short hash of a bearer token. Concurrent
 * calls each see only the process they started themselves.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ToolCallAuditEndToEndIT {

    private static final String TOKEN = "e2e-secret-token-" + Long.toString(System.nanoTime(), 36);

    /** Enforce: delete_file denied; /bin/sh may run sleep and nothing else. */
    private static final String ENFORCE = """
            version: 1
            mode: enforce
            audit:
              stderr: false
            process:
              allow:
                - { executable: /bin/sh, args: "^-c sleep [0-9]+$" }
            tools:
              delete_file:
                deny: true
            """;

    @TempDir
    Path tmp;

    @Test
    void everyOutcomeIsOneEventOverStdio() throws Exception {
        everyOutcomeIsOneEvent(false);
    }

    @Test
    void everyOutcomeIsOneEventOverHttpWithTheCallerAndOnlyAHashOfTheBearerToken() throws Exception {
        everyOutcomeIsOneEvent(true);
    }

    private void everyOutcomeIsOneEvent(boolean http) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        Files.writeString(work.resolve("keep.txt"), "precious");
        Path audit = tmp.resolve("audit.jsonl");
        DemoServerLaunch launch = DemoServerLaunch.create().workingDirectory(work)
                .agentArgs("policy=" + policy(ENFORCE) + ",audit.file=" + audit);
        try (McpConnection mcp = http ? McpConnection.http(launch, Map.of("Authorization", "Bearer " + TOKEN))
                : McpConnection.stdio(launch)) {
            assertThat(mcp.call("search", Map.of("query", "hello")).isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(mcp.call("read_file", Map.of("path", "missing.txt")).isError()).isTrue();
            CallToolResult denied = mcp.call("delete_file", Map.of("path", "keep.txt"));
            assertThat(McpConnection.text(denied)).contains("Moat denied tool 'delete_file'");
            assertThatThrownBy(() -> mcp.call("no_such_tool", Map.of())).hasMessageContaining("Unknown tool");
            CallToolResult echo = mcp.call("run_command", Map.of("command", "echo hi"));
            assertThat(echo.isError()).isTrue();
            assertThat(McpConnection.text(echo)).contains("Moat denied starting").contains("process.allow");
            assertThat(work.resolve("keep.txt")).hasContent("precious");

            // a call still running when the server stops
            Thread caller = new Thread(() -> {
                try {
                    mcp.call("run_command", Map.of("command", "sleep 25"));
                } catch (RuntimeException expected) {
                    // the server goes away under it
                }
            }, "e2e-long-call");
            caller.setDaemon(true);
            caller.start();
            AuditEvents.await(audit, e -> "process-start".equals(text(e, "event.action"))
                    && "/bin/sh -c sleep 25".equals(text(e, "process.command_line")), 1);
            ProcessHandle server = mcp.process().orElseThrow();
            List<ProcessHandle> children = server.descendants().toList();
            server.destroy(); // SIGTERM: shutdown hooks run, the call has not finished
            server.onExit().get(30, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
        }

        JsonNode search = single(audit, "search", null);
        assertThat(text(search, "event.outcome")).isEqualTo("success");
        assertThat(text(search, "moat.call.outcome")).isEqualTo("allowed");
        assertThat(text(search, "moat.decision")).isEqualTo("allow");
        assertThat(search.get("event.duration").asLong()).isPositive();
        assertThat(search.get("mcp.result.chars").asLong()).isPositive();
        assertThat(text(search, "event.id")).hasSize(36);

        JsonNode missing = single(audit, "read_file", null);
        assertThat(text(missing, "event.outcome")).isEqualTo("failure");
        assertThat(text(missing, "moat.call.outcome")).isEqualTo("error");
        assertThat(text(missing, "error.message")).contains("missing.txt");

        JsonNode delete = single(audit, "delete_file", null);
        assertThat(text(delete, "event.outcome")).isEqualTo("failure");
        assertThat(text(delete, "moat.call.outcome")).isEqualTo("denied");
        assertThat(text(delete, "moat.decision")).isEqualTo("deny");
        assertThat(text(delete, "rule.id")).isEqualTo("tools.delete_file.deny");

        JsonNode unknown = single(audit, "no_such_tool", null);
        assertThat(text(unknown, "event.outcome")).isEqualTo("failure");
        assertThat(text(unknown, "moat.call.outcome")).isEqualTo("error");
        assertThat(text(unknown, "error.message")).contains("Unknown tool");

        JsonNode echo = single(audit, "run_command", "echo hi");
        assertThat(text(echo, "event.outcome")).isEqualTo("failure");
        assertThat(processTouches(echo)).hasSize(1);
        JsonNode touch = processTouches(echo).get(0);
        assertThat(text(touch, "kind")).isEqualTo("process");
        assertThat(text(touch, "target")).isEqualTo("/bin/sh -c echo hi");
        assertThat(text(touch, "decision")).isEqualTo("deny");
        assertThat(text(touch, "rule")).isEqualTo("process.allow");
        JsonNode deniedStart = AuditEvents.await(audit, e -> "process-start".equals(text(e, "event.action"))
                && "/bin/sh -c echo hi".equals(text(e, "process.command_line")), 1).get(0);
        assertThat(text(deniedStart, "moat.decision")).isEqualTo("deny");
        assertThat(text(deniedStart, "moat.call.id")).isEqualTo(text(echo, "event.id"));

        JsonNode sleep = single(audit, "run_command", "sleep 25");
        assertThat(text(sleep, "event.outcome")).isEqualTo("unknown");
        assertThat(sleep.get("moat.call.cancelled").asBoolean()).isTrue();
        assertThat(text(sleep, "moat.call.outcome")).isEqualTo("cancelled");
        assertThat(processTouches(sleep)).hasSize(1);
        assertThat(text(processTouches(sleep).get(0), "decision")).isEqualTo("allow");

        for (JsonNode event : List.of(search, missing, delete, unknown, echo, sleep)) {
            assertThat(text(event, "mcp.session.id")).as(event.toString()).isNotBlank();
            assertThat(text(event, "mcp.client.name")).as(event.toString()).isEqualTo("moat-e2e");
            if (http) {
                assertThat(text(event, "client.ip")).as(event.toString()).isEqualTo("127.0.0.1");
                assertThat(event.get("client.port").asInt()).isPositive();
                assertThat(text(event, "user_agent.original")).as(event.toString()).isNotBlank();
                assertThat(text(event, "moat.client.auth_scheme")).isEqualTo("Bearer");
                assertThat(text(event, "moat.client.token.sha256")).isEqualTo(sha256(TOKEN).substring(0, 16));
            } else {
                assertThat(event.has("client.ip")).as(event.toString()).isFalse();
            }
        }
        assertThat(Files.readString(audit)).doesNotContain(TOKEN);
    }

    @Test
    void concurrentCallsEachSeeOnlyTheProcessTheyStarted() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        DemoServerLaunch launch = DemoServerLaunch.create().workingDirectory(tmp)
                .agentArgs("policy=" + policy("version: 1\nmode: monitor\naudit:\n  stderr: false\n")
                        + ",audit.file=" + audit);
        try (McpConnection mcp = McpConnection.stdio(launch)) {
            List<CompletableFuture<CallToolResult>> calls = new ArrayList<>();
            for (String marker : List.of("moat-left", "moat-right")) {
                CompletableFuture<CallToolResult> call = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    try {
                        call.complete(mcp.call("run_command", Map.of("command", "sleep 1; echo " + marker)));
                    } catch (RuntimeException e) {
                        call.completeExceptionally(e);
                    }
                }, "e2e-" + marker);
                t.setDaemon(true);
                t.start();
                calls.add(call);
            }
            assertThat(McpConnection.text(calls.get(0).get(60, TimeUnit.SECONDS))).contains("moat-left");
            assertThat(McpConnection.text(calls.get(1).get(60, TimeUnit.SECONDS))).contains("moat-right");
        }
        List<JsonNode> events = AuditEvents.awaitToolCalls(audit, 2);
        assertThat(events).hasSize(2);
        for (JsonNode event : events) {
            String marker = event.get("mcp.tool.arguments").get("command").asString().replace("sleep 1; echo ", "");
            List<JsonNode> touched = processTouches(event);
            assertThat(touched).as(event.toString()).hasSize(1);
            assertThat(text(touched.get(0), "target")).isEqualTo("/bin/sh -c sleep 1; echo " + marker);
            assertThat(text(touched.get(0), "decision")).as("monitor mode, no process section").isEqualTo("would-deny");
        }
        assertThat(text(events.get(0), "event.id")).isNotEqualTo(text(events.get(1), "event.id"));
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** The process starts in a call's summary (file and network touches left out). */
    private static List<JsonNode> processTouches(JsonNode event) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode touch : event.path("moat.touched")) {
            if ("process".equals(text(touch, "kind"))) {
                out.add(touch);
            }
        }
        return out;
    }

    private Path policy(String yaml) throws IOException {
        Path file = tmp.resolve("policy-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The one tool-call event of {@code tool} (whose {@code command} argument is {@code command}, if given). */
    private static JsonNode single(Path audit, String tool, String command) throws Exception {
        Predicate<JsonNode> match = e -> "tool-call".equals(text(e, "event.action")) && tool.equals(text(e, "mcp.tool.name"))
                && (command == null || command.equals(e.path("mcp.tool.arguments").path("command").asString("")));
        AuditEvents.await(audit, match, 1);
        List<JsonNode> events = AuditEvents.read(audit, match);
        assertThat(events).as("tool-call events of " + tool + (command == null ? "" : " " + command)).hasSize(1);
        return events.get(0);
    }




    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

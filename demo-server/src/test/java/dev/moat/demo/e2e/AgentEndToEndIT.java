package dev.moat.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The demo server in a child JVM under the real agent jar, driven by the SDK's real MCP client over
 * stdio and streamable HTTP: the agent attaches without changing what the server does, every tool
 * call is audited, a denied tool never runs, stdout stays pure JSON-RPC, and a broken policy either
 * stops the JVM (fail closed) or runs it unprotected and says so (failOpen).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentEndToEndIT {

    private static HttpServer loopback;
    private static String loopbackUrl;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startLoopbackServer() throws IOException {
        loopback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        loopback.createContext("/", exchange -> {
            byte[] body = "loopback says hi".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        loopback.start();
        loopbackUrl = "http://127.0.0.1:" + loopback.getAddress().getPort() + "/";
    }

    @AfterAll
    static void stopLoopbackServer() {
        loopback.stop(0);
    }

    private Path policy(String yaml) throws IOException {
        Path file = tmp.resolve("policy-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String AUDIT_ONLY = "version: 1\nmode: monitor\naudit:\n  stderr: false\n"
            + "tools:\n  get_env:\n    recordArguments: false\n";

    /** Every tool under an audit-only policy; one audit event per call with the right outcome. */
    private void everyToolWorksAndIsAudited(boolean http) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        Path audit = tmp.resolve("audit.jsonl");
        DemoServerLaunch launch = DemoServerLaunch.create().workingDirectory(work)
                .env("MOAT_E2E_SECRET_VALUE", "s3")
                .agentArgs("policy=" + policy(AUDIT_ONLY) + ",audit.file=" + audit);
        try (McpConnection mcp = http ? McpConnection.http(launch) : McpConnection.stdio(launch)) {
            assertThat(mcp.toolNames()).containsExactlyInAnyOrder("read_file", "write_file", "delete_file",
                    "list_directory", "search", "fetch_url", "run_command", "transfer_funds", "get_env");

            assertOk(mcp.call("write_file", Map.of("path", "notes.txt", "content", "hello")));
            assertThat(McpConnection.text(mcp.call("read_file", Map.of("path", "notes.txt")))).contains("hello");
            assertThat(McpConnection.text(mcp.call("list_directory", Map.of("path", ".")))).contains("notes.txt");
            assertOk(mcp.call("delete_file", Map.of("path", "notes.txt")));
            assertThat(McpConnection.text(mcp.call("search", Map.of("query", "<b>x</b>")))).contains("<b>x</b>");
            assertThat(McpConnection.text(mcp.call("fetch_url", Map.of("url", loopbackUrl)))).contains("loopback says hi");
            assertThat(McpConnection.text(mcp.call("run_command", Map.of("command", "echo moat-e2e")))).contains("moat-e2e");
            assertOk(mcp.call("transfer_funds", Map.of("from_account", "alice", "to_account", "bob", "amount", 5)));
            assertThat(McpConnection.text(mcp.call("get_env", Map.of("name", "MOAT_E2E_SECRET_VALUE")))).contains("s3");
            CallToolResult failed = mcp.call("read_file", Map.of("path", "does-not-exist.txt"));
            assertThat(failed.isError()).isTrue();

            assertThat(mcp.stderr().text()).contains("moat: Moat ").contains("mode monitor")
                    .contains("moat: hook mcp-tool-call: applied to io.modelcontextprotocol.server.McpAsyncServer");

            // Over HTTP a call's event is written when its Mono ends, which may trail the answer: order by name.
            List<JsonNode> calls = AuditEvents.awaitToolCalls(audit, 10);
            assertThat(calls).extracting(e -> e.get("mcp.tool.name").asString()).containsExactlyInAnyOrder("write_file",
                    "read_file", "list_directory", "delete_file", "search", "fetch_url", "run_command",
                    "transfer_funds", "get_env", "read_file");
            List<JsonNode> failures = calls.stream().filter(e -> e.get("event.outcome").asString().equals("failure"))
                    .toList();
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0).get("mcp.tool.name").asString()).isEqualTo("read_file");
            for (JsonNode call : calls) {
                if (call != failures.get(0)) {
                    assertThat(call.get("event.outcome").asString()).as(call.toString()).isEqualTo("success");
                }
                assertThat(call.get("moat.decision").asString()).isEqualTo("allow");
                assertThat(call.get("event.duration").asLong()).isPositive();
                assertThat(call.get("mcp.session.id").asString()).isNotBlank();
                assertThat(call.get("mcp.client.name").asString()).isNotBlank();
            }
            assertThat(byName(calls, "write_file").get("mcp.tool.arguments").get("path").asString()).isEqualTo("notes.txt");
            assertThat(byName(calls, "get_env").get("mcp.tool.arguments").asString()).isEqualTo("[NOT RECORDED]");
            String all = Files.readString(audit);
            assertThat(all).contains("\"event.action\":\"agent-start\"").contains("\"event.action\":\"process-start\"");
        }
    }

    @Test
    void everyToolWorksAndIsAuditedOverStdio() throws Exception {
        everyToolWorksAndIsAudited(false);
    }

    @Test
    void everyToolWorksAndIsAuditedOverHttp() throws Exception {
        everyToolWorksAndIsAudited(true);
    }

    @Test
    void aDeniedToolNeverRunsAndTheCallerIsToldWhy() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        Path victim = Files.writeString(work.resolve("keep.txt"), "precious");
        Path audit = tmp.resolve("audit.jsonl");
        DemoServerLaunch launch = DemoServerLaunch.create().workingDirectory(work).agentArgs("policy="
                + policy("version: 1\nmode: enforce\naudit:\n  stderr: false\ntools:\n  delete_file:\n    deny: true\n")
                + ",audit.file=" + audit);
        try (McpConnection mcp = McpConnection.stdio(launch)) {
            CallToolResult denied = mcp.call("delete_file", Map.of("path", "keep.txt"));
            assertThat(denied.isError()).isTrue();
            assertThat(McpConnection.text(denied)).contains("Moat denied tool 'delete_file'")
                    .contains("tools.delete_file.deny");
            assertThat(victim).exists().hasContent("precious");
            JsonNode event = AuditEvents.awaitToolCalls(audit, 1).get(0);
            assertThat(event.get("moat.decision").asString()).isEqualTo("deny");
            assertThat(event.get("event.outcome").asString()).isEqualTo("failure");
            assertThat(event.get("rule.id").asString()).isEqualTo("tools.delete_file.deny");
        }
    }

    @Test
    void monitorModeRecordsTheDenialButLetsTheCallRun() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        Files.writeString(work.resolve("gone.txt"), "x");
        Path audit = tmp.resolve("audit.jsonl");
        DemoServerLaunch launch = DemoServerLaunch.create().workingDirectory(work).agentArgs("policy="
                + policy("version: 1\nmode: enforce\naudit:\n  stderr: false\ntools:\n  delete_file:\n    deny: true\n")
                + ",mode=monitor,audit.file=" + audit);
        try (McpConnection mcp = McpConnection.stdio(launch)) {
            assertOk(mcp.call("delete_file", Map.of("path", "gone.txt")));
            assertThat(work.resolve("gone.txt")).doesNotExist();
            assertThat(AuditEvents.awaitToolCalls(audit, 1).get(0).get("moat.decision").asString()).isEqualTo("would-deny");
        }
    }

    @Test
    void stdoutCarriesOnlyJsonRpcUnderTheAgent() throws Exception {
        DemoServerLaunch launch = DemoServerLaunch.create().workingDirectory(tmp)
                .agentArgs("policy=" + policy(AUDIT_ONLY.replace("stderr: false", "stderr: true")));
        try (RawStdioSession session = RawStdioSession.start(launch)) {
            JsonNode tools = session.handshake();
            assertThat(tools.get("result").get("tools").size()).isEqualTo(9);
            session.request(3, "tools/call", Map.of("name", "search", "arguments", Map.of("query", "q")));
            session.awaitResponse(3);
            OptionalInt exit = session.closeStdinAndAwaitExit(Duration.ofSeconds(30));
            assertThat(exit).hasValue(0);
            assertThat(session.stdoutLines()).isNotEmpty().allMatch(RawStdioSession::isJsonRpcMessage);
            assertThat(session.stderr().text()).contains("moat: Moat ").contains("\"event.action\":\"tool-call\"");
        }
    }

    @Test
    void aMalformedPolicyStopsTheServerBeforeItStarts() throws Exception {
        Path bad = policy("version: 1\nmode: enforce\ntools:\n  delete_file:\n    deny: maybe\n");
        try (DemoServerProcess server = DemoServerProcess.start(
                DemoServerLaunch.create().workingDirectory(tmp).agentArgs("policy=" + bad), "--transport", "stdio")) {
            OptionalInt exit = server.awaitExit(Duration.ofSeconds(60));
            assertThat(exit).hasValue(78);
            assertThat(server.stderr().text()).contains("moat: FATAL: policy error: " + bad + ":5:")
                    .contains("tools.delete_file.deny");
            assertThat(server.stdout().lines()).isEmpty();
        }
    }

    @Test
    void failOpenRunsTheServerUnprotectedAndSaysSo() throws Exception {
        Path bad = policy("version: 1\nmode: enforce\nunknownKey: 1\n");
        Path audit = tmp.resolve("audit.jsonl");
        DemoServerLaunch launch = DemoServerLaunch.create().workingDirectory(tmp)
                .agentArgs("policy=" + bad + ",failOpen=true,audit.file=" + audit);
        try (McpConnection mcp = McpConnection.stdio(launch)) {
            assertOk(mcp.call("search", Map.of("query", "still works")));
            assertThat(mcp.stderr().text()).contains("is NOT protecting this JVM (failOpen=true)")
                    .contains("unknownKey");
            assertThat(Files.readString(audit)).contains("\"event.action\":\"agent-unprotected\"");
        }
    }

    private static void assertOk(CallToolResult result) {
        assertThat(result.isError()).as(McpConnection.text(result)).isNotEqualTo(Boolean.TRUE);
    }

    private static JsonNode byName(List<JsonNode> calls, String tool) {
        return calls.stream().filter(e -> e.get("mcp.tool.name").asString().equals(tool)).findFirst().orElseThrow();
    }
}

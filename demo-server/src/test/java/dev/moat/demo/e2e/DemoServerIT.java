package dev.moat.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The demo server, without the agent, in a child JVM driven by the SDK's real MCP client over stdio and
 * over streamable HTTP: every tool works as (unsafely) designed. Also the raw stdio contract (stdout is
 * JSON-RPC only, exit on end of stdin) and the command line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoServerIT {

    private static final String ENV_NAME = "MOAT_E2E_SAMPLE";
    private static final String ENV_VALUE = "value-from-the-test-" + ProcessHandle.current().pid();

    private static HttpServer target;
    private static String targetBase;

    @BeforeAll
    static void startFetchTarget() throws IOException {
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/hello", exchange -> {
            byte[] body = "hello from the test's loopback server".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/hello");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        target.start();
        targetBase = "http://127.0.0.1:" + target.getAddress().getPort();
    }

    @AfterAll
    static void stopFetchTarget() {
        target.stop(0);
    }

    /** The tool contract over stdio. */
    @Nested
    class OverStdio extends ToolContract {
        @Override
        McpConnection connect(DemoServerLaunch launch) {
            return McpConnection.stdio(launch);
        }
    }

    /** The tool contract over streamable HTTP. */
    @Nested
    class OverHttp extends ToolContract {
        @Override
        McpConnection connect(DemoServerLaunch launch) throws Exception {
            return McpConnection.http(launch);
        }

        @Test
        void listensOnLoopback() {
            assertThat(mcp.endpoint()).hasValueSatisfying(e -> assertThat(e).matches("http://127\\.0\\.0\\.1:\\d+/mcp"));
        }
    }

    /** Every tool, through a real MCP client, against one server per transport. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class ToolContract {

        /** The server's working directory (a {@code @TempDir} field is not yet injected in {@code @BeforeAll}). */
        Path workDir;

        McpConnection mcp;

        abstract McpConnection connect(DemoServerLaunch launch) throws Exception;

        @BeforeAll
        void startServer() throws Exception {
            workDir = Files.createTempDirectory("moat-e2e-").toRealPath();
            mcp = connect(DemoServerLaunch.create().workingDirectory(workDir).env(ENV_NAME, ENV_VALUE));
        }

        @AfterAll
        void stopServer() {
            if (mcp != null) {
                mcp.close();
            }
            if (workDir != null) {
                try (Stream<Path> tree = Files.walk(workDir)) {
                    tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // best effort: it is a temp directory
                }
            }
        }

        @Test
        void listsTheNineToolsWithTheirArguments() {
            Map<String, Object> required = mcp.client().listTools().tools().stream()
                    .collect(Collectors.toMap(Tool::name, t -> t.inputSchema().get("required"),
                            (a, b) -> a, LinkedHashMap::new));
            assertThat(required).containsOnly(
                    Map.entry("read_file", List.of("path")),
                    Map.entry("write_file", List.of("path", "content")),
                    Map.entry("delete_file", List.of("path")),
                    Map.entry("list_directory", List.of("path")),
                    Map.entry("search", List.of("query")),
                    Map.entry("fetch_url", List.of("url")),
                    Map.entry("run_command", List.of("command")),
                    Map.entry("transfer_funds", List.of("from_account", "to_account", "amount")),
                    Map.entry("get_env", List.of("name")));
            assertThat(mcp.client().getServerInfo().name()).isEqualTo("moat-demo-server");
        }

        @Test
        void fileToolsWriteReadListAndDelete() throws IOException {
            Path dir = Files.createDirectories(workDir.resolve("files"));
            Path file = dir.resolve("note.txt");

            assertOk(mcp.call("write_file", Map.of("path", file.toString(), "content", "written over MCP")))
                    .isEqualTo("Wrote 16 bytes to " + file);
            assertThat(file).hasContent("written over MCP");
            assertOk(mcp.call("read_file", Map.of("path", file.toString()))).isEqualTo("written over MCP");
            assertOk(mcp.call("list_directory", Map.of("path", dir.toString()))).isEqualTo("note.txt");
            assertOk(mcp.call("delete_file", Map.of("path", file.toString()))).isEqualTo("Deleted " + file);
            assertThat(file).doesNotExist();
            assertOk(mcp.call("list_directory", Map.of("path", dir.toString()))).isEmpty();
        }

        @Test
        void relativePathsResolveAgainstTheServersWorkingDirectory() throws IOException {
            Files.createDirectories(workDir.resolve("workspace"));
            Files.writeString(workDir.resolve("outside.txt"), "outside the workspace");
            Files.writeString(workDir.resolve("workspace/inside.txt"), "inside");

            assertOk(mcp.call("read_file", Map.of("path", "workspace/inside.txt"))).isEqualTo("inside");
            assertOk(mcp.call("read_file", Map.of("path", "workspace/../outside.txt")))
                    .isEqualTo("outside the workspace");
        }

        @Test
        void searchEchoesTheQueryUnescaped() {
            String payload = "<script>alert(document.cookie)</script>";
            assertOk(mcp.call("search", Map.of("query", payload)))
                    .startsWith("<p>Results for <b>" + payload + "</b></p>")
                    .contains("<ul>");
        }

        @Test
        void fetchUrlFetchesLoopbackAndFollowsRedirects() {
            assertOk(mcp.call("fetch_url", Map.of("url", targetBase + "/moved")))
                    .isEqualTo("HTTP 200\n\nhello from the test's loopback server");
        }

        @Test
        void runCommandRunsAShellCommand() {
            assertOk(mcp.call("run_command", Map.of("command", "echo hi"))).isEqualTo("exit code: 0\nhi\n");
        }

        @Test
        void transferFundsMovesMoneyAndChecksBalances() {
            assertOk(mcp.call("transfer_funds", Map.of("from_account", "alice", "to_account", "mallory", "amount", 100)))
                    .isEqualTo("Transferred 100.00 from alice to mallory. New balances: alice=900.00, mallory=100.00");
            assertOk(mcp.call("transfer_funds", Map.of("from_account", "mallory", "to_account", "bob", "amount", 0.5)))
                    .isEqualTo("Transferred 0.50 from mallory to bob. New balances: mallory=99.50, bob=500.50");

            assertError(mcp.call("transfer_funds", Map.of("from_account", "mallory", "to_account", "bob", "amount", 1000)))
                    .isEqualTo("insufficient funds: mallory has 99.50, needs 1000.00");
            assertError(mcp.call("transfer_funds", Map.of("from_account", "alice", "to_account", "eve", "amount", 1)))
                    .isEqualTo("unknown account: eve");
            assertError(mcp.call("transfer_funds", Map.of("from_account", "alice", "to_account", "bob", "amount", -3)))
                    .contains("must be positive");
            // balances unchanged by the failed transfers
            assertOk(mcp.call("transfer_funds", Map.of("from_account", "alice", "to_account", "bob", "amount", 0.01)))
                    .endsWith("alice=899.99, bob=500.51");
        }

        @Test
        void getEnvReadsTheServersEnvironment() {
            assertOk(mcp.call("get_env", Map.of("name", ENV_NAME))).isEqualTo(ENV_VALUE);
            assertError(mcp.call("get_env", Map.of("name", "MOAT_E2E_SURELY_UNSET"))).contains("is not set");
        }

        @Test
        void toolFailuresAreErrorResultsAndTheSessionSurvives() {
            assertError(mcp.call("read_file", Map.of("path", workDir.resolve("missing.txt").toString())))
                    .startsWith("FileNotFoundException: ");
            assertError(mcp.call("list_directory", Map.of("path", workDir.resolve("missing").toString())))
                    .startsWith("not a directory");
            assertOk(mcp.call("search", Map.of("query", "still alive"))).contains("still alive");
        }

        @Test
        void missingRequiredArgumentsAreRejected() {
            CallToolResult result = mcp.call("read_file", Map.of());
            assertThat(result.isError()).isTrue();
            assertThat(McpConnection.text(result)).contains("path");
        }
    }

    @Test
    void stdoutCarriesJsonRpcOnlyAndTheServerExitsWhenStdinCloses() throws Exception {
        try (RawStdioSession raw = RawStdioSession.start(DemoServerLaunch.create())) {
            JsonNode tools = raw.handshake();
            assertThat(tools.path("result").path("tools").size()).isEqualTo(9);

            raw.request(3, "tools/call", Map.of("name", "search", "arguments", Map.of("query", "<i>x</i>")));
            assertThat(raw.awaitResponse(3).path("result").path("content").get(0).path("text").asString())
                    .contains("<b><i>x</i></b>");
            raw.request(4, "tools/call", Map.of("name", "read_file", "arguments", Map.of("path", "/nonexistent/x")));
            assertThat(raw.awaitResponse(4).path("result").path("isError").asBoolean()).isTrue();

            assertThat(raw.closeStdinAndAwaitExit(Duration.ofSeconds(30))).hasValue(0);
            assertThat(raw.stdoutLines()).hasSize(4).allMatch(RawStdioSession::isJsonRpcMessage);
        }
    }

    @Test
    void badCommandLinesExitWithStatus2AndAMessage() throws Exception {
        try (DemoServerProcess p = DemoServerProcess.start(DemoServerLaunch.create(), "--transport", "carrier-pigeon")) {
            assertThat(p.awaitExit(Duration.ofSeconds(30))).hasValue(2);
            assertThat(p.stderr().text()).contains("unknown transport 'carrier-pigeon'").contains("usage:");
            assertThat(p.stdout().lines()).isEmpty();
        }
        try (DemoServerProcess p = DemoServerProcess.start(DemoServerLaunch.create(), "--transport", "http", "--port", "x")) {
            assertThat(p.awaitExit(Duration.ofSeconds(30))).hasValue(2);
            assertThat(p.stderr().text()).contains("invalid port 'x'");
        }
    }

    private static org.assertj.core.api.AbstractStringAssert<?> assertOk(CallToolResult result) {
        assertThat(result.isError()).as("isError of %s", McpConnection.text(result)).isFalse();
        return assertThat(McpConnection.text(result));
    }

    private static org.assertj.core.api.AbstractStringAssert<?> assertError(CallToolResult result) {
        assertThat(result.isError()).as("isError of %s", McpConnection.text(result)).isTrue();
        return assertThat(McpConnection.text(result));
    }
}

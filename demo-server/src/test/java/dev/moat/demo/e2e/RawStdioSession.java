package dev.moat.demo.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo server over stdio without the SDK client: the test writes JSON-RPC lines to the child's stdin
 * and sees every raw line of its stdout, so it can assert that stdout carries JSON-RPC and nothing else
 * (an agent that prints a banner to stdout breaks every stdio MCP client).
 *
 * <pre>{@code
 * try (RawStdioSession raw = RawStdioSession.start(DemoServerLaunch.create().withAgent())) {
 *     JsonNode tools = raw.handshake();                       // initialize, initialized, tools/list
 *     raw.request(3, "tools/call", Map.of("name", "search", "arguments", Map.of("query", "x")));
 *     JsonNode result = raw.awaitResponse(3);
 *     raw.closeStdinAndAwaitExit(Duration.ofSeconds(20));
 *     assertThat(raw.stdoutLines()).allMatch(RawStdioSession::isJsonRpcMessage);
 * }
 * }</pre>
 */
public final class RawStdioSession implements AutoCloseable {

    /** The protocol version the handshake asks for. */
    public static final String PROTOCOL_VERSION = "2025-06-18";

    private static final JsonMapper JSON = JsonMapper.shared();

    private final DemoServerProcess process;
    private final Duration timeout;

    private RawStdioSession(DemoServerProcess process, Duration timeout) {
        this.process = process;
        this.timeout = timeout;
    }

    /** Starts {@code java [agent] -jar moat-demo-server.jar --transport stdio} with piped stdio. */
    public static RawStdioSession start(DemoServerLaunch launch) throws IOException {
        return new RawStdioSession(DemoServerProcess.start(launch, "--transport", "stdio"), launch.startupTimeout());
    }

    /** Sends one raw line to the server's stdin. */
    public void send(String line) {
        process.writeLine(line);
    }

    /** Sends a JSON-RPC request. {@code params} may be null. */
    public void request(int id, String method, Object params) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("id", id);
        message.put("method", method);
        if (params != null) {
            message.put("params", params);
        }
        send(JSON.writeValueAsString(message));
    }

    /** Sends a JSON-RPC notification. {@code params} may be null. */
    public void notify(String method, Object params) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        if (params != null) {
            message.put("params", params);
        }
        send(JSON.writeValueAsString(message));
    }

    /** Waits (bounded by the launch's startup timeout) for the response with this id and returns it whole. */
    public JsonNode awaitResponse(int id) throws InterruptedException {
        String line = process.stdout().awaitOrFail(l -> hasId(l, id), timeout,
                "JSON-RPC response with id " + id + " on stdout (stderr:\n" + process.stderr().text() + "\n)");
        return JSON.readTree(line);
    }

    /**
     * The usual opening: {@code initialize} (id 1), {@code notifications/initialized}, {@code tools/list}
     * (id 2).
     *
     * @return the {@code tools/list} response
     */
    public JsonNode handshake() throws InterruptedException {
        request(1, "initialize", Map.of(
                "protocolVersion", PROTOCOL_VERSION,
                "capabilities", Map.of(),
                "clientInfo", Map.of("name", "moat-e2e-raw", "version", "1.0")));
        JsonNode initialized = awaitResponse(1);
        if (!initialized.has("result")) {
            throw new AssertionError("initialize failed: " + initialized);
        }
        notify("notifications/initialized", null);
        request(2, "tools/list", Map.of());
        return awaitResponse(2);
    }

    /** Every stdout line so far. */
    public List<String> stdoutLines() {
        return process.stdout().lines();
    }

    /** The child's stderr. */
    public LineBuffer stderr() {
        return process.stderr();
    }

    /** The underlying child process. */
    public DemoServerProcess process() {
        return process;
    }

    /** Closes stdin (the server should exit on its own) and waits for the exit code, bounded. */
    public OptionalInt closeStdinAndAwaitExit(Duration timeout) throws InterruptedException {
        process.closeStdin();
        return process.awaitExit(timeout);
    }

    /** Whether a line is one JSON-RPC 2.0 message: a JSON object with {@code "jsonrpc": "2.0"}. */
    public static boolean isJsonRpcMessage(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node.isObject() && "2.0".equals(node.path("jsonrpc").asString(null))
                    && (node.has("method") || node.has("result") || node.has("error"));
        } catch (JacksonException e) {
            return false;
        }
    }

    /** Kills the child. */
    @Override
    public void close() {
        process.close();
    }

    private static boolean hasId(String line, int id) {
        try {
            JsonNode node = JSON.readTree(line);
            return node.isObject() && node.path("id").isNumber() && node.path("id").asInt() == id
                    && (node.has("result") || node.has("error"));
        } catch (JacksonException e) {
            return false;
        }
    }
}

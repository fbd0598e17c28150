package dev.moat.demo.e2e;

import dev.moat.demo.client.DirectoryStdioClientTransport;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The demo server in a child JVM, connected through the SDK's real MCP client and already initialized.
 * {@link #close()} closes the client and always kills the child.
 *
 * <pre>{@code
 * try (McpConnection mcp = McpConnection.stdio(DemoServerLaunch.create().agentArgs("audit.file=" + audit))) {
 *     CallToolResult r = mcp.call("read_file", Map.of("path", "../secret.txt"));
 *     assertThat(r.isError()).isTrue();
 *     assertThat(McpConnection.text(r)).contains("denied");
 *     assertThat(mcp.stderr().linesStartingWith("moat")).isNotEmpty();
 * }
 * }</pre>
 */
public final class McpConnection implements AutoCloseable {

    private static final Pattern LISTENING =
            Pattern.compile("moat-demo-server listening on (http://127\\.0\\.0\\.1:(\\d+))(/mcp)");
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final McpSyncClient client;
    private final LineBuffer stderr;
    private final ProcessHandle process;
    private final DemoServerProcess httpProcess;
    private final String endpoint;

    private McpConnection(McpSyncClient client, LineBuffer stderr, ProcessHandle process,
            DemoServerProcess httpProcess, String endpoint) {
        this.client = client;
        this.stderr = stderr;
        this.process = process;
        this.httpProcess = httpProcess;
        this.endpoint = endpoint;
    }

    /**
     * Starts {@code java [agent] -jar moat-demo-server.jar --transport stdio} through the SDK's
     * {@code StdioClientTransport} (stderr captured) and initializes the MCP session.
     */
    public static McpConnection stdio(DemoServerLaunch launch) {
        String marker = UUID.randomUUID().toString();
        List<String> command = launch.command(marker, "--transport", "stdio");
        ServerParameters params = ServerParameters.builder(command.get(0))
                .args(command.subList(1, command.size()))
                .env(launch.env())
                .build();
        DirectoryStdioClientTransport transport =
                new DirectoryStdioClientTransport(params, E2eEnvironment.jsonMapper(), launch.workingDirectory());
        LineBuffer stderr = new LineBuffer();
        transport.setStdErrorHandler(stderr);
        McpSyncClient client = client(transport, launch);
        try {
            client.initialize();
        } catch (RuntimeException e) {
            closeClient(client);
            findChild(marker).ifPresent(DemoServerProcess::kill);
            throw new AssertionError("MCP initialize over stdio failed: " + e + "\nserver stderr:\n" + stderr.text(), e);
        }
        ProcessHandle child = findChild(marker).orElse(null);
        return new McpConnection(client, stderr, child, null, null);
    }

    /**
     * Starts {@code java [agent] -jar moat-demo-server.jar --transport http --port 0}, reads the port from
     * the server's stderr line, connects with the SDK's {@code HttpClientStreamableHttpTransport} and
     * initializes the MCP session.
     */
    public static McpConnection http(DemoServerLaunch launch) throws IOException, InterruptedException {
        return http(launch, Map.of());
    }

    /**
     * As {@link #http(DemoServerLaunch)}, with extra HTTP headers on every request the client sends
     * (for example {@code Authorization: Bearer ...}).
     */
    public static McpConnection http(DemoServerLaunch launch, Map<String, String> headers)
            throws IOException, InterruptedException {
        DemoServerProcess server = DemoServerProcess.start(launch, "--transport", "http", "--port", "0");
        try {
            Matcher listening = awaitListening(server, launch.startupTimeout());
            String endpoint = listening.group(1) + listening.group(3);
            HttpRequest.Builder requests = HttpRequest.newBuilder();
            headers.forEach(requests::header);
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(listening.group(1))
                    .endpoint(listening.group(3))
                    .jsonMapper(E2eEnvironment.jsonMapper())
                    .connectTimeout(Duration.ofSeconds(10))
                    .requestBuilder(requests)
                    .build();
            McpSyncClient client = client(transport, launch);
            try {
                client.initialize();
            } catch (RuntimeException e) {
                closeClient(client);
                throw new AssertionError("MCP initialize over HTTP failed: " + e + "\nserver stderr:\n"
                        + server.stderr().text(), e);
            }
            return new McpConnection(client, server.stderr(), server.handle(), server, endpoint);
        } catch (RuntimeException | Error | InterruptedException e) {
            server.close();
            throw e;
        }
    }

    /** The initialized SDK client. */
    public McpSyncClient client() {
        return client;
    }

    /** The child's stderr, line by line (the agent's banner and diagnostics end up here). */
    public LineBuffer stderr() {
        return stderr;
    }

    /** The child JVM, when it could be identified. */
    public Optional<ProcessHandle> process() {
        return Optional.ofNullable(process);
    }

    /** The MCP endpoint URL ({@code http://127.0.0.1:PORT/mcp}); empty for stdio. */
    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** Calls a tool through the client. */
    public CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
    }

    /** The names of the tools the server lists. */
    public Set<String> toolNames() {
        return client.listTools().tools().stream().map(t -> t.name()).collect(Collectors.toSet());
    }

    /** The concatenated text contents of a result. */
    public static String text(CallToolResult result) {
        return result.content().stream()
                .filter(TextContent.class::isInstance)
                .map(c -> ((TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }

    /** Closes the client (bounded) and kills the child. */
    @Override
    public void close() {
        closeClient(client);
        if (httpProcess != null) {
            httpProcess.close();
        } else if (process != null) {
            DemoServerProcess.kill(process);
        }
    }

    private static McpSyncClient client(McpClientTransport transport, DemoServerLaunch launch) {
        return McpClient.sync(transport)
                .clientInfo(Implementation.builder("moat-e2e", "1.0").build())
                .requestTimeout(launch.requestTimeout())
                .initializationTimeout(launch.startupTimeout())
                .build();
    }

    private static void closeClient(McpSyncClient client) {
        // on a thread of its own: the stdio transport waits for Process.onExit(), which completes on the
        // common pool, so blocking a common-pool thread here can starve it (seen with 2 CPUs on JDK 25)
        Thread closer = new Thread(() -> {
            try {
                client.closeGracefully();
            } catch (RuntimeException ignored) {
                // the child is killed next anyway
            }
        }, "mcp-e2e-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // the child is killed next anyway
            }
        }
    }

    private static Matcher awaitListening(DemoServerProcess server, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = server.stderr().await(l -> LISTENING.matcher(l).find(), Duration.ofMillis(200));
            if (line.isPresent()) {
                Matcher matcher = LISTENING.matcher(line.get());
                if (matcher.find()) {
                    return matcher;
                }
            }
            if (!server.isAlive()) {
                OptionalInt code = server.awaitExit(Duration.ofSeconds(2));
                throw new AssertionError("demo server exited (status " + (code.isPresent() ? code.getAsInt() : "?")
                        + ") before listening; stderr:\n" + server.stderr().text());
            }
        }
        throw new AssertionError("demo server did not announce its port within " + timeout + "; stderr:\n"
                + server.stderr().text());
    }

    /** The child of this JVM whose command line carries the launch marker. */
    private static Optional<ProcessHandle> findChild(String marker) {
        String tag = "-D" + DemoServerLaunch.MARKER_PROPERTY + "=" + marker;
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains(tag)).orElse(false)
                        || p.info().arguments().map(a -> List.of(a).contains(tag)).orElse(false))
                .findFirst();
    }
}

package dev.moat.agent.it;

import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Scanner;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The host program of {@code JdkNeedsIT}, run in a child JVM under the agent with an enforce policy
 * whose only file root is a workspace: a real MCP server (the official SDK, stateless, in-memory
 * transport) whose tools read system files themselves (each must be denied) and make the JDK do work
 * that reads system files for itself (each must keep working). Prints one line per call on stdout:
 * {@code RESULT <tool> <what> | <text>}.
 *
 * <p>Arguments: {@code all WORKSPACE} (every tool; the TLS tool runs first, so the JDK's default
 * {@code SSLContext} is initialised for the first time inside a tool call) or {@code http WORKSPACE}
 * (only the HTTP request).
 */
public final class JdkNeedsServer {

    /** The tool reads this file itself, each through another API. */
    static final Map<String, String> TOOL_READS = Map.of(
            "/etc/hosts", "Files.readString",
            "/etc/resolv.conf", "FileInputStream",
            "/proc/cpuinfo", "Files.readAllBytes",
            "/proc/self/environ", "Files.readAllBytes",
            "/etc/passwd", "Scanner",
            "/etc/nsswitch.conf", "Files.lines",
            "/proc/meminfo", "stream-method-reference",
            "/proc/loadavg", "executor");

    private JdkNeedsServer() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path workspace = Path.of(args[1]);
        System.out.println("JAVA_HOME " + System.getProperty("java.home"));
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/ping", exchange -> {
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/ping";
        try {
            InMemory server = InMemory.sync(false,
                    tool("tls", (ctx, req) -> guarded(JdkNeedsServer::tls)),
                    tool("time_zone", (ctx, req) -> guarded(JdkNeedsServer::timeZone)),
                    tool("lookup", (ctx, req) -> guarded(() -> "OK " + InetAddress.getByName("localhost")
                            .isLoopbackAddress())),
                    tool("http", (ctx, req) -> guarded(() -> http(url))),
                    tool("workspace", (ctx, req) -> guarded(() -> {
                        Path file = Files.writeString(workspace.resolve("note.txt"), "in the workspace");
                        return "OK " + Files.readString(file);
                    })),
                    tool("read", (ctx, req) -> {
                        String path = String.valueOf(req.arguments().get("path"));
                        return guarded(() -> read(path, TOOL_READS.get(path)));
                    }));
            List<String> calls = new ArrayList<>();
            if (mode.equals("all")) {
                calls.addAll(List.of("tls", "time_zone", "lookup", "http", "workspace"));
                for (String path : TOOL_READS.keySet()) {
                    calls.add("read " + path);
                }
            } else {
                calls.add("http");
            }
            for (String call : calls) {
                String[] parts = call.split(" ", 2);
                Map<String, Object> arguments = parts.length == 1 ? Map.of() : Map.of("path", parts[1]);
                String text = server.callText(parts[0], arguments);
                System.out.println("RESULT " + call + " | " + text.replace('\n', ' '));
            }
        } finally {
            http.stop(0);
        }
    }

    /** The JDK's default SSLContext, initialised here for the first time: it reads the trust store. */
    private static String tls() throws Exception {
        SSLContext context = SSLContext.getDefault();
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        int issuers = ((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers().length;
        return "OK " + context.getProtocol() + " issuers=" + issuers;
    }

    /** Zones nothing loaded before: java.time's and java.util's time zone data. */
    private static String timeZone() {
        String chatham = ZoneId.of("Pacific/Chatham").getRules().getOffset(Instant.parse("2024-07-01T00:00:00Z"))
                .toString();
        TimeZone stJohns = TimeZone.getTimeZone("America/St_Johns");
        return "OK " + chatham + " " + stJohns.getID() + " " + stJohns.getRawOffset();
    }

    private static String http(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return "OK " + response.statusCode() + " " + response.body();
    }

    /** The tool's own read of {@code path}, through {@code api}. */
    private static String read(String path, String api) throws Exception {
        int length;
        switch (api) {
            case "Files.readString" -> length = Files.readString(Path.of(path)).length();
            case "FileInputStream" -> {
                try (InputStream in = new FileInputStream(path)) {
                    length = in.readAllBytes().length;
                }
            }
            case "Files.readAllBytes" -> length = Files.readAllBytes(Path.of(path)).length;
            case "Scanner" -> {
                try (Scanner scanner = new Scanner(new File(path), StandardCharsets.UTF_8)) {
                    length = scanner.nextLine().length();
                }
            }
            case "Files.lines" -> {
                try (Stream<String> lines = Files.lines(Path.of(path))) {
                    length = (int) lines.count();
                }
            }
            case "stream-method-reference" -> {
                // java.util.stream calls the JDK's method: the stream is not the JDK asking for itself
                boolean readable = Stream.of(Path.of(path)).map(Files::isReadable).findFirst().orElseThrow();
                return readable ? "VISIBLE via " + api : "HIDDEN via " + api;
            }
            case "executor" -> {
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
                try {
                    length = pool.submit(() -> Files.readAllBytes(Path.of(path))).get().length;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw (Exception) e.getCause();
                } finally {
                    pool.shutdownNow();
                }
            }
            default -> throw new IllegalArgumentException(api);
        }
        return "READ " + length + " via " + api;
    }

    private static CallToolResult guarded(Callable<String> work) {
        String text;
        try {
            text = work.call();
        } catch (Throwable t) {
            text = "THREW " + t;
        }
        return CallToolResult.builder().addTextContent(text).isError(false).build();
    }

    private static SyncToolSpecification tool(String name,
            BiFunction<McpTransportContext, CallToolRequest, CallToolResult> handler) {
        return SyncToolSpecification.builder().tool(Tool.builder(name, Map.of("type", "object")).build())
                .callHandler(handler).build();
    }
}

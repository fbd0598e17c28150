package dev.moat.demo;

import dev.moat.demo.tools.DemoTool;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real MCP server, on the official Java SDK, that makes the five classic MCP server mistakes on purpose
 * so that Moat has something to protect:
 *
 * <ol>
 *   <li>trusting tool output — {@code search} echoes its query into HTML unescaped;</li>
 *   <li>no input validation — the file tools and {@code fetch_url} take any path or URL;</li>
 *   <li>hardcoded secrets — {@code transfer_funds} uses a JDBC password compiled into the code;</li>
 *   <li>no sandbox — {@code run_command} runs any shell command, {@code get_env} returns any variable;</li>
 *   <li>no audit — nothing is recorded.</li>
 * </ol>
 *
 * <p>Start it with {@code java -jar moat-demo-server.jar --transport stdio} or
 * {@code --transport http --port N}. In stdio mode stdout carries JSON-RPC only; every log goes to stderr.
 * In HTTP mode it binds 127.0.0.1 only and prints {@code moat-demo-server listening on
 * http://127.0.0.1:PORT/mcp} to stderr once it accepts connections.
 *
 * <p><b>Never expose this server.</b>
 */
public final class DemoServer {

    /** The MCP endpoint path in HTTP mode. */
    public static final String MCP_ENDPOINT = "/mcp";

    /** The server name announced in {@code initialize}. */
    public static final String NAME = "moat-demo-server";

    private static final String INSTRUCTIONS = "A deliberately unsafe demo server for Moat: its tools read, write and "
            + "delete any file, fetch any URL, run any command, return any environment variable and echo input "
            + "into HTML unescaped. Run it only under the Moat agent, on a machine you do not care about.";

    private DemoServer() {
    }

    /** Entry point; exits with status 2 on a command-line error, 1 when the server cannot start. */
    public static void main(String[] args) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args);
        } catch (ServerOptions.UsageException e) {
            System.err.println(NAME + ": " + e.getMessage());
            System.err.println(ServerOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(ServerOptions.USAGE);
            return;
        }
        try {
            List<DemoTool> tools = DemoTools.create();
            if (options.transport() == ServerOptions.Transport.HTTP) {
                runHttp(tools, options.port());
            } else {
                runStdio(tools);
            }
        } catch (Exception e) {
            System.err.println(NAME + ": cannot start: " + e);
            System.exit(1);
        }
    }

    /** The JSON mapper the SDK uses (Jackson 3). */
    static McpJsonMapper jsonMapper() {
        return new JacksonMcpJsonMapper(JsonMapper.shared());
    }

    private static McpServer.SyncSpecification<?> configure(McpServer.SyncSpecification<?> spec, List<DemoTool> tools) {
        return spec.serverInfo(NAME, version())
                .instructions(INSTRUCTIONS)
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .tools(DemoTools.specifications(tools));
    }

    /** Serves MCP on stdin/stdout until stdin is closed, then exits. */
    private static void runStdio(List<DemoTool> tools) {
        CountDownLatch stdinClosed = new CountDownLatch(1);
        InputStream in = new EofSignallingInputStream(System.in, stdinClosed);
        StdioServerTransportProvider transport = new StdioServerTransportProvider(jsonMapper(), in, System.out);
        McpSyncServer server = configure(McpServer.sync(transport), tools).build();
        awaitUninterruptibly(stdinClosed);
        closeQuietly(server);
        System.exit(0);
    }

    /** Serves MCP streamable HTTP on 127.0.0.1 until the process is stopped. */
    private static void runHttp(List<DemoTool> tools, int port) throws Exception {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(jsonMapper())
                .mcpEndpoint(MCP_ENDPOINT)
                .build();
        McpSyncServer server = configure(McpServer.sync(transport), tools).build();

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, MCP_ENDPOINT);
        jetty.setHandler(context);
        jetty.setStopAtShutdown(true);
        jetty.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server), "moat-demo-shutdown"));
        System.err.println(NAME + " listening on http://127.0.0.1:" + connector.getLocalPort() + MCP_ENDPOINT);
        jetty.join();
    }

    private static void closeQuietly(McpSyncServer server) {
        Thread closer = new Thread(() -> {
            try {
                server.closeGracefully();
            } catch (RuntimeException e) {
                // shutting down anyway
            }
        }, "moat-demo-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep serving until stdin closes
            }
        }
    }

    private static String version() {
        String version = DemoServer.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Passes stdin through and counts the latch down once it reaches end of stream. */
    private static final class EofSignallingInputStream extends FilterInputStream {
        private final CountDownLatch eof;

        EofSignallingInputStream(InputStream in, CountDownLatch eof) {
            super(in);
            this.eof = eof;
        }

        @Override
        public int read() throws IOException {
            return signal(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return signal(super.read(b, off, len));
        }

        private int signal(int n) {
            if (n < 0) {
                eof.countDown();
            }
            return n;
        }
    }
}

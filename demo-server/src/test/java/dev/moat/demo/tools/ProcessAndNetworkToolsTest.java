package dev.moat.demo.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessAndNetworkToolsTest {

    @Test
    void runCommandReturnsExitCodeAndOutput() throws Exception {
        CallToolResult result = new RunCommandTool().call(Map.of("command", "echo hi; echo oops >&2; exit 3"));
        assertThat(result.isError()).isFalse();
        assertThat(DemoToolText.of(result)).startsWith("exit code: 3\n").contains("hi\n").contains("oops\n");
    }

    @Test
    void getEnvReturnsVariablesAndFailsOnUnsetOnes() throws Exception {
        String path = System.getenv("PATH");
        assertThat(DemoToolText.of(new GetEnvTool().call(Map.of("name", "PATH")))).isEqualTo(path);
        assertThatThrownBy(() -> new GetEnvTool().call(Map.of("name", "MOAT_SURELY_UNSET_VARIABLE")))
                .isInstanceOf(ToolException.class).hasMessageContaining("is not set");
    }

    @Test
    void fetchUrlFollowsRedirectsAndReturnsStatusAndBody() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", exchange -> {
            byte[] body = "hello from loopback".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/old", exchange -> {
            exchange.getResponseHeaders().add("Location", "/hello");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(DemoToolText.of(new FetchUrlTool().call(Map.of("url", base + "/old"))))
                    .isEqualTo("HTTP 200\n\nhello from loopback");
            assertThat(DemoToolText.of(new FetchUrlTool().call(Map.of("url", base + "/nothing"))))
                    .startsWith("HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void fetchUrlRejectsGarbage() {
        assertThatThrownBy(() -> new FetchUrlTool().call(Map.of("url", "not a url")))
                .isInstanceOf(ToolException.class).hasMessageContaining("not a valid URL");
    }
}

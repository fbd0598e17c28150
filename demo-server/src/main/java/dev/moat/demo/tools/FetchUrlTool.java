package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code fetch_url(url)}: fetches a URL with a GET and returns the status line and the body.
 *
 * <p><b>Deliberately unsafe</b> (mistake: no input validation, no sandbox — server-side request
 * forgery): any URL is fetched with {@code java.net.http.HttpClient}, loopback, private networks and the
 * cloud metadata address ({@code 169.254.169.254}) included, and redirects are followed wherever they
 * lead. The server's network position becomes the attacker's.
 */
public final class FetchUrlTool implements DemoTool {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.ALWAYS)
            .build();

    @Override
    public Tool definition() {
        return Tool.builder("fetch_url", InputSchema.object().string("url", "The URL to fetch (http or https)").build())
                .description("Fetches a URL (HTTP GET, redirects followed) and returns the status and body. "
                        + "DELIBERATELY UNSAFE demo tool: any URL is fetched, internal and loopback addresses "
                        + "included (server-side request forgery).")
                .build();
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) throws Exception {
        String url = ToolArgs.string(arguments, "url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ToolException("not a valid URL: " + url);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(REQUEST_TIMEOUT).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return DemoTool.text("HTTP " + response.statusCode() + "\n\n" + response.body());
    }
}

package dev.moat.demo.tour;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A fake "internal admin service" on 127.0.0.1 (random port) with a fake secret at {@code /admin}: the
 * target of the tour's server-side request forgery. It is never reachable from outside the machine.
 */
public final class LoopbackAdminService implements AutoCloseable {

    /** The tell-tale of the secret it serves. */
    public static final String SECRET_MARKER = "ADMIN_API_TOKEN";

    private static final String BODY = "internal admin console (moat tour fake)\n"
            + SECRET_MARKER + "=tour-internal-7d3f0b2a9c\n";

    private final HttpServer server;

    private LoopbackAdminService(HttpServer server) {
        this.server = server;
    }

    /** Starts the service on 127.0.0.1 and a free port. */
    public static LoopbackAdminService start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin", exchange -> {
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new LoopbackAdminService(server);
    }

    /** The secret's URL, {@code http://127.0.0.1:PORT/admin}. */
    public String adminUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/admin";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

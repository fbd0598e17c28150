package dev.moat.agent.toolcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading the HTTP caller from the request shapes the SDK's transports hand their extractor. */
public class HttpCallerTest {

    /** Shaped like a servlet request (the container's class is often not public; the interface is). */
    public interface ServletLike {
        String getRemoteAddr();

        int getRemotePort();

        String getHeader(String name);

        Principal getUserPrincipal();
    }

    private static final class HiddenServletRequest implements ServletLike {
        private final Map<String, String> headers;

        HiddenServletRequest(Map<String, String> headers) {
            this.headers = headers;
        }

        @Override
        public String getRemoteAddr() {
            return "127.0.0.1";
        }

        @Override
        public int getRemotePort() {
            return 51234;
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name);
        }

        @Override
        public Principal getUserPrincipal() {
            return () -> "ann";
        }
    }

    /** Shaped like Spring WebMVC's ServerRequest: the servlet request is one call away. */
    public interface WebMvcLike {
        ServletLike servletRequest();
    }

    /** Shaped like Spring WebFlux's ServerRequest. */
    public interface WebFluxLike {
        Optional<InetSocketAddress> remoteAddress();

        Headers headers();

        /** The request's headers. */
        interface Headers {
            String firstHeader(String name);
        }
    }

    @Test
    void aServletRequestGivesAddressPortPrincipalUserAgentAndOnlyAHashOfTheBearerToken() throws Throwable {
        Map<String, Object> caller = HttpCaller.read(new HiddenServletRequest(Map.of("User-Agent", "curl/8",
                "Authorization", "Bearer s3cr3t-token", "X-Forwarded-For", "203.0.113.7")));
        assertThat(caller).containsEntry("client.ip", "127.0.0.1").containsEntry("client.port", 51234)
                .containsEntry("user.name", "ann").containsEntry("user_agent.original", "curl/8")
                .containsEntry("moat.client.forwarded_for", "203.0.113.7")
                .containsEntry("moat.client.auth_scheme", "Bearer")
                .containsEntry("moat.client.token.sha256", sha256("s3cr3t-token").substring(0, 16));
        assertThat(caller.toString()).doesNotContain("s3cr3t-token");
    }

    @Test
    void otherAuthorizationSchemesAreNamedNeverHashedOrWritten() throws Throwable {
        Map<String, Object> caller = HttpCaller.read(new HiddenServletRequest(Map.of("Authorization",
                "Basic YW5uOnB3")));
        assertThat(caller).containsEntry("moat.client.auth_scheme", "Basic").doesNotContainKey("moat.client.token.sha256");
        assertThat(caller.toString()).doesNotContain("YW5uOnB3");
    }

    @Test
    void springWebMvcAndWebFluxRequestsAreRead() throws Throwable {
        WebMvcLike mvc = () -> new HiddenServletRequest(Map.of("User-Agent", "mvc"));
        assertThat(HttpCaller.read(mvc)).containsEntry("client.ip", "127.0.0.1").containsEntry("user_agent.original", "mvc");

        WebFluxLike flux = new WebFluxLike() {
            @Override
            public Optional<InetSocketAddress> remoteAddress() {
                return Optional.of(new InetSocketAddress("127.0.0.1", 40000));
            }

            @Override
            public Headers headers() {
                return name -> name.equals("User-Agent") ? "flux" : null;
            }
        };
        assertThat(HttpCaller.read(flux)).containsEntry("client.ip", "127.0.0.1").containsEntry("client.port", 40000)
                .containsEntry("user_agent.original", "flux");
        assertThat(HttpCaller.read(new Object())).isEmpty();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

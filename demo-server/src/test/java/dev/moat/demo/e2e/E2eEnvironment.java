package dev.moat.demo.e2e;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the end-to-end tests find things: the {@code java} to start children with, the demo server jar,
 * the agent jar and the repository root. Failsafe passes the paths as system properties
 * ({@code moat.demo.jar}, {@code moat.agent.jar}, {@code moat.repo.root}); running from an IDE falls back
 * to the usual locations relative to {@code demo-server/}.
 */
public final class E2eEnvironment {

    private E2eEnvironment() {
    }

    /** The {@code java} launcher of the running JVM, so children run on the same JDK as the test. */
    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The shaded demo server jar (must exist: built by {@code package}). */
    public static Path demoJar() {
        Path jar = path("moat.demo.jar", "target/moat-demo-server.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("demo server jar not found at " + jar + " (run mvn package first)");
        }
        return jar;
    }

    /** The Moat agent jar; may not exist (check {@link #agentJarExists()}). */
    public static Path agentJar() {
        return path("moat.agent.jar", "../agent/target/moat-agent.jar");
    }

    /** Whether the agent jar has been built. */
    public static boolean agentJarExists() {
        return Files.isRegularFile(agentJar());
    }

    /** The repository root (the parent of {@code demo-server/}). */
    public static Path repoRoot() {
        return path("moat.repo.root", "..");
    }

    /** The JSON mapper the SDK clients use. */
    public static McpJsonMapper jsonMapper() {
        return new JacksonMcpJsonMapper(JsonMapper.shared());
    }

    private static Path path(String property, String fallback) {
        String value = System.getProperty(property);
        return Path.of(value == null || value.isBlank() ? fallback : value).toAbsolutePath().normalize();
    }
}

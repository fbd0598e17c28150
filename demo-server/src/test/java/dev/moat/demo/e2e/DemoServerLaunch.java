package dev.moat.demo.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start the demo server in a child JVM: the agent and its arguments, extra JVM options, system
 * properties, environment variables, working directory and timeouts. A mutable builder; each start reads
 * it once.
 *
 * <pre>{@code
 * DemoServerLaunch launch = DemoServerLaunch.create()
 *         .agentArgs("policy=" + policy + ",audit.file=" + audit)   // -javaagent:<moat.agent.jar>=...
 *         .systemProperty("moat.mode", "enforce")
 *         .env("API_TOKEN", "s3cr3t")
 *         .workingDirectory(workspace);
 * try (McpConnection mcp = McpConnection.stdio(launch)) { ... }
 * }</pre>
 */
public final class DemoServerLaunch {

    /** The system property that tags each child's command line, so the harness can find and kill it. */
    static final String MARKER_PROPERTY = "demo.e2e.launch";

    private String agentArgs;
    private boolean agent;
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path workingDirectory;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration requestTimeout = Duration.ofSeconds(30);

    private DemoServerLaunch() {
    }

    /** A launch without the agent, inheriting the test's environment and working directory. */
    public static DemoServerLaunch create() {
        return new DemoServerLaunch();
    }

    /** Attaches the agent ({@code -javaagent:<moat.agent.jar>}) with no arguments. */
    public DemoServerLaunch withAgent() {
        return agentArgs(null);
    }

    /**
     * Attaches the agent with arguments: {@code -javaagent:<moat.agent.jar>=<args>}, e.g.
     * {@code policy=/tmp/p.yaml,audit.file=/tmp/audit.jsonl}. Null or empty means no arguments.
     */
    public DemoServerLaunch agentArgs(String args) {
        this.agent = true;
        this.agentArgs = args == null || args.isEmpty() ? null : args;
        return this;
    }

    /** Adds a JVM option, placed before {@code -jar}. */
    public DemoServerLaunch jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** Adds {@code -Dname=value}. */
    public DemoServerLaunch systemProperty(String name, String value) {
        systemProperties.put(name, value);
        return this;
    }

    /** Sets an environment variable of the child (on top of the inherited environment). */
    public DemoServerLaunch env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The child's working directory (default: the test's). */
    public DemoServerLaunch workingDirectory(Path directory) {
        this.workingDirectory = directory;
        return this;
    }

    /** How long to wait for the server to be ready (HTTP port announced, MCP initialized). Default 60 s. */
    public DemoServerLaunch startupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return this;
    }

    /** The MCP client's per-request timeout. Default 30 s. */
    public DemoServerLaunch requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    /** Whether the agent is attached. */
    public boolean agent() {
        return agent;
    }

    /** The child's extra environment variables. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** The child's working directory, or null to inherit. */
    public Path workingDirectory() {
        return workingDirectory;
    }

    /** See {@link #startupTimeout(Duration)}. */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** See {@link #requestTimeout(Duration)}. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The JVM options (everything between {@code java} and {@code -jar}), tagged with {@code marker}. */
    List<String> jvmOptions(String marker) {
        List<String> options = new ArrayList<>(jvmArgs);
        systemProperties.forEach((name, value) -> options.add("-D" + name + "=" + value));
        options.add("-D" + MARKER_PROPERTY + "=" + marker);
        if (agent) {
            String jar = E2eEnvironment.agentJar().toString();
            options.add("-javaagent:" + (agentArgs == null ? jar : jar + "=" + agentArgs));
        }
        return options;
    }

    /** The full child command line: {@code java <jvm options> -jar moat-demo-server.jar <serverArgs>}. */
    public List<String> command(String marker, String... serverArgs) {
        List<String> command = new ArrayList<>();
        command.add(E2eEnvironment.javaExecutable().toString());
        command.addAll(jvmOptions(marker));
        command.add("-jar");
        command.add(E2eEnvironment.demoJar().toString());
        command.addAll(List.of(serverArgs));
        return command;
    }
}

package dev.moat.demo.tour;

import dev.moat.demo.DemoServer;
import dev.moat.demo.client.DirectoryStdioClientTransport;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The attack tour behind {@code ./moat-tour}: starts the demo server over stdio under the Moat agent, in a
 * throw-away workspace, drives one attack per classic MCP mistake through the SDK's real MCP client, and
 * prints what happened to each one next to the agent's audit event for it.
 *
 * <pre>
 * java -cp moat-demo-server.jar dev.moat.demo.tour.AttackTour \
 *      --agent agent/target/moat-agent.jar --policy examples/moat.yaml
 * </pre>
 *
 * <p>Everything stays on this machine: the SSRF target is a fake admin service on 127.0.0.1, the "secret"
 * is a file the tour writes into its temp directory. The tour also runs without the agent (every attack is
 * then ALLOWED and has no audit event) — that is the "before" picture.
 */
public final class AttackTour {

    static final String USAGE = """
            usage: java -cp moat-demo-server.jar dev.moat.demo.tour.AttackTour [options]

              --agent PATH        the Moat agent jar (default agent/target/moat-agent.jar)
              --policy PATH       the policy file (default examples/moat.yaml)
              --no-agent          run the demo server unprotected, to see the attacks succeed
              --server-jar PATH   start the server with java -jar PATH (default: this class path)
              --help              show this help""";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(3);
    private static final String SECRET_MARKER = "TOUR-SECRET";
    private static final String SCRIPT_PAYLOAD = "<script>alert(document.cookie)</script>";

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;

    private AttackTour(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** Command-line entry point. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tour.
     *
     * @return the exit status: 0 when the tour ran (whatever the verdicts), 1 when the server could not be
     *     started, 2 for a command-line error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("moat-tour: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(USAGE);
            return 0;
        }
        try {
            return new AttackTour(options, out, err).run();
        } catch (IOException e) {
            err.println("moat-tour: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int run() throws IOException, InterruptedException {
        Path base = Files.createTempDirectory("moat-tour-").toRealPath();
        Path workspace = Files.createDirectory(base.resolve("workspace"));
        Files.writeString(workspace.resolve("README.txt"), "A harmless file in the tour's workspace.\n");
        Files.writeString(base.resolve("secret.txt"),
                SECRET_MARKER + ": prod-db root password = hunter2 (fake, written by the Moat tour)\n");
        Path audit = base.resolve("audit.jsonl");

        Path agent = options.agent().toAbsolutePath().normalize();
        Path policy = options.policy().toAbsolutePath().normalize();
        boolean useAgent = !options.noAgent() && Files.isRegularFile(agent);
        boolean usePolicy = useAgent && Files.isRegularFile(policy);

        out.println("Moat attack tour: five attacks on a deliberately unsafe MCP server ("
                + DemoServer.NAME + ", stdio)");
        if (options.noAgent()) {
            out.println("  agent    : none (--no-agent): the server runs unprotected");
        } else if (!useAgent) {
            out.println("  agent    : NOT FOUND at " + agent + " -- running unprotected (build it: mvn package)");
        } else {
            out.println("  agent    : " + agent);
            out.println("  policy   : " + (usePolicy ? policy.toString() : "NOT FOUND at " + policy + " -- agent defaults"));
        }
        out.println("  workspace: " + workspace + "   (secret.txt sits next to it, outside)");
        out.println();

        List<String> stderr = new CopyOnWriteArrayList<>();
        try (LoopbackAdminService admin = LoopbackAdminService.start()) {
            List<Attack> attacks = attacks(admin.adminUrl());
            List<String> command = serverCommand(useAgent ? agent : null, usePolicy ? policy : null, audit);
            DirectoryStdioClientTransport transport = new DirectoryStdioClientTransport(
                    ServerParameters.builder(command.get(0)).args(command.subList(1, command.size())).build(),
                    new JacksonMcpJsonMapper(JsonMapper.shared()), workspace);
            transport.setStdErrorHandler(stderr::add);
            McpSyncClient client = McpClient.sync(transport)
                    .clientInfo(Implementation.builder("moat-tour", "1.0").build())
                    .requestTimeout(CALL_TIMEOUT)
                    .initializationTimeout(STARTUP_TIMEOUT)
                    .build();
            try {
                try {
                    client.initialize();
                } catch (RuntimeException e) {
                    err.println("moat-tour: the demo server did not start" + (useAgent ? " under the agent" : "")
                            + ": " + e.getMessage());
                    Thread.sleep(500); // let the last stderr lines arrive
                    stderr.forEach(line -> err.println("  | " + TextTable.clean(line)));
                    return 1;
                }
                List<Outcome> outcomes = new ArrayList<>();
                for (Attack attack : attacks) {
                    outcomes.add(attempt(client, attack));
                }
                AuditLog log = new AuditLog(audit);
                Map<String, Map<String, String>> events = useAgent ? awaitAuditEvents(log, attacks) : Map.of();
                printTable(attacks, outcomes, events);
                printFooter(useAgent, stderr, log);
            } finally {
                close(client);
            }
        } finally {
            if (!useAgent) {
                deleteTree(base); // nothing to inspect; with the agent the audit log stays for the user
            }
        }
        return 0;
    }

    /** The five attacks, one per mistake. */
    static List<Attack> attacks(String adminUrl) {
        return List.of(
                new Attack("1 path traversal", "read_file", Map.of("path", "../secret.txt"), SECRET_MARKER),
                new Attack("2 SSRF", "fetch_url", Map.of("url", adminUrl), LoopbackAdminService.SECRET_MARKER),
                new Attack("3 command execution", "run_command", Map.of("command", "id; cat /etc/hostname"), "uid="),
                new Attack("4 script in output", "search", Map.of("query", SCRIPT_PAYLOAD), SCRIPT_PAYLOAD),
                new Attack("5 hardcoded secret", "transfer_funds", transferArguments(), "mallory="));
    }

    private static Map<String, Object> transferArguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("from_account", "alice");
        arguments.put("to_account", "mallory");
        arguments.put("amount", 100);
        return arguments;
    }

    /** What one attack produced: the verdict and the piece of the answer that shows it. */
    record Outcome(Verdict verdict, String evidence) {
    }

    private static Outcome attempt(McpSyncClient client, Attack attack) {
        CallToolResult result;
        try {
            result = client.callTool(CallToolRequest.builder(attack.tool()).arguments(attack.arguments()).build());
        } catch (RuntimeException e) { // a JSON-RPC error: refused before reaching the tool
            return new Outcome(Verdict.BLOCKED, "error: " + e.getMessage());
        }
        Verdict verdict = Verdict.of(result, attack.leak());
        return new Outcome(verdict, evidence(Verdict.text(result), attack.leak(), verdict));
    }

    /** The line that carries the leak (ALLOWED; cut to show the leak), else the first non-blank line. */
    static String evidence(String text, String leak, Verdict verdict) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (verdict == Verdict.ALLOWED) {
            String line = lines.stream().filter(l -> l.contains(leak)).findFirst().orElse(text);
            int at = line.indexOf(leak);
            return at > 20 ? "…" + line.substring(at - 14) : line; // keep the leak visible in a narrow column
        }
        return lines.isEmpty() ? "(empty)" : lines.get(0);
    }

    private static Map<String, Map<String, String>> awaitAuditEvents(AuditLog log, List<Attack> attacks)
            throws InterruptedException {
        long deadline = System.nanoTime() + AUDIT_WAIT.toNanos();
        Map<String, Map<String, String>> found = new HashMap<>();
        while (true) {
            for (Attack attack : attacks) {
                if (!found.containsKey(attack.tool())) {
                    log.toolCall(attack.tool(), 0).ifPresent(e -> found.put(attack.tool(), e));
                }
            }
            if (found.size() == attacks.size() || System.nanoTime() >= deadline) {
                return found;
            }
            Thread.sleep(100);
        }
    }

    private void printTable(List<Attack> attacks, List<Outcome> outcomes, Map<String, Map<String, String>> events) {
        TextTable table = new TextTable(
                List.of("ATTACK", "CALL", "WHAT HAPPENED", "WHAT CAME BACK", "AUDIT EVENT"), 20, 40, 13, 34, 80);
        for (int i = 0; i < attacks.size(); i++) {
            Attack attack = attacks.get(i);
            Outcome outcome = outcomes.get(i);
            Map<String, String> event = events.get(attack.tool());
            table.row(attack.title(), attack.call(), outcome.verdict().name(), outcome.evidence(),
                    event == null ? "no audit event" : AuditLog.summarize(event));
        }
        out.print(table.render());
    }

    private void printFooter(boolean useAgent, List<String> stderr, AuditLog log) {
        if (useAgent) {
            out.println();
            List<String> banner = stderr.stream().filter(AttackTour::isBannerLine).map(TextTable::clean).toList();
            out.println("Agent banner (server stderr):");
            if (banner.isEmpty()) {
                out.println("  (no line starting with \"moat\")");
            }
            banner.forEach(line -> out.println("  " + line));
            int events = log.events().size();
            out.println("Audit log: " + log.file() + (Files.exists(log.file())
                    ? " (" + events + (events == 1 ? " event)" : " events)") : " (not written)"));
        }
        out.println();
        out.println("What next: edit examples/moat.yaml (file roots, network and process rules, output sanitizing),");
        out.println("run ./moat-tour --no-build again and compare; ./moat-tour --no-agent shows the unprotected server.");
        out.println("See README.md for the policy reference.");
    }

    /** A line of the agent's banner: starts with "moat" (the demo server's own lines excluded). */
    static boolean isBannerLine(String line) {
        String trimmed = line.stripLeading().toLowerCase(Locale.ROOT);
        return (trimmed.startsWith("moat") || trimmed.startsWith("[moat")) && !trimmed.startsWith(DemoServer.NAME);
    }

    /** {@code java [-javaagent:...] (-jar JAR | -cp CP dev.moat.demo.DemoServer) --transport stdio}. */
    private List<String> serverCommand(Path agent, Path policy, Path audit) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (agent != null) {
            String agentArgs = (policy == null ? "" : "policy=" + policy + ",") + "audit.file=" + audit;
            command.add("-javaagent:" + agent + "=" + agentArgs);
        }
        if (options.serverJar() != null) {
            command.add("-jar");
            command.add(options.serverJar().toAbsolutePath().toString());
        } else {
            command.add("-cp");
            command.add(absoluteClassPath());
            command.add(DemoServer.class.getName());
        }
        command.add("--transport");
        command.add("stdio");
        return command;
    }

    /** This JVM's class path with absolute entries (the server runs in another working directory). */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void close(McpSyncClient client) {
        // on a thread of its own: the transport waits for Process.onExit(), which completes on the common
        // pool, so blocking a common-pool thread here can starve it (seen with 2 CPUs on JDK 25)
        Thread closer = new Thread(client::closeGracefully, "moat-tour-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            client.close();
        }
        // the server exits when its stdin closes; make sure of it (the tour's only children are the server)
        ProcessHandle.current().children().forEach(child -> {
            child.destroy();
            try {
                child.onExit().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        });
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory: best effort
        }
    }

    /** The tour's command line. */
    record Options(Path agent, Path policy, boolean noAgent, Path serverJar, boolean help) {

        static Options parse(String... args) {
            Path agent = Path.of("agent/target/moat-agent.jar");
            Path policy = Path.of("examples/moat.yaml");
            Path serverJar = null;
            boolean noAgent = false;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--agent" -> agent = Path.of(value(args, ++i, "--agent"));
                    case "--policy" -> policy = Path.of(value(args, ++i, "--policy"));
                    case "--server-jar" -> serverJar = Path.of(value(args, ++i, "--server-jar"));
                    case "--no-agent" -> noAgent = true;
                    case "--help", "-h" -> help = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            return new Options(agent, policy, noAgent, serverJar, help);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length || args[index].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }
    }
}

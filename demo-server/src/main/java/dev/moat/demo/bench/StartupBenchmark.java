package dev.moat.demo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures the demo server's startup over stdio, from process start to the answer of the first
 * {@code tools/list}, without and with the Moat agent, alternating the two in one run so both see
 * the same machine. Prints the median, minimum and maximum of each and the difference of medians.
 *
 * <pre>java -cp demo-server/target/moat-demo-server.jar dev.moat.demo.bench.StartupBenchmark \
 *     --agent agent/target/moat-agent.jar --policy examples/audit-only.yaml --runs 10</pre>
 */
public final class StartupBenchmark {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"moat-startup-benchmark\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}";

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path agent = null;
        Path policy = null;
        int runs = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agent" -> agent = Path.of(args[++i]);
                case "--policy" -> policy = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: StartupBenchmark --agent JAR [--policy FILE] [--runs N]");
                    System.exit(2);
                }
            }
        }
        if (agent == null || !Files.isRegularFile(agent)) {
            System.err.println("--agent must name the built moat-agent.jar");
            System.exit(2);
        }
        Path demoJar = Path.of(StartupBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String agentArg = "-javaagent:" + agent.toAbsolutePath()
                + (policy == null ? "" : "=policy=" + policy.toAbsolutePath());
        Path audit = Files.createTempFile("moat-bench", ".jsonl");

        // One warm-up of each, so the OS file cache holds both jars.
        measure(demoJar, null);
        measure(demoJar, agentArg);
        List<Double> bare = new ArrayList<>();
        List<Double> withAgent = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            bare.add(measure(demoJar, null));
            withAgent.add(measure(demoJar, agentArg + (policy == null ? "=" : ",") + "audit.file=" + audit));
        }
        Files.deleteIfExists(audit);
        System.out.printf("startup to first tools/list answer, stdio, %d runs each, %s%n", runs,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report("without agent", bare);
        report("with agent   ", withAgent);
        System.out.printf("added (median): %.0f ms%n", median(withAgent) - median(bare));
    }

    private static void report(String label, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf("%s median %.0f ms  (min %.0f, max %.0f)%n", label, median(ms), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Milliseconds from process start to the tools/list answer. */
    private static double measure(Path demoJar, String agentArg) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (agentArg != null) {
            command.add(agentArg);
        }
        command.addAll(List.of("-jar", demoJar.toString(), "--transport", "stdio"));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            send(in, INITIALIZE);
            waitFor(out, "\"id\":1");
            send(in, INITIALIZED);
            send(in, TOOLS_LIST);
            waitFor(out, "\"id\":2");
            return (System.nanoTime() - start) / 1e6;
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static void send(OutputStream in, String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static void waitFor(BufferedReader out, String marker) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains(marker)) {
                return;
            }
        }
        throw new IOException("the server closed stdout before answering " + marker);
    }
}

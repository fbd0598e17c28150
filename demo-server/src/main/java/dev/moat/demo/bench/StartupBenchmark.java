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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what the Moat agent adds to a JVM's start, without and with the agent, alternating the
 * two in one run so both see the same machine:
 * <ol>
 *   <li>time: the demo server over stdio, from process start to the answer of the first
 *       {@code tools/list}; median, minimum and maximum of each and the difference of medians. The
 *       agent's own account of its start ({@code moat.startup.ms} and {@code moat.startup.phases.ms}
 *       from its {@code agent-start} audit event) is reported as medians too;</li>
 *   <li>memory: {@link TrivialMain}, a {@code main} that does nothing but print its own peak and
 *       current resident set size ({@code VmHWM}, {@code VmRSS}); medians of each and the added MB.
 *       Linux only (it reads {@code /proc/self/status}).</li>
 * </ol>
 *
 * <pre>java -cp demo-server/target/moat-demo-server.jar dev.moat.demo.bench.StartupBenchmark \
 *     --agent agent/target/moat-agent.jar --policy examples/audit-only.yaml --runs 10</pre>
 *
 * <p>Flags:
 * <ul>
 *   <li>{@code --agent JAR}: the built {@code moat-agent.jar} (required);</li>
 *   <li>{@code --policy FILE}: the policy the agent runs with (default: none, the built-in policy);</li>
 *   <li>{@code --runs N}: pairs of demo-server starts (default 10; 0 skips the time figures);</li>
 *   <li>{@code --rss-runs N}: pairs of {@link TrivialMain} starts (default: the value of
 *       {@code --runs}; 0 skips the memory figures).</li>
 * </ul>
 */
public final class StartupBenchmark {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"moat-startup-benchmark\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}";

    private static final Pattern STARTUP_MS = Pattern.compile("\"moat\\.startup\\.ms\":(\\d+)");
    private static final Pattern PHASES = Pattern.compile("\"moat\\.startup\\.phases\\.ms\":\\{([^}]*)}");
    private static final Pattern PHASE = Pattern.compile("\"([^\"]+)\":(\\d+)");
    private static final Pattern KILOBYTES = Pattern.compile("VmHWM=(\\d+) VmRSS=(\\d+)");

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path agent = null;
        Path policy = null;
        int runs = 10;
        Integer rssRuns = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agent" -> agent = Path.of(args[++i]);
                case "--policy" -> policy = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--rss-runs" -> rssRuns = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: StartupBenchmark --agent JAR [--policy FILE] [--runs N] [--rss-runs N]");
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
                + (policy == null ? "=" : "=policy=" + policy.toAbsolutePath() + ",");
        System.out.printf("%s %s%n", System.getProperty("java.vm.name"), System.getProperty("java.version"));
        if (runs > 0) {
            startup(demoJar, agentArg, runs);
        }
        if ((rssRuns == null ? runs : rssRuns) > 0) {
            memory(demoJar, agentArg, rssRuns == null ? runs : rssRuns);
        }
    }

    private static void startup(Path demoJar, String agentArg, int runs) throws IOException, InterruptedException {
        Path audit = Files.createTempFile("moat-bench", ".jsonl");
        try {
            // One warm-up of each, so the OS file cache holds both jars.
            measure(demoJar, null);
            measure(demoJar, agentArg + "audit.file=" + audit);
            Files.writeString(audit, "");
            List<Double> bare = new ArrayList<>();
            List<Double> withAgent = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                bare.add(measure(demoJar, null));
                withAgent.add(measure(demoJar, agentArg + "audit.file=" + audit));
            }
            System.out.printf("startup to first tools/list answer, stdio, %d runs each%n", runs);
            report("without agent", bare);
            report("with agent   ", withAgent);
            System.out.printf("added (median): %.0f ms%n", median(withAgent) - median(bare));
            reportPhases(audit);
        } finally {
            Files.deleteIfExists(audit);
        }
    }

    /** The medians of the agent's own start figures, from the agent-start events in {@code audit}. */
    private static void reportPhases(Path audit) throws IOException {
        List<Double> total = new ArrayList<>();
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        for (String line : Files.readAllLines(audit, StandardCharsets.UTF_8)) {
            if (!line.contains("\"agent-start\"")) {
                continue;
            }
            Matcher m = STARTUP_MS.matcher(line);
            if (m.find()) {
                total.add(Double.parseDouble(m.group(1)));
            }
            Matcher p = PHASES.matcher(line);
            if (p.find()) {
                Matcher phase = PHASE.matcher(p.group(1));
                while (phase.find()) {
                    phases.computeIfAbsent(phase.group(1), k -> new ArrayList<>()).add(Double.parseDouble(phase.group(2)));
                }
            }
        }
        if (total.isEmpty()) {
            System.out.println("agent's own figures: no agent-start event found in the audit file");
            return;
        }
        StringBuilder line = new StringBuilder(String.format("agent's own figures (median of %d agent-start events):"
                + " moat.startup.ms %.0f", total.size(), median(total)));
        phases.forEach((name, ms) -> line.append(String.format(", %s %.0f", name, median(ms))));
        System.out.println(line);
    }

    private static void memory(Path demoJar, String agentArg, int runs) throws IOException, InterruptedException {
        Path audit = Files.createTempFile("moat-bench-rss", ".jsonl");
        try {
            String withAudit = agentArg + "audit.file=" + audit;
            rss(demoJar, null);
            rss(demoJar, withAudit);
            List<Double> bareHwm = new ArrayList<>();
            List<Double> bareRss = new ArrayList<>();
            List<Double> agentHwm = new ArrayList<>();
            List<Double> agentRss = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long[] b = rss(demoJar, null);
                bareHwm.add(b[0] / 1024.0);
                bareRss.add(b[1] / 1024.0);
                long[] a = rss(demoJar, withAudit);
                agentHwm.add(a[0] / 1024.0);
                agentRss.add(a[1] / 1024.0);
            }
            System.out.printf("resident memory of a trivial main at the end of main (%s), %d runs each%n",
                    TrivialMain.class.getName(), runs);
            System.out.printf("without agent VmRSS median %.1f MB, VmHWM median %.1f MB%n", median(bareRss), median(bareHwm));
            System.out.printf("with agent    VmRSS median %.1f MB, VmHWM median %.1f MB%n", median(agentRss), median(agentHwm));
            System.out.printf("added (median): VmRSS %+.1f MB, VmHWM %+.1f MB%n", median(agentRss) - median(bareRss),
                    median(agentHwm) - median(bareHwm));
        } finally {
            Files.deleteIfExists(audit);
        }
    }

    /** {@code VmHWM} and {@code VmRSS} in kB, as {@link TrivialMain} printed them. */
    private static long[] rss(Path demoJar, String agentArg) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (agentArg != null) {
            command.add(agentArg);
        }
        command.addAll(List.of("-cp", demoJar.toString(), TrivialMain.class.getName()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Matcher m = KILOBYTES.matcher(out);
        if (!m.find()) {
            throw new IOException("the trivial main printed no memory figures: " + out);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
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

package dev.moat.demo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what the agent adds to a tool call on the demo server's streamable HTTP transport. Two
 * servers run side by side, one bare and one under the agent; latency is measured one call to each in
 * turn, and throughput in alternating rounds, so both see the same machine. Reports per-call latency
 * (median, p90) measured at the client, server CPU per call, and throughput with several concurrent
 * clients, with the differences and the ratio.
 *
 * <pre>java -cp demo-server/target/moat-demo-server.jar dev.moat.demo.bench.ToolCallBenchmark \
 *     --agent agent/target/moat-agent.jar --policy examples/audit-to-file.yaml [--rounds 20 --calls 2000 --threads 4]
 *     [--warmup 30000]</pre>
 *
 * {@code --server-jvm-arg ARG} (repeatable) adds a JVM option to both servers, with {@code {server}}
 * replaced by {@code bare} (or {@code baseline}) or {@code moat}: {@code -XX:StartFlightRecording=filename=/tmp/{server}.jfr}, or
 * async-profiler (on Maven Central as {@code tools.profiler:async-profiler}; unzip the jar for
 * {@code linux-x64/libasyncProfiler.so}): {@code -agentpath:LIB=start,event=cpu,interval=1ms,threads,
 * file=/tmp/{server}.collapsed,collapsed}, then compare the two profiles.
 *
 * {@code --baseline-agent JAR} runs the baseline server under another build of the agent (same policy)
 * instead of none: an A/B of two builds in one run, the only way to see a change of a few microseconds
 * on a machine whose speed drifts between runs more than that. {@code --agent-first} starts the
 * agent's server first and makes its client first in the even rounds (the other's in the odd ones).
 *
 * Every round opens a new session on each server, alternating which client is made first: the server
 * whose client is made first is favoured by a few microseconds of CPU per call and a few percent of
 * throughput (A/A runs, the same build on both sides, show it), so a fixed order would bias every figure.
 * Single rounds still vary widely on a shared machine; the median of the rounds' ratios is the steadier
 * figure.
 *
 * The tool called is {@code search}, which does no I/O, so the difference is the agent's own cost
 * (interception, decision, audit event) plus noise. Not a unit test: run it on a quiet machine.
 */
public final class ToolCallBenchmark {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private ToolCallBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path agent = null;
        Path baselineAgent = null;
        Path policy = null;
        boolean agentFirst = false;
        int rounds = 10;
        int calls = 2000;
        int threads = 4;
        int warmup = 30_000;
        List<String> serverJvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agent" -> agent = Path.of(args[++i]);
                case "--baseline-agent" -> baselineAgent = Path.of(args[++i]);
                case "--agent-first" -> agentFirst = true;
                case "--policy" -> policy = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--server-jvm-arg" -> serverJvmArgs.add(args[++i]);
                default -> {
                    System.err.println("usage: ToolCallBenchmark --agent JAR [--baseline-agent JAR] [--agent-first]"
                            + " [--policy FILE] [--rounds N] [--calls N] [--threads N] [--warmup CALLS]"
                            + " [--server-jvm-arg ARG]...");
                    System.exit(2);
                }
            }
        }
        if (agent == null || !Files.isRegularFile(agent)) {
            System.err.println("--agent must name the built moat-agent.jar");
            System.exit(2);
        }
        if (baselineAgent != null && !Files.isRegularFile(baselineAgent)) {
            System.err.println("--baseline-agent must name a built moat-agent.jar: " + baselineAgent);
            System.exit(2);
        }
        Path demoJar = Path.of(ToolCallBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path audit = Files.createTempFile("moat-bench-audit", ".jsonl");
        Path baselineAudit = Files.createTempFile("moat-bench-baseline-audit", ".jsonl");
        String agentArg = agentArgument(agent, policy, audit);
        // the baseline is the bare server, or another build of the agent with the same policy (an A/B of two builds)
        String baselineArg = baselineAgent == null ? null : agentArgument(baselineAgent, policy, baselineAudit);
        String without = baselineAgent == null ? "without agent" : "baseline agent";

        try (ServerPair pair = ServerPair.start(demoJar, baselineArg, agentArg, serverJvmArgs, agentFirst)) {
            Server bare = pair.baseline;
            Server moat = pair.agent;
            Client[] clients = clients(bare, moat, agentFirst);
            Client bareClient = clients[0];
            Client moatClient = clients[1];
            // Warm-up: JIT both servers and the client. The servers' C2 compiler keeps a core busy for tens of
            // seconds; measuring before it settles measures the compiler, not the agent.
            for (int done = 0; done < warmup; done += calls) {
                interleaved(bareClient, moatClient, calls, new ArrayList<>(), new ArrayList<>());
                throughput(bareClient, calls, threads);
                throughput(moatClient, calls, threads);
            }
            List<Long> bareLat = new ArrayList<>();
            List<Long> moatLat = new ArrayList<>();
            double bareTput = 0;
            double moatTput = 0;
            long bareCpu = 0;
            long moatCpu = 0;
            long writerCpu = 0;
            long baseWriterCpu = 0;
            List<Double> roundRatios = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                // Fresh clients every round, made in alternating order: which client is made first favours
                // its server (an A/A run, the same build on both sides, read 4.5 us of CPU per call and 1.3%
                // of throughput for the server whose client was made first, and 12.5 us and 2.2% with the
                // order swapped), so one fixed order would bias every figure.
                clients = clients(bare, moat, (r % 2 == 1) != agentFirst);
                bareClient = clients[0];
                moatClient = clients[1];
                long cb = bare.cpuNanos();
                long cm = moat.cpuNanos();
                long cw = moat.threadCpuNanos("moat-audit");
                long cbw = bare.threadCpuNanos("moat-audit");
                interleaved(bareClient, moatClient, calls, bareLat, moatLat);
                bareCpu += bare.cpuNanos() - cb;
                moatCpu += moat.cpuNanos() - cm;
                writerCpu += moat.threadCpuNanos("moat-audit") - cw;
                baseWriterCpu += bare.threadCpuNanos("moat-audit") - cbw;
                // which server goes first alternates, so neither always follows the other's garbage or JIT work
                double tb;
                double tm;
                if (r % 2 == 0) {
                    tb = throughput(bareClient, calls, threads);
                    tm = throughput(moatClient, calls, threads);
                } else {
                    tm = throughput(moatClient, calls, threads);
                    tb = throughput(bareClient, calls, threads);
                }
                bareTput += tb;
                moatTput += tm;
                roundRatios.add(tm / tb);
            }
            bareTput /= rounds;
            moatTput /= rounds;
            long[] b = sorted(bareLat);
            long[] m = sorted(moatLat);
            System.out.printf("tool call 'search' over streamable HTTP, %d rounds x %d calls, %s %s%n", rounds, calls,
                    System.getProperty("java.vm.name"), System.getProperty("java.version"));
            System.out.printf("latency %-14s: median %.1f us, p90 %.1f us%n", without, b[b.length / 2] / 1e3,
                    b[b.length * 9 / 10] / 1e3);
            System.out.printf("latency %-14s: median %.1f us, p90 %.1f us%n", "with agent", m[m.length / 2] / 1e3,
                    m[m.length * 9 / 10] / 1e3);
            System.out.printf("added median latency : %.1f us per call%n", (m[m.length / 2] - b[b.length / 2]) / 1e3);
            // Server CPU (all threads, user + system) per call of the sequential rounds: what the agent costs
            // in work, apart from scheduling and noise (the servers' own background threads count too).
            long n = (long) rounds * calls;
            String base = without.split(" ")[0];
            System.out.printf("server CPU per call  : %s %.1f us, with %.1f us, added %.1f us"
                            + " (of which the audit writer thread %.1f us)%n", base,
                    bareCpu / 1e3 / n, moatCpu / 1e3 / n, (moatCpu - bareCpu) / 1e3 / n, writerCpu / 1e3 / n);
            if (baselineAgent != null) {
                System.out.printf("baseline audit writer thread: %.1f us per call%n", baseWriterCpu / 1e3 / n);
            }
            System.out.printf("throughput (%d client threads): %s %.0f calls/s, with %.0f calls/s, ratio %.1f%%%n",
                    threads, base, bareTput, moatTput, 100 * moatTput / bareTput);
            double[] ratios = roundRatios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            StringBuilder each = new StringBuilder();
            for (double x : roundRatios) {
                each.append(String.format(" %.1f", 100 * x));
            }
            System.out.printf("throughput ratio per round: median %.1f%%, min %.1f%%, max %.1f%% (%s)%n",
                    100 * ratios[ratios.length / 2], 100 * ratios[0], 100 * ratios[ratios.length - 1], each.toString().strip());
        } finally {
            Files.deleteIfExists(audit);
            Files.deleteIfExists(baselineAudit);
        }
    }

    private static String agentArgument(Path agent, Path policy, Path audit) {
        return "-javaagent:" + agent.toAbsolutePath() + "="
                + (policy == null ? "" : "policy=" + policy.toAbsolutePath() + ",") + "audit.file=" + audit;
    }

    /** A new session on each server, {baseline, agent}, the agent's made first if {@code agentFirst}. */
    private static Client[] clients(Server bare, Server moat, boolean agentFirst) throws IOException, InterruptedException {
        Client first = new Client(agentFirst ? moat.endpoint : bare.endpoint);
        Client second = new Client(agentFirst ? bare.endpoint : moat.endpoint);
        return agentFirst ? new Client[] {second, first} : new Client[] {first, second};
    }

    private static long[] sorted(List<Long> values) {
        long[] out = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(out);
        return out;
    }

    private static List<Long> latencies(Client client, int calls) throws Exception {
        List<Long> out = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            client.call(i);
            out.add(System.nanoTime() - t);
        }
        return out;
    }

    /**
     * One call to each server in turn (which goes first alternates), so that both see the same moments
     * of a shared, noisy machine.
     */
    private static void interleaved(Client bare, Client moat, int calls, List<Long> bareOut, List<Long> moatOut)
            throws Exception {
        for (int i = 0; i < calls; i++) {
            Client first = i % 2 == 0 ? bare : moat;
            Client second = first == bare ? moat : bare;
            long t0 = System.nanoTime();
            first.call(i);
            long t1 = System.nanoTime();
            second.call(i);
            long t2 = System.nanoTime();
            (first == bare ? bareOut : moatOut).add(t1 - t0);
            (first == bare ? moatOut : bareOut).add(t2 - t1);
        }
    }

    private static double throughput(Client client, int calls, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * calls;
                work.add(() -> {
                    for (int i = 0; i < calls / threads; i++) {
                        client.call(offset + i);
                    }
                    return null;
                });
            }
            long start = System.nanoTime();
            for (Future<Void> f : pool.invokeAll(work)) {
                f.get();
            }
            return (calls / threads) * threads / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A minimal streamable-HTTP MCP client: one session, tools/call requests, no SDK in the measurement. */
    private static final class Client {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final URI endpoint;
        private final String session;

        Client(URI endpoint) throws IOException, InterruptedException {
            this.endpoint = endpoint;
            HttpResponse<String> init = post(null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                    + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"moat-benchmark\",\"version\":\"1\"}}}");
            session = init.headers().firstValue("mcp-session-id")
                    .orElseThrow(() -> new IOException("no Mcp-Session-Id in " + init.headers().map()));
            post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        void call(int id) throws IOException, InterruptedException {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (id + 1)
                    + ",\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":{\"query\":\"q" + id
                    + "\"}}}";
            HttpResponse<String> r;
            try {
                r = post(session, body);
            } catch (IOException e) {
                // The JDK client sometimes reuses a pooled connection the server is closing at that moment
                // ("header parser received no bytes"); 'search' reads nothing, so one retry is safe.
                r = post(session, body);
            }
            if (r.statusCode() != 200 || !r.body().contains("\"result\"")) {
                throw new IOException("unexpected answer " + r.statusCode() + ": " + r.body());
            }
        }

        private HttpResponse<String> post(String sessionId, String body) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (sessionId != null) {
                b.header("Mcp-Session-Id", sessionId);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The two servers, started one after the other in the order asked for, and stopped together. */
    private static final class ServerPair implements AutoCloseable {
        final Server baseline;
        final Server agent;

        private ServerPair(Server baseline, Server agent) {
            this.baseline = baseline;
            this.agent = agent;
        }

        static ServerPair start(Path demoJar, String baselineArg, String agentArg, List<String> jvmArgs,
                                boolean agentFirst) throws IOException, InterruptedException {
            String baselineRole = baselineArg == null ? "bare" : "baseline";
            Server first = agentFirst ? Server.start(demoJar, agentArg, jvmArgs, "moat")
                    : Server.start(demoJar, baselineArg, jvmArgs, baselineRole);
            try {
                Server second = agentFirst ? Server.start(demoJar, baselineArg, jvmArgs, baselineRole)
                        : Server.start(demoJar, agentArg, jvmArgs, "moat");
                return agentFirst ? new ServerPair(second, first) : new ServerPair(first, second);
            } catch (IOException | InterruptedException | RuntimeException e) {
                first.close();
                throw e;
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                agent.close();
            } finally {
                baseline.close();
            }
        }
    }

    /** A demo server in a child JVM on a free loopback port. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final URI endpoint;

        private Server(Process process, URI endpoint) {
            this.process = process;
            this.endpoint = endpoint;
        }

        /**
         * CPU time the server's threads named {@code name} have used so far, from Linux's per-thread
         * {@code schedstat} (nanoseconds); 0 where there is no {@code /proc}.
         */
        long threadCpuNanos(String name) {
            long total = 0;
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                            total += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                        }
                    } catch (IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException e) {
                return 0;
            }
            return total;
        }

        /** CPU time the server process has used so far (all threads). */
        long cpuNanos() {
            return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }

        static Server start(Path demoJar, String agentArg, List<String> jvmArgs, String role)
                throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (agentArg != null) {
                command.add(agentArg);
            }
            // "{server}" in an extra argument (say a JFR file name) becomes the server's role
            jvmArgs.forEach(a -> command.add(a.replace("{server}", role)));
            command.addAll(List.of("-jar", demoJar.toString(), "--transport", "http", "--port", "0"));
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (System.nanoTime() < deadline && (line = err.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    // Keep the pipe empty, in bulk: reading line by line would charge the agent's stderr audit
                    // sink with the benchmark's own CPU on a machine the servers share.
                    Thread drain = new Thread(() -> {
                        try {
                            char[] chunk = new char[64 * 1024];
                            while (err.read(chunk) >= 0) {
                                // discard
                            }
                        } catch (IOException ignored) {
                            // the server went away
                        }
                    }, "bench-stderr");
                    drain.setDaemon(true);
                    drain.start();
                    return new Server(p, URI.create(m.group(1)));
                }
            }
            p.destroyForcibly();
            throw new IOException("the demo server did not start: " + command);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

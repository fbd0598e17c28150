package dev.moat.demo.bench;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures what the agent adds to opening and closing an allowed file: child JVMs without the agent
 * and with it (an enforce policy whose {@code files.allow} holds the file, {@code scope: process}, so
 * every open is resolved and decided; and {@code scope: tool-calls}, where opens outside tool calls
 * are not decided), alternating in one run so all see the same machine. Each child opens and closes
 * the file in a loop ({@code new FileInputStream(String)} and {@code Files.newInputStream(Path)}),
 * warms up, then reports the time per open+close of its fastest batch; this prints the median over the
 * rounds and the difference to the bare JVM. For scale it also times {@code Path.toRealPath()} of
 * the same file (one {@code readlink} per path element): the part of the added cost that is the
 * resolution every decision needs, as opposed to the agent's own work.
 *
 * <pre>java -cp demo-server/target/moat-demo-server.jar dev.moat.demo.bench.FileOpenBenchmark \
 *     --agent agent/target/moat-agent.jar --rounds 5 --opens 200000</pre>
 */
public final class FileOpenBenchmark {

    private static final String[] APIS = {"FileInputStream", "Files.newInputStream", "Path.toRealPath"};

    private FileOpenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Path agent = null;
        int rounds = 5;
        int opens = 200_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agent" -> agent = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--opens" -> opens = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: FileOpenBenchmark --agent JAR [--rounds N] [--opens N]");
                    System.exit(2);
                }
            }
        }
        if (agent == null || !Files.isRegularFile(agent)) {
            System.err.println("--agent must name the built moat-agent.jar");
            System.exit(2);
        }
        Path jar = Path.of(FileOpenBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = Files.createTempDirectory("moat-file-bench").toRealPath();
        Path file = Files.writeString(root.resolve("data.txt"), "some data\n");
        Path process = Files.writeString(root.resolve("process.yaml"), policy(root, "process"));
        Path toolCalls = Files.writeString(root.resolve("tool-calls.yaml"), policy(root, "tool-calls"));
        Path audit = root.resolve("audit.jsonl");

        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("without agent", null);
        variants.put("agent, scope process", "-javaagent:" + agent.toAbsolutePath() + "=policy=" + process
                + ",audit.file=" + audit);
        variants.put("agent, scope tool-calls", "-javaagent:" + agent.toAbsolutePath() + "=policy=" + toolCalls
                + ",audit.file=" + audit);
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        variants.keySet().forEach(v -> results.put(v, new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, String> v : variants.entrySet()) {
                results.get(v.getKey()).add(runChild(jar, v.getValue(), file, opens));
            }
        }
        System.out.printf("open+close of an allowed file (%s, depth %d), %d rounds x %d opens, %s%n", file,
                file.getNameCount(), rounds, opens, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        double[] bare = medians(results.get("without agent"));
        for (Map.Entry<String, List<double[]>> r : results.entrySet()) {
            double[] m = medians(r.getValue());
            StringBuilder line = new StringBuilder(String.format("%-24s", r.getKey()));
            for (int api = 0; api < APIS.length; api++) {
                line.append(String.format("  %s %6.0f ns", APIS[api], m[api]));
                if (api < 2 && r.getValue() != results.get("without agent")) {
                    line.append(String.format(" (+%.0f ns)", m[api] - bare[api]));
                }
            }
            System.out.println(line);
        }
        try (var files = Files.list(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(root);
    }

    private static String policy(Path root, String scope) {
        return "version: 1\nmode: enforce\naudit:\n  stderr: false\nfiles:\n  scope: " + scope + "\n  allow:\n"
                + "    - { path: \"" + root + "\", access: [read, write, create, delete, list] }\n";
    }

    private static double[] medians(List<double[]> runs) {
        double[] out = new double[APIS.length];
        for (int api = 0; api < APIS.length; api++) {
            List<Double> values = new ArrayList<>();
            for (double[] run : runs) {
                values.add(run[api]);
            }
            out[api] = median(values);
        }
        return out;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double[] runChild(Path jar, String agentArg, Path file, int opens)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (agentArg != null) {
            command.add(agentArg);
        }
        command.addAll(List.of("-cp", jar.toString(), FileOpenBenchmark.class.getName(), "--child", file.toString(),
                Integer.toString(opens)));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("benchmark child failed: " + command + "\n" + out);
        }
        String[] parts = out.split(" ");
        double[] times = new double[APIS.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = Double.parseDouble(parts[i]);
        }
        return times;
    }

    /**
     * In the child JVM: opens and closes {@code file}, prints the ns per open+close of each API in the
     * fastest of several batches (the least disturbed by other work on the machine).
     */
    private static void child(Path file, int opens) throws IOException {
        String name = file.toString();
        int batches = 9;
        int perBatch = Math.max(1, opens / batches);
        long sink = 0;
        for (int i = 0; i < opens / 2; i++) {
            try (FileInputStream in = new FileInputStream(name)) {
                sink += in.getFD().valid() ? 1 : 0;
            }
            try (InputStream in = Files.newInputStream(file)) {
                sink += in.available();
            }
        }
        double[] result = new double[APIS.length];
        double[][] samples = new double[APIS.length][batches];
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                try (FileInputStream in = new FileInputStream(name)) {
                    sink += in.getFD().valid() ? 1 : 0;
                }
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                try (InputStream in = Files.newInputStream(file)) {
                    sink += in.available();
                }
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                sink += Path.of(name).toRealPath().getNameCount();
            }
            long t3 = System.nanoTime();
            samples[0][b] = (t1 - t0) / (double) perBatch;
            samples[1][b] = (t2 - t1) / (double) perBatch;
            samples[2][b] = (t3 - t2) / (double) perBatch;
        }
        for (int api = 0; api < APIS.length; api++) {
            Arrays.sort(samples[api]);
            result[api] = samples[api][0];
        }
        System.out.println(result[0] + " " + result[1] + " " + result[2] + (sink == 42 ? " " : ""));
    }
}

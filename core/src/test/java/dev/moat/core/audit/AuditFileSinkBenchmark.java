package dev.moat.core.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Not a test: how many audit events a second the file sink sustains, end to end (record, serialise
 * through logback and the logstash encoder, seal into the hash chain, write with rotation), and how
 * large a burst the queue absorbs without dropping.
 *
 * <pre>
 * mvn -q -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp core/target/classes:core/target/test-classes:$(cat core/target/cp.txt) \
 *     dev.moat.core.audit.AuditFileSinkBenchmark [events=1000000] [producers=1]
 * </pre>
 */
public final class AuditFileSinkBenchmark {

    private AuditFileSinkBenchmark() {
    }

    private static AuditEvent toolCall(int producer, long i) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("path", "/srv/workspace/project/src/main/java/Example" + (i % 100) + ".java");
        args.put("limit", 200);
        return AuditEvent.of("tool-call", "api")
                .put("event.type", "access")
                .put("event.id", "call-" + producer + "-" + i)
                .put("event.outcome", "success")
                .put("event.duration", 1_234_567L)
                .put("mcp.tool.name", "read_file")
                .put("mcp.tool.arguments", args)
                .put("mcp.session.id", "7f0c2b9e-3f7a-4a61-9d0e-5c1b8a2f4e10")
                .put("mcp.client.name", "claude-desktop")
                .put("mcp.client.version", "0.9.1")
                .put("moat.decision", "allow")
                .put("rule.id", "files.allow[0]")
                .put("mcp.result.size", 4096);
    }

    public static void main(String[] argv) throws Exception {
        long events = argv.length > 0 ? Long.parseLong(argv[0]) : 1_000_000;
        int producers = argv.length > 1 ? Integer.parseInt(argv[1]) : 1;
        PrintStream diagnostics = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        System.out.println("JVM " + System.getProperty("java.vm.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs; a tool-call event of " + EventJson.toJson(toolCall(0, 0).fields()).length()
                + " bytes of fields (about 200 more once stamped and sealed)");

        for (int round = 0; round < 3; round++) {
            sustained(round == 0 ? events / 5 : events, producers, diagnostics, round == 0);
        }
        burst(producers * 4, 50_000, diagnostics);
    }

    /** Producers record as fast as the writer keeps up (they pause while the queue is more than half full). */
    private static void sustained(long events, int producers, PrintStream diagnostics, boolean warmUp) throws Exception {
        Path dir = Files.createTempDirectory("moat-bench");
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(List.of(new FileAuditSink(file)), "bench", diagnostics);
        long perProducer = events / producers;
        CountDownLatch done = new CountDownLatch(producers);
        long start = System.nanoTime();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                for (long i = 0; i < perProducer; i++) {
                    while (log.queuedCount() > AuditLog.DEFAULT_CAPACITY / 2) {
                        // park, not spin: on a small machine a spinning producer takes the writer's CPU
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                    }
                    log.record(toolCall(id, i));
                }
                done.countDown();
            });
            t.start();
        }
        done.await();
        while (log.queuedCount() > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        long writerCpu = ManagementFactory.getThreadMXBean().getThreadCpuTime(log.writerThreadId());
        log.close(120_000);
        long nanos = System.nanoTime() - start;
        long written = perProducer * producers;
        long bytes = 0;
        List<Path> files = files(dir);
        for (Path f : files) {
            bytes += Files.size(f);
        }
        double seconds = nanos / 1e9;
        System.out.printf("%s: %,d events in %.2f s = %,.0f events/s, %.1f MB/s, %d files, dropped %d, failed %d;"
                        + " writer CPU %.2f us per event%n",
                warmUp ? "warm-up  " : "sustained", written, seconds, written / seconds, bytes / seconds / 1e6,
                files.size(), log.droppedCount(), log.failedWriteCount(), writerCpu / 1e3 / written);
        if (!warmUp) {
            long v0 = System.nanoTime();
            AuditVerifier.Report report = AuditVerifier.verify(AuditVerifier.withRotated(file), true);
            double vs = (System.nanoTime() - v0) / 1e9;
            System.out.printf("verify   : %s in %.2f s (%,.0f events/s)%n", report.summary(), vs, report.events() / vs);
        }
        delete(dir);
    }

    /** Many threads record with no pause: how much of the burst the queue takes, and that the rest is counted. */
    private static void burst(int threads, int perThread, PrintStream diagnostics) throws Exception {
        Path dir = Files.createTempDirectory("moat-bench");
        AuditLog log = new AuditLog(List.of(new FileAuditSink(dir.resolve("audit.jsonl"))), "bench", diagnostics);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        long[] recordNanos = new long[threads];
        for (int p = 0; p < threads; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < perThread; i++) {
                    log.record(toolCall(id, i));
                }
                recordNanos[id] = System.nanoTime() - t0;
            });
            t.start();
            all.add(t);
        }
        go.countDown();
        for (Thread t : all) {
            t.join();
        }
        log.close(120_000);
        long offered = (long) threads * perThread;
        long maxNanos = 0;
        for (long n : recordNanos) {
            maxNanos = Math.max(maxNanos, n);
        }
        System.out.printf("burst    : %d threads x %,d events with no pause, %,d offered in %.2f s: %,d written,"
                        + " %,d dropped (%.1f%%), counted and reported%n", threads, perThread, offered, maxNanos / 1e9,
                offered - log.droppedCount(), log.droppedCount(), 100.0 * log.droppedCount() / offered);
        delete(dir);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

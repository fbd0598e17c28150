package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.bridge.MoatBridge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file bypass suite: {@link FileWays} tries every JDK way it knows to read, write, create, delete,
 * list, move, link and inspect a file, in a child JVM with the real agent and an enforce policy that
 * allows one directory. Against the forbidden tree none succeeds (and the forbidden content never
 * shows, the forbidden tree is left exactly as it was); inside the allowed tree all succeed. Runs on
 * whatever JDK runs the build (17 and 25 in CI).
 */
class FileBypassIT {

    /** The way whose failure is the JDK's own: user.dir changes do not move relative paths (JDK 11+). */
    private static final String USER_DIR_WAY = "user.dir changed, then a relative path";

    @TempDir
    Path tmp;

    Path base;

    @BeforeEach
    void layout() throws Exception {
        base = tmp.toRealPath().resolve("ways");
        Files.createDirectories(base);
        Child prepare = child(null, "prepare");
        assertThat(prepare.exit).as(prepare.toString()).isZero();
    }

    @AfterEach
    void noAdviceFailedInThisJvm() {
        assertThat(MoatBridge.adviceFailures()).as("advice failures counted by the bridge").isZero();
    }

    private Path policy(String mode) throws IOException {
        Path policy = tmp.resolve("files-" + mode + ".yaml");
        Files.writeString(policy, "version: 1\nmode: " + mode + "\naudit:\n  stderr: false\nfiles:\n  allow:\n"
                + "    - { path: " + base.resolve("allowed") + ", access: [read, write, create, delete, list] }\n");
        return policy;
    }

    @Test
    void noWayReachesTheForbiddenTree() throws Exception {
        Map<String, String> before = snapshot(base.resolve("forbidden"));
        Child run = child(policy("enforce"), "forbidden");

        assertThat(run.exit).as(run.toString()).isZero();
        Map<String, String> ways = run.ways();
        assertThat(ways).hasSizeGreaterThanOrEqualTo(40).hasSize(run.declaredWays());
        List<String> escaped = new ArrayList<>();
        ways.forEach((way, outcome) -> {
            boolean deniedByMoat = outcome.startsWith("DENIED ") && outcome.contains("Moat");
            boolean hidden = outcome.startsWith("HIDDEN ");
            boolean jdkRefused = way.equals(USER_DIR_WAY) && outcome.startsWith("UNREACHED ");
            if (!deniedByMoat && !hidden && !jdkRefused) {
                escaped.add(way + " -> " + outcome);
            }
        });
        assertThat(escaped).as("ways that were not stopped\n" + run).isEmpty();
        assertThat(run.stdout + run.stderr).doesNotContain(FileWays.SECRET);
        assertThat(run.stderr).doesNotContain("a hook failed").doesNotContain("check of");
        assertThat(snapshot(base.resolve("forbidden"))).as("the forbidden tree is untouched").isEqualTo(before);
        assertThat(Files.exists(base.resolve("forbidden/created-through-link.txt"))).isFalse();

        String audit = Files.readString(tmp.resolve("audit-forbidden.jsonl"));
        assertThat(audit).contains("\"event.action\":\"file-access\"").contains("\"moat.decision\":\"deny\"")
                .contains("\"rule.id\":\"files.allow\"")
                .contains("\"file.path\":\"" + base.resolve("forbidden/secret.txt") + "\"")
                .contains("\"moat.file.operation\":\"FileInputStream.open\"")
                .contains("\"moat.file.operation\":\"FileSystemProvider.newByteChannel\"");
    }

    @Test
    void everyWayWorksInsideTheAllowedTree() throws Exception {
        Child run = child(policy("enforce"), "allowed");

        assertThat(run.exit).as(run.toString()).isZero();
        Map<String, String> ways = run.ways();
        assertThat(ways).hasSizeGreaterThanOrEqualTo(40).hasSize(run.declaredWays());
        List<String> refused = new ArrayList<>();
        ways.forEach((way, outcome) -> {
            if (!outcome.startsWith("ALLOWED")) {
                refused.add(way + " -> " + outcome);
            }
        });
        assertThat(refused).as("ways refused inside the allowed tree\n" + run).isEmpty();
        assertThat(run.stderr).doesNotContain("a hook failed").doesNotContain("check of");
        String audit = Files.readString(tmp.resolve("audit-allowed.jsonl"));
        assertThat(audit).as("no denial at all inside the allowed tree").doesNotContain("\"event.action\":\"file-access\"");
    }

    @Test
    void monitorModeLetsEveryWayThroughAndRecordsWhatItWouldDeny() throws Exception {
        Child run = child(policy("monitor"), "forbidden");

        assertThat(run.exit).as(run.toString()).isZero();
        Map<String, String> ways = run.ways();
        assertThat(ways.get("FileInputStream(String)")).startsWith("ALLOWED");
        assertThat(ways.get("Files.readString")).startsWith("ALLOWED");
        assertThat(ways.get("File.delete")).startsWith("ALLOWED");
        assertThat(ways.values().stream().filter(o -> o.contains("Moat"))).isEmpty();
        String audit = Files.readString(tmp.resolve("audit-monitor.jsonl"));
        assertThat(audit).contains("\"moat.decision\":\"would-deny\"").doesNotContain("\"moat.decision\":\"deny\"");
    }

    @Test
    void anOperationHandedOnIsDecidedOnceButTheNextOperationOnTheSamePathIsDecidedAgain() throws Exception {
        Path readOnly = tmp.resolve("files-read-only.yaml");
        Files.writeString(readOnly, "version: 1\nmode: enforce\naudit:\n  stderr: false\nfiles:\n  allow:\n"
                + "    - { path: " + base.resolve("allowed") + ", access: [read, list] }\n");
        Child run = child(readOnly, "same-path");

        assertThat(run.exit).as(run.toString()).isZero();
        List<String> lines = run.stdout.lines().filter(l -> l.startsWith("SAME ")).toList();
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).contains("DENIED").contains("write of"));
        assertThat(Files.readString(base.resolve("allowed/data.txt"))).isEqualTo(FileWays.DATA + "\n");
    }

    @Test
    void theHookTestJvmRecordsCredentialStoreReadsAsWouldDeny() throws Exception {
        // This JVM runs the agent in monitor mode without a files section: only the built-in deny list applies.
        byte[] environ = Files.readAllBytes(Path.of("/proc/self/environ"));
        assertThat(environ).isNotEmpty();
        Path audit = Paths.get(System.getProperty("moat.it.audit"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(audit) ? Files.readString(audit) : "";
            if (text.contains("builtin:files.deny[/proc/*/environ]")) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(text).contains("\"moat.decision\":\"would-deny\"").contains("builtin:files.deny[/proc/*/environ]");
    }

    // ---------------------------------------------------------------- child JVMs

    /** What a child JVM did. */
    private record Child(int exit, String stdout, String stderr) {

        /** WAY lines: name -> outcome, in order. */
        Map<String, String> ways() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : stdout.split("\n")) {
                if (line.startsWith("WAY ")) {
                    int bar = line.indexOf(" | ");
                    out.put(line.substring(4, bar), line.substring(bar + 3));
                }
            }
            return out;
        }

        int declaredWays() {
            return stdout.lines().filter(l -> l.startsWith("WAYS ")).mapToInt(l -> Integer.parseInt(l.substring(5)))
                    .findFirst().orElse(-1);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /** Runs {@link FileWays} in {@code base/allowed}, under the agent with {@code policy} (none: no agent). */
    private Child child(Path policy, String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.java());
        if (policy != null) {
            String auditName = "audit-" + (policy.getFileName().toString().contains("monitor") ? "monitor" : mode) + ".jsonl";
            command.add("-javaagent:" + ChildJvm.agentJar() + "=policy=" + policy + ",audit.file=" + tmp.resolve(auditName));
        }
        command.addAll(List.of("-cp", ChildJvm.testClasses().toString(), FileWays.class.getName(), mode, base.toString()));
        Path out = tmp.resolve("child-" + mode + ".out");
        Path err = tmp.resolve("child-" + mode + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(Files.createDirectories(base.resolve("allowed")).toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("MOAT_"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 120 s: " + command);
        }
        return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Every entry under {@code root}: relative path -> content, link target or "dir". */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(key, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    out.put(key, "dir " + Files.getPosixFilePermissions(p));
                } else {
                    out.put(key, Files.readString(p, StandardCharsets.ISO_8859_1) + " " + Files.getLastModifiedTime(p)
                            + " " + Files.getPosixFilePermissions(p));
                }
            }
        }
        return out;
    }
}

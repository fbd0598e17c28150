package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.bridge.MoatBridge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The JVM's needs are caller-sensitive, in child JVMs under the real agent with an enforce policy whose
 * only file root is a workspace, running a real MCP server ({@link JdkNeedsServer}): a tool's own reads
 * of system files ({@code /etc/hosts}, {@code /etc/resolv.conf}, {@code /proc/cpuinfo}, ...) are denied,
 * while the JDK's own work inside a tool call (a time-zone load, a host-name lookup, an HTTP request to
 * a loopback server, the default {@code SSLContext} initialised for the first time) keeps working and
 * leaves no file-access denial in the audit trail. And the regression of Debian's JDK: a JDK whose
 * {@code conf} files are symbolic links elsewhere (the JDK opens {@code conf/net.properties} by its
 * resolved name) still makes its HTTP request.
 */
@Timeout(180)
class JdkNeedsIT {


    @TempDir
    Path tmp;

    @AfterEach
    void noAdviceFailedInThisJvm() {
        assertThat(MoatBridge.adviceFailures()).as("advice failures counted by the bridge").isZero();
    }

    @Test
    void aToolsReadsOfSystemFilesAreDeniedWhileTheJdksOwnWorkInTheCallWorks() throws Exception {
        Path workspace = Files.createDirectories(tmp.toRealPath().resolve("workspace"));
        Path audit = tmp.resolve("audit.jsonl");
        ChildJvm.Result r = serve(ChildJvm.java(), workspace, audit, "all");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).doesNotContain("a hook failed").doesNotContain("file check of");
        Map<String, String> results = results(r);

        assertThat(results.get("tls")).as(r.toString()).startsWith("OK ").doesNotContain("issuers=0");
        assertThat(results.get("time_zone")).as(r.toString()).isEqualTo("OK +12:45 America/St_Johns -12600000");
        assertThat(results.get("lookup")).as(r.toString()).isEqualTo("OK true");
        assertThat(results.get("http")).as(r.toString()).isEqualTo("OK 200 pong");
        assertThat(results.get("workspace")).as(r.toString()).isEqualTo("OK in the workspace");
        for (Map.Entry<String, String> read : JdkNeedsServer.TOOL_READS.entrySet()) {
            String outcome = results.get("read " + read.getKey());
            if (read.getValue().equals("stream-method-reference")) {
                assertThat(outcome).as(read.getKey()).startsWith("HIDDEN");
            } else {
                assertThat(outcome).as(read.getKey() + " via " + read.getValue() + "\n" + r).startsWith("THREW ")
                        .contains("Moat");
            }
        }

        List<JsonNode> denials = denials(audit);
        List<String> denied = new ArrayList<>();
        for (JsonNode d : denials) {
            denied.add(text(d, "moat.file.requested"));
        }
        assertThat(denied).as("file-access denials: only the tool's own reads\n" + denials)
                .containsExactlyInAnyOrderElementsOf(JdkNeedsServer.TOOL_READS.keySet());
        for (JsonNode d : denials) {
            assertThat(text(d, "mcp.tool.name")).as(d.toString()).isEqualTo("read");
            assertThat(text(d, "rule.id")).as(d.toString()).isIn("files.allow", "builtin:files.deny[/proc/*/environ]");
        }
        assertThat(AuditTrail.events(audit, e -> "tool-call".equals(text(e, "event.action")))).hasSize(5
                + JdkNeedsServer.TOOL_READS.size());
    }

    @Test
    void aJdkWhoseConfFilesAreSymbolicLinksElsewhereMakesItsHttpRequest() throws Exception {
        Path jdk = linkedConfJdk();
        Path workspace = Files.createDirectories(tmp.toRealPath().resolve("workspace"));
        Path audit = tmp.resolve("audit-linked.jsonl");
        ChildJvm.Result r = serve(jdk.resolve("bin/java").toString(), workspace, audit, "http");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("JAVA_HOME " + jdk);
        assertThat(r.stderr()).doesNotContain("a hook failed").doesNotContain("file check of");
        assertThat(results(r).get("http")).as(r.toString()).isEqualTo("OK 200 pong");
        assertThat(denials(audit)).as("no file-access denial for the JDK's own files").isEmpty();
    }

    // ---------------------------------------------------------------- a JDK with linked conf files

    /**
     * A copy of this JDK (hard links where the file system allows them, else a copy) whose
     * {@code conf/net.properties} and {@code conf/security/java.security} are symbolic links into
     * another directory holding their content, as Debian lays out its JDKs. Hard links, not symbolic
     * ones, for the rest: the JVM finds {@code java.home} through the real path of {@code libjvm.so}.
     */
    private Path linkedConfJdk() throws Exception {
        Path home = Paths.get(System.getProperty("java.home")).toRealPath();
        Path copy = tmp.toRealPath().resolve("jdk");
        Files.createDirectories(copy);
        List<String> parts = new ArrayList<>();
        for (String part : List.of("bin", "conf", "lib", "release")) {
            if (Files.exists(home.resolve(part))) {
                parts.add(part);
            }
        }
        String why = copy(home, copy, parts, "-al");
        if (why != null) {
            deleteTree(copy);
            Files.createDirectories(copy);
            String again = copy(home, copy, parts, "-a");
            assumeTrue(again == null, "cannot copy the JDK at " + home + " (cp -al: " + why + "; cp -a: " + again + ")");
        }
        Path etc = Files.createDirectories(tmp.toRealPath().resolve("etc-java"));
        for (String file : List.of("conf/net.properties", "conf/security/java.security")) {
            Path inCopy = copy.resolve(file);
            if (!Files.exists(inCopy)) {
                continue;
            }
            // never write into the copy's files: they may be hard links to the real JDK's
            byte[] content = Files.readAllBytes(inCopy);
            Path target = etc.resolve(file.replace('/', '_'));
            Files.write(target, content);
            Files.delete(inCopy);
            Files.createSymbolicLink(inCopy, target);
            assertThat(inCopy.toRealPath()).isEqualTo(target);
        }
        assertThat(Files.isSymbolicLink(copy.resolve("conf/net.properties"))).isTrue();
        return copy;
    }

    /** Runs {@code cp OPTION PARTS... COPY} in {@code home}; null when it worked, else why not. */
    private static String copy(Path home, Path copy, List<String> parts, String option)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("cp", option));
        command.addAll(parts);
        command.add(copy.toString());
        Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output.strip();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ---------------------------------------------------------------- the child

    private ChildJvm.Result serve(String java, Path workspace, Path audit, String mode) throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy-" + mode + ".yaml"), "version: 1\nmode: enforce\n"
                + "audit:\n  stderr: false\nfiles:\n  allow:\n"
                + "    - { path: " + workspace + ", access: [read, write, create, delete, list] }\n");
        List<String> command = List.of(java, "-javaagent:" + ChildJvm.agentJar() + "=policy=" + policy
                + ",audit.file=" + audit, "-cp", testClassPath(), JdkNeedsServer.class.getName(), mode,
                workspace.toString());
        return ChildJvm.exec(Map.of(), command);
    }

    /**
     * The test class path as a list of entries (the failsafe JVM's own may be a manifest-only jar, whose
     * entries the child's JVM needs would not know), without empty entries: the JVM reads an empty
     * entry as the working directory, which would put that directory on the child's class path.
     */
    private static String testClassPath() {
        String path = System.getProperty("surefire.test.class.path");
        if (path == null || path.isBlank()) {
            path = System.getProperty("java.class.path");
        }
        List<String> entries = new ArrayList<>();
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** RESULT lines: call -> text. */
    private static Map<String, String> results(ChildJvm.Result r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("RESULT ")) {
                int bar = line.indexOf(" | ");
                out.put(line.substring(7, bar), line.substring(bar + 3));
            }
        }
        return out;
    }

    private static List<JsonNode> denials(Path audit) throws IOException {
        return AuditTrail.events(audit, e -> "file-access".equals(text(e, "event.action"))
                && !"allow".equals(text(e, "moat.decision")));
    }

    private static String text(JsonNode event, String field) {
        JsonNode node = event.get(field);
        return node == null || node.isNull() ? null : node.asString();
    }
}

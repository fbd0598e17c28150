package dev.moat.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * File confinement end to end: the demo server's deliberately unsafe file tools ({@code read_file},
 * {@code write_file}, {@code list_directory}, {@code delete_file}) in a child JVM under the real agent,
 * driven by the SDK's MCP client, with an enforce policy that confines tool calls to the server's
 * working directory. Traversal payloads (plain {@code ../}, absolute paths, symbolic links the test
 * plants inside the root, URL-encoded once and twice) never read, write, list or delete anything
 * outside; ordinary names inside the root (dots, spaces, Unicode, deep trees) all work.
 *
 * <p>Two policies: confinement at the real open alone (the tool runs and its open is denied), and
 * with the path arguments marked {@code type: path} (the call fails before the tool runs).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FileConfinementEndToEndIT {

    private static final String SECRET = "E2E-SECRET-5d1e0b";
    private static final String CONFINED = "version: 1\nmode: enforce\naudit:\n  stderr: false\n"
            + "files:\n  scope: tool-calls\n  allow:\n"
            + "    - { path: \"${user.dir}\", access: [read, write, create, delete, list] }\n";
    private static final String ARGS = "tools:\n"
            + "  read_file:\n    args:\n      path: { type: path }\n"
            + "  write_file:\n    args:\n      path: { type: path }\n"
            + "  list_directory:\n    args:\n      path: { type: path }\n"
            + "  delete_file:\n    args:\n      path: { type: path }\n";

    @TempDir
    Path tmp;

    Path work;
    Path secret;

    @BeforeEach
    void layout() throws IOException {
        tmp = tmp.toRealPath();
        work = Files.createDirectories(tmp.resolve("work"));
        secret = Files.writeString(tmp.resolve("secret.txt"), SECRET);
        Files.createDirectories(tmp.resolve("outside-dir"));
        Files.writeString(tmp.resolve("outside-dir/other-secret.txt"), SECRET);
        // symbolic links planted inside the root, leading out of it
        Files.createSymbolicLink(work.resolve("link-out"), tmp);
        Files.createSymbolicLink(work.resolve("secret-link"), secret);
        Files.createSymbolicLink(work.resolve("dangling"), tmp.resolve("created-through-dangling.txt"));
        Files.createDirectories(work.resolve("sub"));
        Files.createSymbolicLink(work.resolve("sub/up"), tmp.resolve("outside-dir"));
    }

    /** Read payloads that climb out (or try to) from the working directory. */
    private List<String> readPayloads() {
        return List.of("../secret.txt", "./../secret.txt", "sub/../../secret.txt", "..//secret.txt",
                secret.toString(), work + "/../secret.txt",
                "..%2fsecret.txt", "%2e%2e/secret.txt", "..%252fsecret.txt", "%252e%252e%252fsecret.txt",
                "link-out/secret.txt", "secret-link", "sub/up/other-secret.txt", "sub/up/../secret.txt",
                "link-out/outside-dir/../secret.txt", "/proc/self/environ", "/etc/passwd", "~/.ssh/id_rsa",
                // system files the JDK reads for itself: the tool asking for them is not the JDK
                "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/proc/cpuinfo", "/proc/meminfo",
                "/proc/loadavg");
    }

    private Path policy(String yaml) throws IOException {
        Path file = tmp.resolve("policy-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private DemoServerLaunch launch(String yaml, Path audit) throws IOException {
        return DemoServerLaunch.create().workingDirectory(work).env("LC_ALL", "C.UTF-8")
                .agentArgs("policy=" + policy(yaml) + ",audit.file=" + audit);
    }

    @Test
    void traversalIsDeniedAtTheRealOpen() throws Exception {
        Path audit = tmp.resolve("audit-open.jsonl");
        try (McpConnection mcp = McpConnection.stdio(launch(CONFINED, audit))) {
            assertTraversalGoesNowhere(mcp, false);
            assertOrdinaryNamesWork(mcp, false);
        }
        String trail = Files.readString(audit);
        assertThat(trail).contains("\"event.action\":\"file-access\"").contains("\"mcp.tool.name\":\"read_file\"")
                .contains("\"file.path\":\"" + secret + "\"").contains("\"moat.decision\":\"deny\"");
        JsonNode deniedRead = AuditEvents.awaitToolCalls(audit, 1).stream()
                .filter(e -> e.path("mcp.tool.arguments").path("path").asString("").equals("../secret.txt"))
                .findFirst().orElseThrow();
        assertThat(deniedRead.get("moat.touched").toString()).contains(secret.toString()).contains("\"deny\"");
        assertThat(trail).doesNotContain(SECRET);
    }

    @Test
    void pathArgumentsOutsideTheRootFailTheCallBeforeTheToolRuns() throws Exception {
        Path audit = tmp.resolve("audit-args.jsonl");
        try (McpConnection mcp = McpConnection.stdio(launch(CONFINED + ARGS, audit))) {
            assertTraversalGoesNowhere(mcp, true);
            assertOrdinaryNamesWork(mcp, true);
            CallToolResult early = mcp.call("read_file", Map.of("path", "../secret.txt"));
            assertThat(McpConnection.text(early)).contains("Moat denied tool 'read_file'").contains("argument 'path'")
                    .contains(secret.toString()).contains("tools.read_file.args.path");
        }
        JsonNode denied = AuditEvents.awaitToolCalls(audit, 1).stream()
                .filter(e -> "tools.write_file.args.path".equals(e.path("rule.id").asString("")))
                .findFirst().orElseThrow();
        assertThat(denied.get("moat.decision").asString()).isEqualTo("deny");
        assertThat(denied.has("moat.touched")).as("the tool never ran").isFalse();
    }

    private void assertTraversalGoesNowhere(McpConnection mcp, boolean early) throws IOException {
        for (String payload : readPayloads()) {
            CallToolResult r = mcp.call("read_file", Map.of("path", payload));
            String text = McpConnection.text(r);
            assertThat(r.isError()).as(payload + " -> " + text).isTrue();
            assertThat(text).as(payload).doesNotContain(SECRET);
            if (!payload.contains("%") && !payload.startsWith("~")) {
                assertThat(text).as(payload).contains(early ? "Moat denied tool 'read_file'" : "denied by Moat");
            }
        }
        for (String payload : List.of("../written-outside.txt", tmp.resolve("written-outside.txt").toString(),
                "link-out/written-outside.txt", "dangling", "sub/up/written-outside.txt", "secret-link")) {
            CallToolResult r = mcp.call("write_file", Map.of("path", payload, "content", "pwned"));
            assertThat(r.isError()).as(payload + " -> " + McpConnection.text(r)).isTrue();
            assertThat(McpConnection.text(r)).as(payload).contains("Moat");
        }
        assertThat(tmp.resolve("written-outside.txt")).doesNotExist();
        assertThat(tmp.resolve("created-through-dangling.txt")).doesNotExist();
        assertThat(tmp.resolve("outside-dir/written-outside.txt")).doesNotExist();
        assertThat(secret).hasContent(SECRET);
        for (String payload : List.of("..", tmp.toString(), "link-out", "sub/up", "/", "/etc", work + "/..")) {
            CallToolResult r = mcp.call("list_directory", Map.of("path", payload));
            String text = McpConnection.text(r);
            assertThat(r.isError()).as(payload + " -> " + text).isTrue();
            assertThat(text).as(payload).doesNotContain("secret.txt").doesNotContain("other-secret").contains("Moat");
        }
        for (String payload : List.of("../secret.txt", secret.toString(), "link-out/secret.txt",
                "sub/up/other-secret.txt", "link-out/outside-dir")) {
            CallToolResult r = mcp.call("delete_file", Map.of("path", payload));
            assertThat(r.isError()).as(payload + " -> " + McpConnection.text(r)).isTrue();
            assertThat(McpConnection.text(r)).as(payload).contains("Moat");
        }
        assertThat(secret).hasContent(SECRET);
        assertThat(tmp.resolve("outside-dir/other-secret.txt")).hasContent(SECRET);
    }

    private void assertOrdinaryNamesWork(McpConnection mcp, boolean early) throws IOException {
        Files.createDirectories(work.resolve("deep/a/b/c/d/e"));
        Files.createDirectories(work.resolve("dir with spaces"));
        List<String> names = new ArrayList<>(List.of("notes.txt", "with space.txt", "dots..in..name.txt", ".hidden",
                "ünïcødé-文件-😀.txt", "deep/a/b/c/d/e/leaf.txt", "dir with spaces/inner file.txt",
                "sub/../back-inside.txt", "./dot-slash.txt", work.resolve("absolute-inside.txt").toString(),
                "..%2fliteral-name.txt", "%2e%2e"));
        for (String name : names) {
            String content = "content of " + name;
            assertOk(mcp.call("write_file", Map.of("path", name, "content", content)));
            assertThat(McpConnection.text(mcp.call("read_file", Map.of("path", name)))).as(name).isEqualTo(content);
        }
        assertThat(work.resolve("back-inside.txt")).exists();
        assertThat(work.resolve("..%2fliteral-name.txt")).exists();
        String listing = McpConnection.text(mcp.call("list_directory", Map.of("path", ".")));
        assertThat(listing).contains("notes.txt").contains("ünïcødé-文件-😀.txt").contains("deep/")
                .contains("dir with spaces/").contains(".hidden");
        assertThat(McpConnection.text(mcp.call("list_directory", Map.of("path", "deep/a/b/c/d/e"))))
                .isEqualTo("leaf.txt");
        for (String name : names) {
            assertOk(mcp.call("delete_file", Map.of("path", name)));
        }
        assertThat(work.resolve("notes.txt")).doesNotExist();
        // Deleting a link planted inside the root removes the link, never its target. A path argument is
        // resolved like an open (links followed), so with type: path the call is refused early instead.
        Files.createSymbolicLink(work.resolve("link-to-delete"), secret);
        CallToolResult deleteLink = mcp.call("delete_file", Map.of("path", "link-to-delete"));
        if (early) {
            assertThat(McpConnection.text(deleteLink)).contains("Moat denied tool 'delete_file'");
            assertThat(Files.isSymbolicLink(work.resolve("link-to-delete"))).isTrue();
        } else {
            assertOk(deleteLink);
            assertThat(work.resolve("link-to-delete")).doesNotExist();
        }
        assertThat(secret).hasContent(SECRET);
    }

    private static void assertOk(CallToolResult result) {
        assertThat(result.isError()).as(McpConnection.text(result)).isNotEqualTo(Boolean.TRUE);
    }
}

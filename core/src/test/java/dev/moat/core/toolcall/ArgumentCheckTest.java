package dev.moat.core.toolcall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.decision.Decision;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.PolicyEnvironment;
import dev.moat.core.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgumentCheckTest {

    @TempDir
    Path tmp;

    Path work;
    Path outside;

    @BeforeEach
    void layout() throws Exception {
        tmp = tmp.toRealPath();
        work = Files.createDirectories(tmp.resolve("work"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "s");
        Files.createDirectories(work.resolve("public"));
    }

    private ToolCallGuard guard(String mode) throws Exception {
        String yaml = "version: 1\nmode: " + mode + "\nfiles:\n  scope: tool-calls\n  allow:\n"
                + "    - { path: \"${user.dir}\", access: [read, write, create, list] }\n"
                + "tools:\n"
                + "  read_file:\n    args:\n      path: { type: path, maxLength: 100 }\n"
                + "  list_directory:\n    args:\n      path: { type: path }\n"
                + "    files:\n      allow: [ { path: \"${user.dir}/public\", access: [list] } ]\n"
                + "  search:\n    args:\n      query: { type: string, maxLength: 5 }\n";
        Policy policy = PolicyLoader.parse(yaml, "test.yaml", new PolicyEnvironment(tmp.resolve("home"), work));
        return ToolCallGuard.of(policy);
    }

    private static Map<String, Object> args(String name, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put(name, value);
        return m;
    }

    @Test
    void pathArgumentsInsideTheRootsPass() throws Exception {
        ToolCallGuard g = guard("enforce");
        assertThat(g.decideArguments("read_file", args("path", work.resolve("notes.txt").toString())).blocks()).isFalse();
        assertThat(g.decideArguments("read_file", args("path", work.resolve("a/b/../c.txt").toString())).blocks()).isFalse();
    }

    @Test
    void aPathArgumentOutsideTheRootsFailsTheCallNamingTheArgument() throws Exception {
        ToolCallGuard g = guard("enforce");
        Decision d = g.decideArguments("read_file", args("path", work + "/../outside/secret.txt"));
        assertThat(d.blocks()).isTrue();
        assertThat(d.ruleId()).isEqualTo("tools.read_file.args.path");
        assertThat(d.reason()).contains("argument 'path'").contains(outside.resolve("secret.txt").toString())
                .contains("outside the file roots of tool 'read_file'").contains("files.allow");
        assertThat(g.decideArguments("read_file", args("path", "/etc/passwd")).blocks()).isTrue();
    }

    @Test
    void aSymlinkInsideTheRootThatLeadsOutIsCaughtEarly() throws Exception {
        Files.createSymbolicLink(work.resolve("escape"), outside);
        ToolCallGuard g = guard("enforce");
        assertThat(g.decideArguments("read_file", args("path", work.resolve("escape/secret.txt").toString())).blocks())
                .isTrue();
    }

    @Test
    void theToolsOwnRootsNarrow() throws Exception {
        ToolCallGuard g = guard("enforce");
        assertThat(g.decideArguments("list_directory", args("path", work.resolve("public").toString())).blocks()).isFalse();
        Decision d = g.decideArguments("list_directory", args("path", work.toString()));
        assertThat(d.blocks()).isTrue();
        assertThat(d.reason()).contains("tools.list_directory.files.allow");
    }

    @Test
    void otherRulesOfTheToolAreCheckedToo() throws Exception {
        ToolCallGuard g = guard("enforce");
        Decision tooLong = g.decideArguments("search", args("query", "far too long"));
        assertThat(tooLong.blocks()).isTrue();
        assertThat(tooLong.ruleId()).isEqualTo("tools.search.args.query");
        assertThat(g.decideArguments("read_file", args("path", 42)).reason()).contains("must be a string");
        assertThat(g.decideArguments("read_file", args("path", "x".repeat(101))).blocks()).isTrue();
    }

    @Test
    void missingArgumentsToolsWithoutRulesAndMonitorMode() throws Exception {
        ToolCallGuard g = guard("enforce");
        assertThat(g.decideArguments("read_file", Map.of()).blocks()).isFalse();
        assertThat(g.decideArguments("read_file", null).blocks()).isFalse();
        assertThat(g.decideArguments("other", args("path", "/etc/passwd")).action()).isEqualTo(Decision.Action.ALLOW);
        assertThat(g.decideArguments(null, null).action()).isEqualTo(Decision.Action.ALLOW);
        Decision monitored = guard("monitor").decideArguments("read_file", args("path", "/etc/passwd"));
        assertThat(monitored.blocks()).isFalse();
        assertThat(monitored.label()).isEqualTo("would-deny");
    }
}

package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code process} section outside tool calls, in child JVMs under the real agent (POLICY.md): with
 * no section a process started outside a tool call is allowed and audited; a declared section is an
 * allow-list everywhere, and a denied start fails with an {@code IOException} that names the command
 * and the rule (monitor mode records {@code would-deny} and lets it run). Denials inside tool calls are
 * covered end to end by the demo server's tests.
 */
@Timeout(120)
class ProcessPolicyIT {

    @TempDir
    Path dir;

    private Path policy(String yaml) throws IOException {
        return Files.writeString(dir.resolve("moat-" + System.nanoTime() + ".yaml"), yaml);
    }

    @Test
    void withoutAProcessSectionAProcessOutsideToolCallsIsAllowedAndAudited() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        ChildJvm.Result r = ChildJvm.hello("policy=" + policy("version: 1\nmode: enforce\naudit:\n  stderr: false\n")
                + ",audit.file=" + audit, Map.of());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("child process exited 0");
        assertThat(Files.readString(audit)).contains("\"process.command_line\":\"true\"")
                .contains("\"rule.id\":\"process.default\"").contains("\"moat.decision\":\"allow\"");
    }

    @Test
    void aDeclaredSectionDeniesWhatItDoesNotListEvenOutsideToolCalls() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        ChildJvm.Result r = ChildJvm.hello("policy=" + policy(
                "version: 1\nmode: enforce\naudit:\n  stderr: false\nprocess:\n  allow: []\n")
                + ",audit.file=" + audit, Map.of());
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stderr()).contains("java.io.IOException: Cannot run program \"true\"")
                .contains("Moat denied starting 'true' (rule process.allow)")
                .doesNotContain("child process exited");
        assertThat(Files.readString(audit)).contains("\"event.action\":\"process-start\"")
                .contains("\"moat.decision\":\"deny\"").contains("\"event.outcome\":\"failure\"");
    }

    @Test
    void monitorModeRecordsWouldDenyAndLetsTheProcessRun() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        ChildJvm.Result r = ChildJvm.hello("policy=" + policy(
                "version: 1\nmode: monitor\naudit:\n  stderr: false\nprocess:\n  allow: []\n")
                + ",audit.file=" + audit, Map.of());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("child process exited 0");
        assertThat(Files.readString(audit)).contains("\"moat.decision\":\"would-deny\"");
    }
}

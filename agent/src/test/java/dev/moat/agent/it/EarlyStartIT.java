package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Premain returns only once every hook is in place: a host whose main reads a forbidden file and starts
 * a process first thing is denied all three, with the banner and the events as usual.
 */
@Timeout(180)
class EarlyStartIT {

    @TempDir
    Path dir;

    @Test
    void whatTheApplicationDoesFirstIsCheckedAsWell() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Path secret = Files.writeString(dir.resolve("secret.txt"), "the-early-secret");
        Path policy = Files.writeString(dir.resolve("moat.yaml"), "version: 1\nmode: enforce\naudit:\n  stderr: false\n"
                + "files:\n  allow:\n    - { path: " + allowed + ", access: [read] }\nprocess:\n  allow: []\n");
        for (int run = 0; run < 1; run++) {
            Path audit = dir.resolve("audit-" + run + ".jsonl");
            ChildJvm.Result r = ChildJvm.run(Map.of(), List.of("-javaagent:" + ChildJvm.agentJar() + "=policy=" + policy
                            + ",audit.file=" + audit, "-cp", ChildJvm.testClasses().toString()),
                    EarlyReader.class.getName(), secret.toString());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stderr()).as(r.toString()).doesNotContain("the-early-secret")
                    .contains("io DENIED java.io.FileNotFoundException").contains("nio DENIED java.nio.file.AccessDeniedException")
                    .contains("process DENIED java.io.IOException").contains("moat: hook file-open: applied")
                    .doesNotContain("a hook failed");
            assertThat(Files.readString(audit)).contains("\"event.action\":\"agent-start\"")
                    .contains("\"moat.file.operation\":\"FileInputStream.open\"")
                    .contains("\"event.action\":\"process-start\"");
        }
    }
}

package dev.moat.demo.tour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.demo.e2e.E2eEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tour as users run it ({@code java -cp moat-demo-server.jar dev.moat.demo.tour.AttackTour}), without
 * the agent: every attack goes through and nothing is audited. Agent-specific tour checks are the lead's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AttackTourIT {

    @TempDir
    Path dir;

    @Test
    void withoutTheAgentEveryAttackIsAllowed() throws Exception {
        Run run = tour("--no-agent");

        assertThat(run.status).as(run.stderr).isZero();
        assertThat(run.stdout).contains("agent    : none (--no-agent)");
        List<String> rows = run.stdout.lines().filter(l -> l.matches("^\\d .*")).toList();
        assertThat(rows).hasSize(5).allSatisfy(row -> assertThat(row).contains("ALLOWED").endsWith("no audit event"));
        assertThat(rows.get(0)).contains("read_file ../secret.txt").contains("TOUR-SECRET");
        assertThat(rows.get(1)).contains("ADMIN_API_TOKEN=");
        assertThat(rows.get(2)).contains("uid=");
        assertThat(rows.get(3)).contains("<script>alert(");
        assertThat(rows.get(4)).contains("mallory=100.00");
        assertThat(run.stdout).contains("What next:");
    }

    @Test
    void aMissingAgentJarIsReportedAndTheTourStillRuns() throws Exception {
        Run run = tour("--agent", dir.resolve("no-such-agent.jar").toString(), "--policy", "examples/moat.yaml");

        assertThat(run.status).as(run.stderr).isZero();
        assertThat(run.stdout).contains("agent    : NOT FOUND at " + dir.resolve("no-such-agent.jar"));
        assertThat(run.stdout.lines().filter(l -> l.matches("^\\d .*ALLOWED.*no audit event$"))).hasSize(5);
    }

    @Test
    void badArgumentsExitWith2() throws Exception {
        Run run = tour("--frobnicate");
        assertThat(run.status).isEqualTo(2);
        assertThat(run.stderr).contains("unknown argument '--frobnicate'").contains("usage:");
    }

    private record Run(int status, String stdout, String stderr) {
    }

    private Run tour(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(E2eEnvironment.javaExecutable().toString(),
                "-cp", E2eEnvironment.demoJar().toString(), AttackTour.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the tour did not finish in 90 s");
        }
        return new Run(process.exitValue(),
                java.nio.file.Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                java.nio.file.Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}

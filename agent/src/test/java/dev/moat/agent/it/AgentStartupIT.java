package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Starts child JVMs under the real agent jar: banner, fail closed, fail open, no policy, options, bundling. */
@Timeout(120)
class AgentStartupIT {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void validPolicyPrintsTheBannerOnStderrAndNothingOnStdout() throws Exception {
        Path policy = write("moat.yaml", "version: 1\nmode: enforce\naudit:\n  stderr: false\n");
        Path audit = dir.resolve("audit.jsonl");
        ChildJvm.Result r = ChildJvm.hello("policy=" + policy + ",audit.file=" + audit, Map.of());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).as("stdout is the stdio MCP transport").isEmpty();
        assertThat(r.stderr()).contains("moat: Moat ").contains("mode enforce").contains(policy.toString())
                .contains("moat: hook process-start: applied")
                .contains("moat: hook mcp-tool-call: armed")
                .contains("hello from the host application")
                .doesNotContain("WARNING: A terminally deprecated method")
                .doesNotContain("Sharing is only supported for boot loader classes");
        String events = Files.readString(audit);
        assertThat(events).contains("\"event.action\":\"agent-start\"").contains("\"event.action\":\"process-start\"")
                .contains("\"process.command_line\":\"true\"");
    }

    @Test
    void malformedPolicyStopsTheJvmWithFileLineAndKey() throws Exception {
        Path policy = write("broken.yaml", "version: 1\nmode: enforce\nfiles:\n  scope: everywhere\n");
        ChildJvm.Result r = ChildJvm.hello("policy=" + policy, Map.of());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(78);
        assertThat(r.stderr()).contains("moat: FATAL: policy error: ").contains("broken.yaml:4:")
                .contains("files.scope").contains("refusing to start the JVM unprotected")
                .doesNotContain("hello from the host application");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void missingPolicyFileStopsTheJvm() throws Exception {
        ChildJvm.Result r = ChildJvm.hello("policy=" + dir.resolve("nope.yaml"), Map.of());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(78);
        assertThat(r.stderr()).contains("nope.yaml").doesNotContain("hello from the host application");
    }

    @Test
    void failOpenRunsUnprotectedAndSaysSoOnStderrAndInTheAuditTrail() throws Exception {
        Path policy = write("broken.yaml", "version: 1\nmode: sometimes\n");
        Path audit = dir.resolve("audit.jsonl");
        ChildJvm.Result r = ChildJvm.hello("policy=" + policy + ",failOpen=true,audit.file=" + audit, Map.of());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("is NOT protecting this JVM (failOpen=true)").contains("broken.yaml:2:")
                .contains("hello from the host application");
        assertThat(Files.readString(audit)).contains("\"event.action\":\"agent-unprotected\"")
                .contains("NOT protecting");
    }

    @Test
    void noPolicyRunsTheBuiltInDefaultInMonitorModeAuditingToStderr() throws Exception {
        ChildJvm.Result r = ChildJvm.hello(null, Map.of());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("mode monitor").contains("built-in default")
                .contains("\"event.action\":\"agent-start\"");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void optionsComeFromSystemPropertiesAndEnvironmentWithAgentArgumentsFirst() throws Exception {
        Path policy = write("moat.yaml", "version: 1\nmode: enforce\naudit:\n  stderr: false\n");
        ChildJvm.Result env = ChildJvm.hello(null, Map.of("MOAT_POLICY", policy.toString(), "MOAT_MODE", "monitor"));
        assertThat(env.stderr()).as(env.toString()).contains("mode monitor").contains(policy.toString());
        ChildJvm.Result arg = ChildJvm.hello("mode=enforce", Map.of("MOAT_POLICY", policy.toString(),
                "MOAT_MODE", "monitor"));
        assertThat(arg.stderr()).as(arg.toString()).contains("mode enforce");
    }

    @Test
    void aBadOptionStopsTheJvmNamingTheOption() throws Exception {
        ChildJvm.Result r = ChildJvm.hello("mode=bogus", Map.of());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(78);
        assertThat(r.stderr()).contains("mode").contains("bogus");
    }

    @Test
    void refusesToRunWhenBundledInsideAnApplicationJar() throws Exception {
        // An application jar that repackaged the agent's launcher: its copy shadows the real one.
        Path app = dir.resolve("app.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarFile agent = new JarFile(ChildJvm.agentJar().toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(app), manifest)) {
            for (JarEntry e : List.copyOf(agent.stream().toList())) {
                if (e.getName().startsWith("dev/moat/") && !e.isDirectory()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    out.write(agent.getInputStream(e).readAllBytes());
                    out.closeEntry();
                }
            }
        }
        ChildJvm.Result r = ChildJvm.run(Map.of(), List.of("-javaagent:" + ChildJvm.agentJar(), "-cp",
                app + ":" + ChildJvm.testClasses()), Hello.class.getName());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(78);
        assertThat(r.stderr()).contains("bundled inside").contains("app.jar");
    }

    @Test
    void checkPolicyAcceptsAValidFileAndRejectsABadOne() throws Exception {
        Path good = write("good.yaml", "version: 1\nmode: monitor\n");
        Path bad = write("bad.yaml", "version: 1\nnetwork:\n  allow:\n    - { cidr: 10.0.0.0/33 }\n");
        ChildJvm.Result ok = ChildJvm.run(Map.of(), List.of("-jar", ChildJvm.agentJar().toString()),
                "check-policy", good.toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.stdout()).contains("valid");
        ChildJvm.Result ko = ChildJvm.run(Map.of(), List.of("-jar", ChildJvm.agentJar().toString()),
                "check-policy", bad.toString());
        assertThat(ko.exitCode()).as(ko.toString()).isEqualTo(1);
        assertThat(ko.stderr()).contains("bad.yaml:4:").contains("network.allow[0]");
    }
}

package dev.moat.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The policies shipped in examples/ load and say what their comments say. */
class ExamplesTest {

    private static final PolicyEnvironment ENV = new PolicyEnvironment(Path.of("/home/demo"), Path.of("/tmp/workspace"));

    private static Path example(String name) {
        Path dir = Path.of(System.getProperty("moat.examples.dir", "../examples"));
        Path file = dir.resolve(name);
        assertThat(file).exists();
        return file;
    }

    @Test
    void auditOnly() throws Exception {
        Path file = example("audit-only.yaml");
        long lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        assertThat(lines).isLessThanOrEqualTo(5);
        Policy p = PolicyLoader.load(file, ENV);
        assertThat(p.mode()).isEqualTo(Mode.MONITOR);
        assertThat(p.audit().stderr()).isTrue();
        assertThat(p.files().declared()).isFalse();
        assertThat(p.network().declared()).isFalse();
        assertThat(p.tools()).isEmpty();
    }

    @Test
    void auditToFileWritesNothingToStderrAndLeavesTheFileToTheAgentArgument() throws Exception {
        Policy p = PolicyLoader.load(example("audit-to-file.yaml"), ENV);
        assertThat(p.mode()).isEqualTo(Mode.MONITOR);
        assertThat(p.audit().stderr()).isFalse();
        assertThat(p.audit().files()).isEmpty();
        assertThat(p.files().declared()).isFalse();
        assertThat(p.network().declared()).isFalse();
        assertThat(p.tools()).isEmpty();
    }

    @Test
    void demoServerPolicy() throws Exception {
        Policy p = PolicyLoader.load(example("moat.yaml"), ENV);
        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.failOpen()).isFalse();
        assertThat(p.tools()).containsOnlyKeys("read_file", "write_file", "delete_file", "list_directory", "search",
                "fetch_url", "run_command", "transfer_funds", "get_env");

        // files confined to the working directory
        assertThat(p.files().declared()).isTrue();
        assertThat(p.files().allow()).extracting(r -> r.path().pattern()).containsExactly("/tmp/workspace");
        assertThat(p.files().allowing(Path.of("/tmp/workspace/notes.txt"), Access.WRITE)).isPresent();
        assertThat(p.files().allowing(Path.of("/etc/passwd"), Access.READ)).isEmpty();
        assertThat(p.files().denying(Path.of("/tmp/workspace/.git/config"), Access.READ)).isPresent();
        assertThat(p.files().denying(Path.of("/tmp/workspace/sub/.env"), Access.READ)).isPresent();
        assertThat(p.files().denying(Path.of("/home/demo/.ssh/id_ed25519"), Access.READ)).isPresent();

        // delete_file denied, get_env not recorded, search sanitised for html and unicode only
        assertThat(p.isDenied("delete_file")).isTrue();
        assertThat(p.recordsArguments("get_env")).isFalse();
        assertThat(p.outputFor("search").sanitizersInOrder()).containsExactly(Sanitizer.HTML, Sanitizer.UNICODE);
        assertThat(p.outputFor("read_file").sanitizersInOrder()).containsExactly(Sanitizer.HTML, Sanitizer.TERMINAL,
                Sanitizer.UNICODE, Sanitizer.SECRETS);

        // no private network, no processes
        assertThat(p.network().declared()).isTrue();
        assertThat(p.network().builtInDeny()).isNotEmpty();
        assertThat(p.network().allow()).allSatisfy(r -> assertThat(r.ports()).containsExactlyInAnyOrder(80, 443));
        assertThat(p.process().declared()).isTrue();
        assertThat(p.process().allow()).isEmpty();

        assertThat(p.tool("read_file").orElseThrow().args().get("path").type()).isEqualTo(ArgType.PATH);
        assertThat(p.tool("transfer_funds").orElseThrow().args().get("amount").violation(1_000_000)).isPresent();
        assertThat(p.tool("fetch_url").orElseThrow().args().get("url").violation("https://example.com/")).isEmpty();
        assertThat(p.tool("fetch_url").orElseThrow().args().get("url").violation("file:///etc/passwd")).isPresent();
        assertThat(p.describe()).contains("delete_file     DENIED");
    }

    @Test
    void examplesHaveNoTabsAndEndWithNewline() throws Exception {
        for (String name : List.of("moat.yaml", "audit-only.yaml")) {
            String text = Files.readString(example(name));
            assertThat(text).as(name).doesNotContain("\t").endsWith("\n");
        }
    }
}

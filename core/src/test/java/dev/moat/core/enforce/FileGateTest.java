package dev.moat.core.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.audit.AuditEvent;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.files.JvmNeeds;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.PolicyEnvironment;
import dev.moat.core.policy.PolicyLoader;
import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file gate: table lines, answers, touches and the one event shape, without an agent. */
class FileGateTest {

    @TempDir
    Path tmp;

    Path root;
    Path outside;
    final List<AuditEvent> events = new ArrayList<>();

    @BeforeEach
    void layout() throws Exception {
        tmp = tmp.toRealPath();
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.writeString(tmp.resolve("secret.txt"), "s");
        Files.writeString(root.resolve("a.txt"), "a");
    }

    private FileGate gate(String mode) throws Exception {
        Policy policy = PolicyLoader.parse("version: 1\nmode: " + mode + "\nfiles:\n  allow:\n    - { path: " + root
                + ", access: [read, write, create, delete, list] }\n", "t.yaml", new PolicyEnvironment(tmp, root));
        return new FileGate(policy, JvmNeeds.none(), events::add);
    }

    @Test
    void everyLineOfTheTableIsComplete() {
        assertThat(FileOperations.all()).hasSizeGreaterThan(40).allSatisfy(op -> {
            assertThat(op.label()).contains(".");
            assertThat(op.access()).isNotNull();
            assertThat(op.link()).isNotNull();
            assertThat(op.report()).isNotNull();
        });
        assertThat(FileOperations.PROVIDER.get("copy").second()).isEqualTo(FileOperation.AccessRule.TARGET);
        assertThat(FileOperations.PROVIDER.get("newByteChannel").handOn()).isEqualTo(FileOperation.OPEN_HAND_ON);
        assertThat(FileOperations.FILE.get("no-such-method")).isNull();
    }

    @Test
    void eachReportIsTheExceptionThatApiAlreadyThrows() throws Exception {
        FileGate g = gate("enforce");
        assertThat(g.check(FileOperations.STREAM.get("FileInputStream"), root.resolve("a.txt"), null, "a.txt")).isNull();
        assertThat(g.check(FileOperations.STREAM.get("FileInputStream"), outside, null, "../secret.txt"))
                .isInstanceOf(FileNotFoundException.class).asString().contains("denied by Moat (rule files.allow)");
        assertThat(g.check(FileOperations.PROVIDER.get("newByteChannel"), outside, Set.of(StandardOpenOption.READ),
                outside.toString())).isInstanceOf(AccessDeniedException.class);
        assertThat(g.check(FileOperations.FILE.get("delete"), outside, null, outside.toString()))
                .isInstanceOf(SecurityException.class);
        assertThat(g.check(FileOperations.PROVIDER.get("exists"), outside, new LinkOption[0], outside.toString()))
                .isSameAs(FileGate.SKIP);
        Throwable t = (Throwable) g.check(FileOperations.FILE.get("delete"), outside, null, outside.toString());
        assertThat(t.getStackTrace()).noneMatch(e -> e.getClassName().startsWith("dev.moat.core.enforce"));
    }

    @Test
    void aMoveIsDecidedOnBothPaths() throws Exception {
        FileGate g = gate("enforce");
        FileOperation move = FileOperations.PROVIDER.get("move");
        assertThat(g.check(move, root.resolve("a.txt"), null, null, "a.txt", root.resolve("b.txt"), "b.txt")).isNull();
        Object denied = g.check(move, root.resolve("a.txt"), null, null, "a.txt", tmp.resolve("out.txt"), "../out.txt");
        assertThat(denied).isInstanceOf(AccessDeniedException.class).asString().contains("../out.txt");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("moat.file.access")).isEqualTo("create");
    }

    @Test
    void aDenialIsOneEventOfTheCommonShapeAndATouchOfTheCall() throws Exception {
        FileGate g = gate("enforce");
        ToolCallContext call = new ToolCallContext("read_file", "call-1", "session-1");
        try (ToolCallContext.Scope ignored = call.attach()) {
            g.check(FileOperations.STREAM.get("FileInputStream"), root.resolve("a.txt"), null, "a.txt");
            g.check(FileOperations.STREAM.get("FileInputStream"), root.resolve("a.txt"), null, "a.txt");
            g.check(FileOperations.STREAM.get("FileInputStream"), outside, null, "../secret.txt");
        }
        assertThat(call.touches()).extracting(t -> t.target() + " " + t.decision().label())
                .containsExactly(root.resolve("a.txt") + " allow", outside + " deny");
        assertThat(events).hasSize(1);
        AuditEvent e = events.get(0);
        assertThat(e.get("event.action")).isEqualTo("file-access");
        assertThat(e.get("event.type")).isEqualTo("denied");
        assertThat(e.get("moat.resource")).isEqualTo("file");
        assertThat(e.get("moat.operation")).isEqualTo("read");
        assertThat(e.get("moat.target")).isEqualTo(outside.toString());
        assertThat(e.get("moat.decision")).isEqualTo("deny");
        assertThat(e.get("rule.id")).isEqualTo("files.allow");
        assertThat(e.get("mcp.tool.name")).isEqualTo("read_file");
        assertThat(e.get("moat.call.id")).isEqualTo("call-1");
        assertThat(e.get("moat.file.requested")).isEqualTo("../secret.txt");
        assertThat(e.get("moat.file.operation")).isEqualTo("FileInputStream.open");
    }

    @Test
    void monitorModeRecordsWouldDenyAndLetsItThrough() throws Exception {
        FileGate g = gate("monitor");
        assertThat(g.check(FileOperations.STREAM.get("FileInputStream"), outside, null, "x")).isNull();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.get("moat.decision")).isEqualTo("would-deny");
            assertThat(e.get("event.type")).isEqualTo("allowed");
        });
    }

    @Test
    void theSameOperationHandedOnIsDecidedOnce() throws Exception {
        FileGate g = gate("enforce");
        FileOperation read = FileOperations.PROVIDER.get("readAttributes");
        Object[] key = new Object[0];
        Path path = root.resolve("a.txt");
        assertThat(g.check(read, path, key, key, "a", null, null)).isNull();
        assertThat(g.check(FileOperations.PROVIDER.get("getFileAttributeView"), path, key, key, "a", null, null)).isNull();
        assertThat(events).isEmpty();
    }

    @Test
    void warmUpRecordsNothing() throws Exception {
        FileGate g = gate("enforce");
        g.warmUp();
        assertThat(events).isEmpty();
    }
}

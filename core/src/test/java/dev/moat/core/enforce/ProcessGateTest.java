package dev.moat.core.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.audit.AuditEvent;
import dev.moat.core.audit.Redactor;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.policy.ProcessPolicy;
import dev.moat.core.process.ProcessGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The process gate: a denial inside a tool call is an IOException, a touch, and one event of the common shape. */
class ProcessGateTest {

    final List<AuditEvent> events = new ArrayList<>();

    private ProcessGate gate() {
        ProcessGuard guard = new ProcessGuard(new ProcessPolicy(false, List.of()), true, "/usr/bin:/bin", Path.of("/"));
        return new ProcessGate(guard, new Redactor(List.of("password")), events::add);
    }

    @Test
    void insideAToolCallAStartIsDeniedWithoutAProcessSection() {
        ToolCallContext call = new ToolCallContext("run", "call-7", null);
        IOException denied;
        try (ToolCallContext.Scope ignored = call.attach()) {
            denied = gate().start(new String[] {"sh", "-c", "id"}, null);
        }
        assertThat(denied).hasMessageContaining("Moat denied starting 'sh -c id' (rule process.default)");
        assertThat(call.touches()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo("process");
            assertThat(t.decision().label()).isEqualTo("deny");
        });
        AuditEvent e = events.get(0);
        assertThat(e.get("event.action")).isEqualTo("process-start");
        assertThat(e.get("event.type")).isEqualTo("denied");
        assertThat(e.get("moat.resource")).isEqualTo("process");
        assertThat(e.get("moat.operation")).isEqualTo("start");
        assertThat(e.get("process.command_line")).isEqualTo("sh -c id");
        assertThat(e.get("moat.call.id")).isEqualTo("call-7");
    }

    @Test
    void outsideToolCallsAStartIsAllowedAndAudited() {
        assertThat(gate().start(new String[] {"true"}, "/tmp")).isNull();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.get("moat.decision")).isEqualTo("allow");
            assertThat(e.get("process.working_directory")).isEqualTo("/tmp");
        });
    }
}

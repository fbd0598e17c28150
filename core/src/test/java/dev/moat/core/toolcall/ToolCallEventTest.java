package dev.moat.core.toolcall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.audit.AuditEvent;
import dev.moat.core.audit.Redactor;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.context.Touch;
import dev.moat.core.decision.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tool-call event as the interceptor builds it, without an SDK. */
class ToolCallEventTest {

    private final Redactor redactor = new Redactor(List.of("password"));

    @Test
    void aSuccessfulCallWithWhatItTouched() {
        ToolCallEvent e = ToolCallEvent.begin("id-1", "read_file", Map.of("password", "hunter2"), true, redactor,
                System.nanoTime());
        e.decided(Decision.allow("default", "no rule"));
        ToolCallContext context = new ToolCallContext("read_file", "id-1", null);
        context.touched(new Touch(Touch.FILE, "read", "/srv/a.txt", Decision.allow("files.allow[0]", "ok")));
        e.result(false, 42, null);
        e.touched(context);
        AuditEvent event = e.event();
        assertThat(event.get("event.id")).isEqualTo("id-1");
        assertThat(event.get("mcp.tool.arguments").toString()).doesNotContain("hunter2");
        assertThat(event.get("event.outcome")).isEqualTo("success");
        assertThat(event.get("moat.call.outcome")).isEqualTo("allowed");
        assertThat(event.get("mcp.result.chars")).isEqualTo(42L);
        assertThat((Long) event.get("event.duration")).isNotNegative();
        assertThat(event.get("moat.touched").toString()).contains("/srv/a.txt").contains("files.allow[0]");
    }

    @Test
    void deniedCancelledAndFailedCalls() {
        ToolCallEvent denied = ToolCallEvent.begin("id-2", "get_env", "x", false, redactor, System.nanoTime());
        denied.decided(Decision.deny(true, "tools.get_env.deny", "denied"));
        denied.denied();
        assertThat(denied.event().get("mcp.tool.arguments")).isEqualTo("[NOT RECORDED]");
        assertThat(denied.event().get("moat.call.outcome")).isEqualTo("denied");
        assertThat(denied.event().get("event.type")).isEqualTo("denied");

        ToolCallEvent cancelled = ToolCallEvent.begin("id-3", "slow", null, true, redactor, System.nanoTime());
        cancelled.cancelled("the call was cancelled before it finished");
        assertThat(cancelled.event().get("event.outcome")).isEqualTo("unknown");
        assertThat(cancelled.event().get("moat.call.cancelled")).isEqualTo(Boolean.TRUE);

        ToolCallEvent failed = ToolCallEvent.begin("id-4", "boom", null, true, redactor, System.nanoTime());
        failed.threw(new IllegalStateException("password=hunter2"), null);
        assertThat(failed.event().get("error.type")).isEqualTo(IllegalStateException.class.getName());
        assertThat(failed.event().get("error.message").toString()).doesNotContain("hunter2");
    }
}

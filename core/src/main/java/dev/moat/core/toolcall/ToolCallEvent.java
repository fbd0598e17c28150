package dev.moat.core.toolcall;

import dev.moat.core.audit.AuditEvent;
import dev.moat.core.audit.Redactor;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.context.Touch;
import dev.moat.core.decision.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit event of one tool call ({@code event.action: tool-call}), built here as the call goes: the
 * agent's interceptor reads the SDK's objects and tells this what happened. Fields: {@code event.id} (the
 * call's id), {@code mcp.tool.name}, redacted {@code mcp.tool.arguments}, {@code moat.decision},
 * {@code rule.id}, {@code event.reason}, {@code event.outcome} ({@code success}, {@code failure},
 * {@code unknown}), {@code moat.call.outcome} ({@code allowed}, {@code denied}, {@code error},
 * {@code cancelled}), {@code event.duration} (ns), {@code mcp.result.isError}, {@code mcp.result.chars},
 * {@code error.type}/{@code error.message} (redacted), {@code moat.call.cancelled}, and {@code moat.touched}:
 * what the call touched, each with its decision. The caller's identity fields are added by the agent
 * through {@link #event()}. Built by one thread at a time, as {@link AuditEvent} is.
 */
public final class ToolCallEvent {

    private final AuditEvent event;
    private final Redactor redactor;
    private final long start;

    private ToolCallEvent(AuditEvent event, Redactor redactor, long start) {
        this.event = event;
        this.redactor = redactor;
        this.start = start;
    }

    /**
     * The event of a call that starts now.
     *
     * @param recordArguments false when the policy says the tool's arguments are not recorded
     * @param startNanos      {@link System#nanoTime()} when the call arrived
     */
    public static ToolCallEvent begin(String callId, String tool, Object arguments, boolean recordArguments,
                                      Redactor redactor, long startNanos) {
        AuditEvent event = AuditEvent.of("tool-call", "api").put("event.id", callId).put("mcp.tool.name", tool);
        ToolCallEvent e = new ToolCallEvent(event, redactor, startNanos);
        e.event.put("mcp.tool.arguments", tool != null && !recordArguments ? "[NOT RECORDED]" : redactor.redact(arguments));
        return e;
    }

    /** The event itself, for the fields only the agent can read (caller identity). */
    public AuditEvent event() {
        return event;
    }

    /** The policy's decision on the call. */
    public void decided(Decision decision) {
        event.put("moat.decision", decision.label()).put("rule.id", decision.ruleId())
                .put("event.reason", decision.reason());
    }

    /** The call was denied before the tool ran. */
    public void denied() {
        took();
        event.put("event.outcome", "failure").put("event.type", "denied").put("moat.call.outcome", "denied");
    }

    /** The call ended before it finished: cancelled by the client, or still running when the JVM exited. */
    public void cancelled(String message) {
        took();
        event.put("event.outcome", "unknown").put("event.type", "allowed").put("moat.call.outcome", "cancelled")
                .put("moat.call.cancelled", Boolean.TRUE).put("message", message);
    }

    /** The tool (or the SDK on its behalf) threw; {@code note} says more, or is null. */
    public void threw(Throwable failure, String note) {
        took();
        event.put("event.type", "allowed").put("event.outcome", "failure").put("moat.call.outcome", "error")
                .put("error.type", failure.getClass().getName())
                .put("error.message", redactor.redact(failure.getMessage() != null ? failure.getMessage()
                        : failure.toString()))
                .put("message", note);
    }

    /** The call ended without a result. */
    public void noResult(String note) {
        took();
        event.put("event.type", "allowed").put("event.outcome", "failure").put("moat.call.outcome", "error")
                .put("error.message", note != null ? note : "the tool produced no result");
    }

    /**
     * The call returned a result.
     *
     * @param isError   the result's {@code isError}
     * @param chars     the characters of its text content, or -1 when unknown
     * @param errorText the start of an error result's text (redacted here), or null
     */
    public void result(boolean isError, long chars, String errorText) {
        took();
        event.put("event.type", "allowed").put("event.outcome", isError ? "failure" : "success")
                .put("moat.call.outcome", isError ? "error" : "allowed").put("mcp.result.isError", isError);
        if (chars >= 0) {
            event.put("mcp.result.chars", chars);
        }
        if (isError && errorText != null) {
            event.put("error.message", redactor.redact(errorText));
        }
    }

    /** The summary of what the call touched ({@code moat.touched}), from its context. */
    public void touched(ToolCallContext context) {
        List<Touch> touches = context.touches();
        if (touches.isEmpty()) {
            return;
        }
        List<Map<String, Object>> out = new ArrayList<>(touches.size());
        for (Touch t : touches) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", t.kind());
            m.put("operation", t.operation());
            m.put("target", t.target());
            m.put("decision", t.decision().label());
            m.put("rule", t.decision().ruleId());
            out.add(m);
        }
        event.put("moat.touched", out);
        if (context.droppedTouches() > 0) {
            event.put("moat.touched.dropped", context.droppedTouches());
        }
    }

    /** The event could not be completed; says why in the event itself. */
    public void incomplete(RuntimeException e) {
        event.put("moat.audit.error", String.valueOf(e));
    }

    private void took() {
        event.put("event.duration", System.nanoTime() - start);
    }
}

package dev.moat.core.enforce;

import dev.moat.core.audit.AuditEvent;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.context.Touch;
import dev.moat.core.decision.Decision;

/**
 * The one shape of every enforcement decision's audit event, whatever the resource (file, process,
 * and next network and native code). Common fields: {@code event.action} (for example
 * {@code file-access}, {@code process-start}), {@code event.category}, {@code event.type}
 * ({@code denied} when the operation is stopped, else {@code allowed}), {@code event.outcome},
 * {@code moat.resource} (the {@link Touch} kind), {@code moat.operation}, {@code moat.target},
 * {@code moat.decision} ({@code allow}, {@code deny}, {@code would-deny}), {@code rule.id},
 * {@code event.reason}, and the tool call it happened in ({@code mcp.tool.name}, {@code moat.call.id}).
 * Each resource's gate adds its Elastic Common Schema fields ({@code file.path},
 * {@code process.command_line}, ...) to the event this returns.
 */
public final class EnforcementEvent {

    private EnforcementEvent() {
    }

    /**
     * The event of one decision.
     *
     * @param action   {@code event.action}
     * @param category {@code event.category}
     * @param what     what was decided: resource kind, operation, target (already redacted), decision
     * @param call     the tool call it happened in, or null
     */
    public static AuditEvent of(String action, String category, Touch what, ToolCallContext call) {
        Decision d = what.decision();
        return AuditEvent.of(action, category)
                .put("event.type", d.blocks() ? "denied" : "allowed")
                .put("event.outcome", d.blocks() ? "failure" : "success")
                .put("moat.resource", what.kind())
                .put("moat.operation", what.operation())
                .put("moat.target", what.target())
                .put("moat.decision", d.label())
                .put("rule.id", d.ruleId())
                .put("event.reason", d.reason())
                .put("mcp.tool.name", call == null ? null : call.tool())
                .put("moat.call.id", call == null ? null : call.callId());
    }
}

package dev.moat.agent;

import dev.moat.core.audit.AuditLog;
import dev.moat.core.audit.Redactor;
import dev.moat.core.enforce.Enforcement;
import dev.moat.core.toolcall.ToolCallGuard;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;

/**
 * What hooks act with: core's decisions for resources ({@code enforcement}) and tool calls
 * ({@code toolCalls}), the redactor, the audit trail, standard error for diagnostics, and the
 * instrumentation (to open JDK packages to the agent at start).
 */
public record HookContext(Enforcement enforcement, ToolCallGuard toolCalls, Redactor redactor, AuditLog audit,
                          PrintStream diagnostics, Instrumentation instrumentation) {
}

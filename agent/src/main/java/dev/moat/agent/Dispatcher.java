package dev.moat.agent;

import dev.moat.agent.toolcall.ToolCallInterceptor;
import dev.moat.bridge.MoatDispatcher;
import dev.moat.core.audit.AuditEvent;
import dev.moat.core.audit.AuditLog;
import dev.moat.core.audit.Redactor;
import dev.moat.core.toolcall.ToolCallGuard;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent side of the bridge: what each hook does. Every entry point is guarded against
 * re-entrance (the agent's own I/O must not be checked by the agent) and never throws into the host.
 */
final class Dispatcher implements MoatDispatcher {

    private static final int MAX_REPORTED_ADVICE_FAILURES = 10;

    private final ToolCallGuard toolCalls;
    private final Redactor redactor;
    private final AuditLog audit;
    private final PrintStream diagnostics;
    private final AtomicLong adviceFailures = new AtomicLong();
    private final ThreadLocal<boolean[]> inAgent = ThreadLocal.withInitial(() -> new boolean[1]);

    Dispatcher(ToolCallGuard toolCalls, Redactor redactor, AuditLog audit, PrintStream diagnostics) {
        this.toolCalls = toolCalls;
        this.redactor = redactor;
        this.audit = audit;
        this.diagnostics = diagnostics;
    }

    @Override
    public Object wrapToolCallHandler(Object handler) {
        try {
            return ToolCallInterceptor.wrap(handler, toolCalls, redactor, audit);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // The hook applied but cannot protect this server: say so, loudly, and let it run.
            String message = "cannot intercept tool calls of " + handler.getClass().getName() + ": " + e;
            diagnostics.println("moat: WARNING: tool calls are NOT audited or checked: " + message);
            audit.record(AuditEvent.of("agent-unprotected", "configuration").put("event.outcome", "failure")
                    .put("moat.hook", "mcp-tool-call").put("message", message));
            return handler;
        }
    }

    @Override
    public void onProcessStart(String[] command, String directory) {
        boolean[] guard = inAgent.get();
        if (guard[0]) {
            return;
        }
        guard[0] = true;
        try {
            String commandLine = command == null ? null : String.join(" ", Arrays.asList(command));
            audit.record(AuditEvent.of("process-start", "process")
                    .put("event.type", "start")
                    .put("process.executable", command == null || command.length == 0 ? null : command[0])
                    .put("process.command_line", commandLine == null ? null : redactor.redact(commandLine))
                    .put("process.working_directory", directory)
                    .put("moat.decision", "allow")
                    .put("rule.id", "audit-only")
                    .put("event.outcome", "success"));
        } finally {
            guard[0] = false;
        }
    }

    @Override
    public void adviceFailed(Throwable failure) {
        long n = adviceFailures.incrementAndGet();
        if (n <= MAX_REPORTED_ADVICE_FAILURES) {
            diagnostics.println("moat: ERROR: a hook failed and was skipped (" + n + "): " + failure);
            audit.record(AuditEvent.of("advice-failure", "configuration").put("event.outcome", "failure")
                    .put("error.message", String.valueOf(failure)).put("moat.advice.failures", n));
        }
    }
}

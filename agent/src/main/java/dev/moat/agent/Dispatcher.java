package dev.moat.agent;

import dev.moat.agent.files.FileHookHandler;
import dev.moat.agent.toolcall.HttpCaller;
import dev.moat.agent.toolcall.ToolCallInterceptor;
import dev.moat.bridge.MoatDispatcher;
import dev.moat.core.audit.AuditEvent;
import dev.moat.core.audit.AuditLog;
import dev.moat.core.audit.Redactor;
import dev.moat.core.context.ContextTasks;
import dev.moat.core.context.ThreadHandoff;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.context.Touch;
import dev.moat.core.decision.Decision;
import dev.moat.core.process.ProcessGuard;
import dev.moat.core.toolcall.ToolCallGuard;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent side of the bridge: what each hook does. Every entry point is guarded against
 * re-entrance (the agent's own I/O must not be checked by the agent) and never throws into the host.
 */
final class Dispatcher implements MoatDispatcher {

    private static final int MAX_REPORTED_ADVICE_FAILURES = 10;

    private final ToolCallGuard toolCalls;
    private final ProcessGuard processes;
    private final Redactor redactor;
    private final AuditLog audit;
    private final PrintStream diagnostics;
    private final AtomicLong adviceFailures = new AtomicLong();
    private final ThreadLocal<boolean[]> inAgent = ThreadLocal.withInitial(() -> new boolean[1]);
    private volatile FileHookHandler files;

    Dispatcher(ToolCallGuard toolCalls, ProcessGuard processes, Redactor redactor, AuditLog audit,
               PrintStream diagnostics) {
        this.toolCalls = toolCalls;
        this.processes = processes;
        this.redactor = redactor;
        this.audit = audit;
        this.diagnostics = diagnostics;
        warmUp();
    }

    /**
     * Loads and initialises now what the JDK hooks call later (thread start and run, executor
     * submissions), so that no hook path triggers class loading from the agent jar.
     */
    private static void warmUp() {
        ToolCallContext probe = new ToolCallContext("moat-warm-up", "moat-warm-up", null);
        try (ToolCallContext.Scope ignored = probe.attach()) {
            ContextTasks.wrap((Runnable) () -> { }).run();
            ContextTasks.wrap(new FutureTask<>(() -> null)).run();
            try {
                ContextTasks.wrap((Callable<Object>) () -> null).call();
            } catch (Exception e) {
                // cannot happen
            }
            try (ToolCallContext.Scope suspended = ToolCallContext.suspend()) {
                ThreadHandoff.starting(Thread.currentThread());
            }
        }
        probe.end();
        ThreadHandoff.startFailed(Thread.currentThread());
        ThreadHandoff.running(Thread.currentThread());
    }

    /** Records the tool calls still in flight as unfinished; called at JVM exit before the audit closes. */
    void onShutdown() {
        ToolCallInterceptor.finishInFlight("the JVM exited before the call finished");
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
    public String onProcessStart(String[] command, String directory) {
        boolean[] guard = inAgent.get();
        if (guard[0]) {
            return null;
        }
        guard[0] = true;
        try {
            String commandLine = command == null ? null : String.join(" ", Arrays.asList(command));
            String redacted = commandLine == null ? null : String.valueOf(redactor.redact(commandLine));
            ToolCallContext call = ToolCallContext.current();
            Decision decision = processes.decide(command, directory, call != null);
            if (call != null) {
                call.touched(new Touch("process", "start", String.valueOf(redacted), decision));
            }
            audit.record(AuditEvent.of("process-start", "process")
                    .put("event.type", decision.blocks() ? "denied" : "start")
                    .put("process.executable", command == null || command.length == 0 ? null : command[0])
                    .put("process.command_line", redacted)
                    .put("process.working_directory", directory)
                    .put("moat.decision", decision.label())
                    .put("rule.id", decision.ruleId())
                    .put("event.reason", decision.reason())
                    .put("event.outcome", decision.blocks() ? "failure" : "success")
                    .put("moat.call.id", call == null ? null : call.callId())
                    .put("mcp.tool.name", call == null ? null : call.tool()));
            if (decision.blocks()) {
                return "Moat denied starting '" + redacted + "' (rule " + decision.ruleId() + "): " + decision.reason();
            }
            return null;
        } finally {
            guard[0] = false;
        }
    }

    @Override
    public Runnable wrapRunnable(Runnable task) {
        return ContextTasks.wrap(task);
    }

    @Override
    public Callable<?> wrapCallable(Callable<?> task) {
        return ContextTasks.wrap(task);
    }

    @Override
    public Object suspendToolCall() {
        return ToolCallContext.suspend();
    }

    @Override
    public void endScope(Object scope) {
        if (scope instanceof ToolCallContext.Scope s) {
            s.close();
        }
    }

    @Override
    public void onThreadStart(Thread thread) {
        ThreadHandoff.starting(thread);
    }

    @Override
    public void onThreadStartFailed(Thread thread) {
        ThreadHandoff.startFailed(thread);
    }

    @Override
    public Object onThreadRun(Thread thread) {
        return ThreadHandoff.running(thread);
    }

    @Override
    public Object wrapContextExtractor(Object transport, Object extractor) {
        try {
            return HttpCaller.wrapExtractor(transport, extractor);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            String message = "cannot record HTTP callers of " + transport.getClass().getName() + ": " + e;
            diagnostics.println("moat: WARNING: " + message);
            audit.record(AuditEvent.of("hook-degraded", "configuration").put("event.outcome", "failure")
                    .put("moat.hook", "mcp-http-caller").put("message", message));
            return extractor;
        }
    }

    @Override
    public String currentToolCall() {
        ToolCallContext call = ToolCallContext.current();
        return call == null ? null : call.callId();
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

    /** Installs the file hooks' handler (before the hooks go live); until then file operations pass. */
    void files(FileHookHandler handler) {
        this.files = handler;
    }

    @Override
    public Object checkFile(int api, String method, Object self, Object a0, Object a1, Object a2) {
        FileHookHandler f = files;
        return f == null ? null : f.check(api, method, self, a0, a1, a2);
    }
}

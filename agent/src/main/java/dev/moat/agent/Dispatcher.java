package dev.moat.agent;

import dev.moat.agent.toolcall.ToolCallInterceptor;
import dev.moat.bridge.MoatBridge;
import dev.moat.bridge.MoatDispatcher;
import dev.moat.core.audit.AuditEvent;
import dev.moat.core.context.ContextTasks;
import dev.moat.core.context.ThreadHandoff;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.files.AgentIo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent side of the bridge: routes each advice call to its {@link Hook} by id. Every entry is
 * generic, so a new hook is one class and one line in {@link Hooks}. Checks are never made
 * re-entrantly (the agent's own I/O while deciding passes unchecked, see {@link AgentIo}) nor on the
 * agent's own threads ({@code moat-*}); a check that throws is reported and decided closed in enforce
 * mode; a replacing or scope hook that throws leaves the host's value alone. Nothing here throws into
 * the host.
 */
final class Dispatcher implements MoatDispatcher {

    private static final int MAX_REPORTED_ADVICE_FAILURES = 10;

    private final Map<String, Hook> hooks;
    private final HookContext context;
    private final AtomicLong adviceFailures = new AtomicLong();
    private final Thread[] agentThreads;

    Dispatcher(List<Hook> hooks, HookContext context) {
        Map<String, Hook> byId = new HashMap<>();
        for (Hook hook : hooks) {
            byId.put(hook.id(), hook);
        }
        this.hooks = byId;
        this.context = context;
        this.agentThreads = agentThreads();
    }

    /**
     * Gets every hook ready and runs every code path once (core's gates, each hook's own translation,
     * the call context's hand-offs), so that no hook path triggers class loading or lazy initialisation.
     */
    void prepare() {
        for (Hook hook : hooks.values()) {
            hook.prepare(context);
        }
        context.enforcement().warmUp();
        warmUpContext();
        boolean[] busy = AgentIo.flag();
        for (Hook hook : hooks.values()) {
            busy[0] = true;
            try {
                context.enforcement().dryRun(() -> hook.warmUp(context));
            } catch (RuntimeException e) {
                context.diagnostics().println("moat: note: warm-up of hook " + hook.id() + ": " + e);
            } finally {
                busy[0] = false;
            }
        }
    }

    private static void warmUpContext() {
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

    /** The agent's own threads at start (the audit writer and its sinks). */
    private static Thread[] agentThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        List<Thread> agent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (all[i].getName().startsWith("moat-")) {
                agent.add(all[i]);
            }
        }
        return agent.toArray(new Thread[0]);
    }

    /** Records the tool calls still in flight as unfinished; called at JVM exit before the audit closes. */
    void onShutdown() {
        ToolCallInterceptor.finishInFlight("the JVM exited before the call finished");
    }

    @Override
    public Object check(String hook, String method, Object self, Object a0, Object a1, Object a2) {
        boolean[] busy = AgentIo.flag();
        if (busy[0]) {
            return null;
        }
        Thread current = Thread.currentThread();
        for (Thread t : agentThreads) {
            if (t == current) {
                return null;
            }
        }
        Hook h = hooks.get(hook);
        if (h == null) {
            return null;
        }
        busy[0] = true;
        try {
            return h.check(context, method, self, a0, a1, a2);
        } catch (Throwable t) {
            return context.enforcement().checkFailed(hook, method, t);
        } finally {
            busy[0] = false;
        }
    }

    @Override
    public Object replace(String hook, Object self, Object value) {
        Hook h = hooks.get(hook);
        if (h == null) {
            return value;
        }
        try {
            return h.replace(context, self, value);
        } catch (Throwable t) {
            MoatBridge.adviceFailed(t);
            return value;
        }
    }

    @Override
    public Object enter(String hook, Object self) {
        Hook h = hooks.get(hook);
        if (h == null) {
            return null;
        }
        try {
            return h.enter(context, self);
        } catch (Throwable t) {
            MoatBridge.adviceFailed(t);
            return null;
        }
    }

    @Override
    public void exit(String hook, Object self, Object scope, Throwable thrown) {
        Hook h = hooks.get(hook);
        if (h == null) {
            return;
        }
        try {
            h.exit(context, self, scope, thrown);
        } catch (Throwable t) {
            MoatBridge.adviceFailed(t);
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
            context.diagnostics().println("moat: ERROR: a hook failed and was skipped (" + n + "): " + failure);
            context.audit().record(AuditEvent.of("advice-failure", "configuration").put("event.outcome", "failure")
                    .put("error.message", String.valueOf(failure)).put("moat.advice.failures", n));
        }
    }
}

package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.context.ToolCallContext;
import net.bytebuddy.asm.Advice;

/**
 * {@code ThreadPoolExecutor.addWorker} runs with the tool call suspended: a pool worker started on
 * demand during a call is the pool's thread, not the call's, and must not inherit it.
 */
public final class PoolWorkerStartHook extends Hook {

    static final String ID = "executor-worker-start";

    public PoolWorkerStartHook() {
        super(ID, "ThreadPoolExecutor#addWorker", named(JdkExecutors.THREAD_POOL),
                named("addWorker").and(isPrivate()).and(takesArguments(Runnable.class, boolean.class)),
                PoolWorkerStartAdvice.class, JdkExecutors.THREAD_POOL);
    }

    @Override
    protected Object enter(HookContext context, Object pool) {
        return ToolCallContext.suspend();
    }

    @Override
    protected void exit(HookContext context, Object pool, Object scope, Throwable thrown) {
        if (scope instanceof ToolCallContext.Scope s) {
            s.close();
        }
    }

    /** A scope around the method. */
    public static final class PoolWorkerStartAdvice {
        private PoolWorkerStartAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter() {
            return MoatBridge.enter(ID, null);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
            MoatBridge.exit(ID, null, scope, thrown);
        }
    }
}

package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.context.ThreadHandoff;
import dev.moat.core.context.ToolCallContext;
import net.bytebuddy.asm.Advice;

/** {@code Thread.run}: attaches the tool call the thread was started in, for the length of the run. */
public final class ThreadRunHook extends Hook {

    static final String ID = "thread-run-context";

    public ThreadRunHook() {
        super(ID, "Thread#run", named("java.lang.Thread"), named("run").and(isPublic()).and(takesArguments(0)),
                ThreadRunAdvice.class, "java.lang.Thread");
    }

    @Override
    protected Object enter(HookContext context, Object thread) {
        return ThreadHandoff.running((Thread) thread);
    }

    @Override
    protected void exit(HookContext context, Object thread, Object scope, Throwable thrown) {
        if (scope instanceof ToolCallContext.Scope s) {
            s.close();
        }
    }

    /** A scope around {@code run}. */
    public static final class ThreadRunAdvice {
        private ThreadRunAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Thread thread) {
            return MoatBridge.enter(ID, thread);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Thread thread, @Advice.Enter Object scope) {
            MoatBridge.exit(ID, thread, scope, null);
        }
    }
}

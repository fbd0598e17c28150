package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.context.ThreadHandoff;
import net.bytebuddy.asm.Advice;

/**
 * {@code Thread.start}: a thread started inside a tool call runs its task in that call ({@code start()} on
 * JDK 17 and 25, {@code start(ThreadContainer)} on 21+).
 */
public final class ThreadStartHook extends Hook {

    static final String ID = "thread-start-context";

    public ThreadStartHook() {
        super(ID, "Thread#start", named("java.lang.Thread"),
                named("start").and(takesArguments(0).or(takesArguments(1)
                        .and(takesArgument(0, named("jdk.internal.vm.ThreadContainer"))))),
                ThreadStartAdvice.class, "java.lang.Thread");
    }

    @Override
    protected Object enter(HookContext context, Object thread) {
        ThreadHandoff.starting((Thread) thread);
        return null;
    }

    @Override
    protected void exit(HookContext context, Object thread, Object scope, Throwable thrown) {
        if (thrown != null) {
            ThreadHandoff.startFailed((Thread) thread);
        }
    }

    /** Enter hands the call over; exit takes it back if the start failed. */
    public static final class ThreadStartAdvice {
        private ThreadStartAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Thread thread) {
            return MoatBridge.enter(ID, thread);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Thread thread, @Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
            MoatBridge.exit(ID, thread, scope, thrown);
        }
    }
}

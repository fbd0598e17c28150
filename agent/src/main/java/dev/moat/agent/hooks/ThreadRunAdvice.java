package dev.moat.agent.hooks;

import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;

/** {@code Thread.run}: attaches the tool call the thread was started in, for the length of the run. */
public final class ThreadRunAdvice {

    private ThreadRunAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Thread thread) {
        return MoatBridge.onThreadRun(thread);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object scope) {
        MoatBridge.endScope(scope);
    }
}

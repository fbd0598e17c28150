package dev.moat.agent.hooks;

import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;

/** {@code Thread.start}: a thread started inside a tool call runs its task in that call. */
public final class ThreadStartAdvice {

    private ThreadStartAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread thread) {
        MoatBridge.onThreadStart(thread);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.This Thread thread, @Advice.Thrown Throwable failure) {
        if (failure != null) {
            MoatBridge.onThreadStartFailed(thread);
        }
    }
}

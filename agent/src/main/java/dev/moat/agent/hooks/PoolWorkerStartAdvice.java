package dev.moat.agent.hooks;

import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;

/**
 * {@code ThreadPoolExecutor.addWorker} runs with the tool call suspended: a pool worker started on
 * demand during a call is the pool's thread, not the call's, and must not inherit it.
 */
public final class PoolWorkerStartAdvice {

    private PoolWorkerStartAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter() {
        return MoatBridge.suspendToolCall();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object scope) {
        MoatBridge.endScope(scope);
    }
}

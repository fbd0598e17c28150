package dev.moat.agent.hooks;

import dev.moat.bridge.MoatBridge;
import java.util.concurrent.Callable;
import net.bytebuddy.asm.Advice;

/**
 * Carries the current tool call into a {@code Callable} handed to an executor
 * ({@code ScheduledThreadPoolExecutor.schedule}, {@code ForkJoinPool.submit/schedule}).
 */
public final class ExecutorCallableAdvice {

    private ExecutorCallableAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    @SuppressWarnings("rawtypes")
    static void enter(@Advice.Argument(value = 0, readOnly = false) Callable task) {
        task = MoatBridge.wrapCallable(task);
    }
}

package dev.moat.agent.hooks;

import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;

/**
 * Carries the current tool call into a {@code Runnable} handed to an executor
 * ({@code ThreadPoolExecutor.execute}, {@code ScheduledThreadPoolExecutor.schedule...},
 * {@code ForkJoinPool.execute/submit/schedule}): the task is replaced by a wrapper that attaches the
 * call while it runs. Outside tool calls the task is left as it is.
 */
public final class ExecutorRunnableAdvice {

    private ExecutorRunnableAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
        task = MoatBridge.wrapRunnable(task);
    }
}

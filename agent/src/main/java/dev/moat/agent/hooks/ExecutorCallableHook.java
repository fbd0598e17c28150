package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.context.ContextTasks;
import java.util.concurrent.Callable;
import net.bytebuddy.asm.Advice;

/**
 * Carries the current tool call into a {@code Callable} handed to an executor
 * ({@code ScheduledThreadPoolExecutor.schedule}, {@code ForkJoinPool.submit/schedule}).
 */
public final class ExecutorCallableHook extends Hook {

    static final String ID = "executor-context-callable";

    public ExecutorCallableHook() {
        super(ID, "ScheduledThreadPoolExecutor/ForkJoinPool#submit/schedule (Callable)",
                namedOneOf(JdkExecutors.SCHEDULED_POOL, JdkExecutors.FORK_JOIN_POOL),
                namedOneOf("submit", "schedule").and(isPublic()).and(not(isBridge()))
                        .and(takesArgument(0, Callable.class)),
                ExecutorCallableAdvice.class, JdkExecutors.SCHEDULED_POOL, JdkExecutors.FORK_JOIN_POOL);
    }

    @Override
    protected Object replace(HookContext context, Object executor, Object task) {
        return ContextTasks.wrap((Callable<?>) task);
    }

    /** Enter advice: the task argument is replaced. */
    public static final class ExecutorCallableAdvice {
        private ExecutorCallableAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        @SuppressWarnings("rawtypes")
        static void enter(@Advice.Argument(value = 0, readOnly = false) Callable task) {
            task = (Callable) MoatBridge.replace(ID, null, task);
        }
    }
}

package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.context.ContextTasks;
import net.bytebuddy.asm.Advice;

/**
 * Carries the current tool call into a {@code Runnable} handed to an executor
 * ({@code ThreadPoolExecutor.execute}, {@code ScheduledThreadPoolExecutor.schedule...},
 * {@code ForkJoinPool.execute/submit/schedule}; identical on JDK 17 and 25, {@code ForkJoinPool.schedule*}
 * from 25 on): the task is replaced by a wrapper that attaches the call while it runs. Outside tool calls
 * the task is left as it is.
 */
public final class ExecutorRunnableHook extends Hook {

    static final String ID = "executor-context";

    public ExecutorRunnableHook() {
        super(ID, "ThreadPoolExecutor#execute, ScheduledThreadPoolExecutor and ForkJoinPool#execute/submit/schedule*"
                        + " (Runnable)",
                namedOneOf(JdkExecutors.THREAD_POOL, JdkExecutors.SCHEDULED_POOL, JdkExecutors.FORK_JOIN_POOL),
                named("execute").and(takesArguments(1))
                        .or(named("submit").and(takesArguments(1).or(takesArguments(2))))
                        .or(namedOneOf("schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay"))
                        .and(isPublic()).and(not(isBridge())).and(takesArgument(0, Runnable.class)),
                ExecutorRunnableAdvice.class,
                JdkExecutors.THREAD_POOL, JdkExecutors.SCHEDULED_POOL, JdkExecutors.FORK_JOIN_POOL);
    }

    @Override
    protected Object replace(HookContext context, Object executor, Object task) {
        return ContextTasks.wrap((Runnable) task);
    }

    /** Enter advice: the task argument is replaced. */
    public static final class ExecutorRunnableAdvice {
        private ExecutorRunnableAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
            task = (Runnable) MoatBridge.replace(ID, null, task);
        }
    }
}

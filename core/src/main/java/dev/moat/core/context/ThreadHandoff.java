package dev.moat.core.context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries the current tool call into a thread that the call starts itself
 * ({@code new Thread(task).start()}), without {@link InheritableThreadLocal}: {@link #starting}
 * (called from {@code Thread.start} on the starting thread) notes the call for the new thread, and
 * {@link #running} (called from {@code Thread.run} on the new thread) attaches it there for the
 * thread's run.
 *
 * <p>Only threads that run their task through {@code Thread.run} itself take part: a subclass that
 * overrides {@code run()} (a {@code ForkJoinWorkerThread}, an event-loop thread) is a worker, not a
 * task. Pool workers of {@code ThreadPoolExecutor} are started with the call suspended, so they do
 * not inherit it either. Whatever still inherits a call (a worker of some other pool started on
 * demand) holds it only while the call is in progress: {@link ToolCallContext#current()} forgets an
 * ended call.
 */
public final class ThreadHandoff {

    private static final Map<Thread, ToolCallContext> PENDING = new ConcurrentHashMap<>();

    /** Whether a thread class runs its task through {@code Thread.run} (does not override it). */
    private static final ClassValue<Boolean> RUNS_TASK = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                for (Class<?> c = type; c != null && c != Thread.class; c = c.getSuperclass()) {
                    for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                        if (m.getName().equals("run") && m.getParameterCount() == 0) {
                            return Boolean.FALSE;
                        }
                    }
                }
                return Boolean.TRUE;
            } catch (Throwable e) {
                return Boolean.FALSE;
            }
        }
    };

    private ThreadHandoff() {
    }

    /** {@code thread} is being started by the current thread. */
    public static void starting(Thread thread) {
        ToolCallContext context = ToolCallContext.current();
        if (context == null || thread == null || !RUNS_TASK.get(thread.getClass())) {
            return;
        }
        PENDING.put(thread, context);
    }

    /** Starting {@code thread} failed (it was already started, or the JVM could not create it). */
    public static void startFailed(Thread thread) {
        if (thread != null && !PENDING.isEmpty()) {
            PENDING.remove(thread);
        }
    }

    /**
     * {@code thread} begins its run; returns the scope to close when the run ends, or null when the
     * thread carries no tool call.
     */
    public static ToolCallContext.Scope running(Thread thread) {
        if (PENDING.isEmpty() || thread != Thread.currentThread()) {
            return null;
        }
        ToolCallContext context = PENDING.remove(thread);
        return context == null || context.ended() ? null : context.attach();
    }

    /** Threads started in a tool call that have not begun to run yet (for tests and diagnostics). */
    static int pending() {
        return PENDING.size();
    }
}

package dev.moat.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one class advice code calls. It is defined in the bootstrap class loader so that advice
 * inlined into {@code java.base} can reach it, and it depends on nothing but {@code java.base}.
 * Until the agent has installed its dispatcher every method is a no-op that returns its input.
 */
public final class MoatBridge {

    private static final AtomicLong ADVICE_FAILURES = new AtomicLong();
    private static volatile MoatDispatcher dispatcher;

    private MoatBridge() {
    }

    /** Installs the agent's dispatcher; called once by the agent at start. */
    public static void install(MoatDispatcher d) {
        dispatcher = d;
    }

    /** The number of advice invocations that threw (and were suppressed) since the JVM started. */
    public static long adviceFailures() {
        return ADVICE_FAILURES.get();
    }

    /** Exception handler of every advice method: counts and reports, never rethrows. */
    public static void adviceFailed(Throwable failure) {
        ADVICE_FAILURES.incrementAndGet();
        MoatDispatcher d = dispatcher;
        if (d != null) {
            try {
                d.adviceFailed(failure);
            } catch (Throwable ignored) {
                // the count above is the record of last resort
            }
        }
    }

    /** @see MoatDispatcher#wrapToolCallHandler(Object) */
    public static Object wrapToolCallHandler(Object handler) {
        MoatDispatcher d = dispatcher;
        return d == null ? handler : d.wrapToolCallHandler(handler);
    }

    /** @see MoatDispatcher#wrapRunnable(Runnable) */
    public static Runnable wrapRunnable(Runnable task) {
        MoatDispatcher d = dispatcher;
        return d == null ? task : d.wrapRunnable(task);
    }

    /** @see MoatDispatcher#wrapCallable(java.util.concurrent.Callable) */
    @SuppressWarnings("rawtypes")
    public static java.util.concurrent.Callable wrapCallable(java.util.concurrent.Callable task) {
        MoatDispatcher d = dispatcher;
        return d == null ? task : d.wrapCallable(task);
    }

    /** @see MoatDispatcher#suspendToolCall() */
    public static Object suspendToolCall() {
        MoatDispatcher d = dispatcher;
        return d == null ? null : d.suspendToolCall();
    }

    /** @see MoatDispatcher#endScope(Object) */
    public static void endScope(Object scope) {
        MoatDispatcher d = dispatcher;
        if (d != null && scope != null) {
            d.endScope(scope);
        }
    }

    /** @see MoatDispatcher#onThreadStart(Thread) */
    public static void onThreadStart(Thread thread) {
        MoatDispatcher d = dispatcher;
        if (d != null) {
            d.onThreadStart(thread);
        }
    }

    /** @see MoatDispatcher#onThreadStartFailed(Thread) */
    public static void onThreadStartFailed(Thread thread) {
        MoatDispatcher d = dispatcher;
        if (d != null) {
            d.onThreadStartFailed(thread);
        }
    }

    /** @see MoatDispatcher#onThreadRun(Thread) */
    public static Object onThreadRun(Thread thread) {
        MoatDispatcher d = dispatcher;
        return d == null ? null : d.onThreadRun(thread);
    }

    /** @see MoatDispatcher#wrapContextExtractor(Object, Object) */
    public static Object wrapContextExtractor(Object transport, Object extractor) {
        MoatDispatcher d = dispatcher;
        return d == null ? extractor : d.wrapContextExtractor(transport, extractor);
    }

    /** @see MoatDispatcher#currentToolCall() */
    public static String currentToolCall() {
        MoatDispatcher d = dispatcher;
        return d == null ? null : d.currentToolCall();
    }

    /** @see MoatDispatcher#onProcessStart(String[], String) */
    public static String onProcessStart(String[] command, String directory) {
        MoatDispatcher d = dispatcher;
        return d == null ? null : d.onProcessStart(command, directory);
    }

    /** @see MoatDispatcher#checkFile(int, String, Object, Object, Object, Object) */
    public static Object checkFile(int api, String method, Object self, Object a0, Object a1, Object a2) {
        MoatDispatcher d = dispatcher;
        return d == null ? null : d.checkFile(api, method, self, a0, a1, a2);
    }
}

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

    /** @see MoatDispatcher#onProcessStart(String[], String) */
    public static void onProcessStart(String[] command, String directory) {
        MoatDispatcher d = dispatcher;
        if (d != null) {
            d.onProcessStart(command, directory);
        }
    }
}

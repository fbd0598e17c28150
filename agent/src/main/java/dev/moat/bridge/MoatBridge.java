package dev.moat.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one class advice code calls. It is defined in the bootstrap class loader so that advice
 * inlined into {@code java.base} can reach it, and it depends on nothing but {@code java.base}.
 * It has one entry per kind of advice ({@link #check}, {@link #replace}, {@link #enter}/{@link #exit});
 * each names its hook by id, so adding a hook never changes this class. Until the agent has installed
 * its dispatcher every entry is a no-op that lets the hooked code run unchanged.
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

    /** @see MoatDispatcher#check */
    public static Object check(String hook, String method, Object self, Object a0, Object a1, Object a2) {
        MoatDispatcher d = dispatcher;
        return d == null ? null : d.check(hook, method, self, a0, a1, a2);
    }

    /** @see MoatDispatcher#replace */
    public static Object replace(String hook, Object self, Object value) {
        MoatDispatcher d = dispatcher;
        return d == null ? value : d.replace(hook, self, value);
    }

    /** @see MoatDispatcher#enter */
    public static Object enter(String hook, Object self) {
        MoatDispatcher d = dispatcher;
        return d == null ? null : d.enter(hook, self);
    }

    /** @see MoatDispatcher#exit */
    public static void exit(String hook, Object self, Object scope, Throwable thrown) {
        MoatDispatcher d = dispatcher;
        if (d != null) {
            d.exit(hook, self, scope, thrown);
        }
    }

    /** @see MoatDispatcher#currentToolCall() */
    public static String currentToolCall() {
        MoatDispatcher d = dispatcher;
        return d == null ? null : d.currentToolCall();
    }
}

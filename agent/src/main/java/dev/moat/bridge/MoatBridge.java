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

    /** Hooks are being installed: the start stubs hold the threads that reach a hooked method. */
    private static final int PENDING = 1;
    /** Hooks are in place: a start stub still running re-invokes its method, which is hooked now. */
    private static final int INSTALLED = 2;
    /** The hooks could not be installed (failOpen): the start stubs let their methods run. */
    private static final int ABANDONED = 3;
    private static final Object HOOKS = new Object();
    private static volatile int hooks;
    private static volatile Thread starter;

    private MoatBridge() {
    }

    /** Installs the agent's dispatcher; called once by the agent at start. */
    public static void install(MoatDispatcher d) {
        dispatcher = d;
    }

    /**
     * The hooks are about to be installed on another thread: from now until {@link #hooksInstalled()} (or
     * {@link #hooksAbandoned()}), a thread that reaches a hooked enforcement method waits in
     * {@link #awaitHooks()}, except {@code starter} (the thread running the agent's premain, until
     * {@link #starterDone()}) and the agent's own {@code moat-*} threads.
     */
    public static void hooksPending(Thread starterThread) {
        starter = starterThread;
        hooks = PENDING;
    }

    /** The premain thread goes on to run the application: it waits like any other from now on. */
    public static void starterDone() {
        starter = null;
    }

    /** Every hook is in place: waiting threads go on, re-invoking their methods (now hooked). */
    public static void hooksInstalled() {
        synchronized (HOOKS) {
            hooks = INSTALLED;
            HOOKS.notifyAll();
        }
    }

    /** The hooks will not be installed (failOpen): waiting threads go on unchecked. */
    public static void hooksAbandoned() {
        synchronized (HOOKS) {
            hooks = ABANDONED;
            HOOKS.notifyAll();
        }
    }

    /**
     * Called first by each hooked enforcement method of the JDK while the hooks install (a start stub,
     * gone once the method is retransformed with its hook). Returns true when the caller must re-invoke
     * its method (the hooks are in place now), false when it may go on (the agent's own threads; hooks
     * abandoned).
     */
    public static boolean awaitHooks() {
        int state = hooks;
        if (state == INSTALLED) {
            return true;
        }
        if (state != PENDING) {
            return false;
        }
        Thread current = Thread.currentThread();
        if (current == starter || current.getName().startsWith("moat-")) {
            return false;
        }
        boolean interrupted = false;
        synchronized (HOOKS) {
            while (hooks == PENDING) {
                try {
                    HOOKS.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // an unchecked operation is no answer to an interrupt: wait on
                }
            }
        }
        if (interrupted) {
            current.interrupt();
        }
        return hooks == INSTALLED;
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

package dev.moat.bridge;

/**
 * What advice inlined into JDK and application classes may call, one entry per <em>kind</em> of advice.
 * Implemented inside the agent's isolated class loader, which routes each call to the hook named by
 * {@code hook} (the hook's id, a string constant the advice carries); only JDK types cross this
 * boundary. Adding a hook never changes this interface.
 */
public interface MoatDispatcher {

    /**
     * An enforcement check: a hooked method is about to run.
     *
     * @param hook   the hook's id
     * @param method the hooked method's name (hooks on several methods tell them apart by it)
     * @param self   the receiver, or null
     * @param a0     the first argument the hook passes, or null
     * @param a1     the second, or null
     * @param a2     the third, or null
     * @return null to let the method run, a {@link Throwable} for the advice to throw instead, or another
     *         non-null value to skip the method (it then returns its default value)
     */
    Object check(String hook, String method, Object self, Object a0, Object a1, Object a2);

    /**
     * Replaces a value the hooked code is about to use (a handler, a task, an extractor) with one that
     * passes through the agent; returns {@code value} itself to leave it alone.
     */
    Object replace(String hook, Object self, Object value);

    /** A hooked method begins; returns a scope handed back to {@link #exit}, or null. */
    Object enter(String hook, Object self);

    /** A hooked method ends ({@code thrown}: what it threw, or null) with the scope {@link #enter} returned. */
    void exit(String hook, Object self, Object scope, Throwable thrown);

    /** The id of the tool call current on this thread, or null (diagnostics and tests). */
    String currentToolCall();

    /** An advice method threw; the advice suppressed it and the host went on. */
    void adviceFailed(Throwable failure);
}

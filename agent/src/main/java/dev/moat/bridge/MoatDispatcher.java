package dev.moat.bridge;

/**
 * What advice inlined into JDK and application classes may call. Implemented inside the agent's
 * isolated class loader; only JDK types cross this boundary.
 */
public interface MoatDispatcher {

    /** Wraps the SDK's {@code tools/call} handler so every call passes through the agent. */
    Object wrapToolCallHandler(Object handler);

    /**
     * A process is about to start; the command line and working directory as given to the JDK.
     *
     * @return null to let it start, or the reason it is denied (the hook then fails the start with an
     *         {@code IOException} carrying it)
     */
    String onProcessStart(String[] command, String directory);

    /** Wraps a task submitted to an executor so that it runs in the submitter's tool call (if any). */
    Runnable wrapRunnable(Runnable task);

    /** Wraps a task submitted to an executor so that it runs in the submitter's tool call (if any). */
    java.util.concurrent.Callable<?> wrapCallable(java.util.concurrent.Callable<?> task);

    /** Detaches the current tool call until {@link #endScope(Object)} (pool internals, not the call's work). */
    Object suspendToolCall();

    /** Closes a scope returned by {@link #suspendToolCall()} or {@link #onThreadRun(Thread)}; null is ignored. */
    void endScope(Object scope);

    /** {@code thread} is being started (on the starting thread). */
    void onThreadStart(Thread thread);

    /** Starting {@code thread} threw. */
    void onThreadStartFailed(Thread thread);

    /** {@code thread} begins {@code Thread.run}; returns a scope for {@link #endScope(Object)}, or null. */
    Object onThreadRun(Thread thread);

    /**
     * Wraps an MCP servlet transport's {@code McpTransportContextExtractor} so that the transport
     * context also carries the HTTP caller (remote address, user agent, principal, token hash).
     */
    Object wrapContextExtractor(Object transport, Object extractor);

    /** The id of the tool call current on this thread, or null (diagnostics and tests). */
    String currentToolCall();

    /** An advice method threw; the advice suppressed it and the host went on. */
    void adviceFailed(Throwable failure);

    /**
     * A hooked JDK file method is about to run (see {@code dev.moat.agent.files.FileApi} for {@code api}):
     * returns null to let it run, a Throwable for the advice to throw instead, or another non-null
     * value to skip it (it then returns its default value).
     */
    Object checkFile(int api, String method, Object self, Object a0, Object a1, Object a2);
}

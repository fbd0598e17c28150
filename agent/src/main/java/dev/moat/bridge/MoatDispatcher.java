package dev.moat.bridge;

/**
 * What advice inlined into JDK and application classes may call. Implemented inside the agent's
 * isolated class loader; only JDK types cross this boundary.
 */
public interface MoatDispatcher {

    /** Wraps the SDK's {@code tools/call} handler so every call passes through the agent. */
    Object wrapToolCallHandler(Object handler);

    /** A process is about to start; the command line and working directory as given to the JDK. */
    void onProcessStart(String[] command, String directory);

    /** An advice method threw; the advice suppressed it and the host went on. */
    void adviceFailed(Throwable failure);
}

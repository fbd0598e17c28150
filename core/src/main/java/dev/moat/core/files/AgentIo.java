package dev.moat.core.files;

/**
 * Marks the file I/O the agent does for itself (resolving a path reads attributes and links) so that
 * the file hooks let it through unchecked and never recurse. One flag per thread, set by whoever
 * enters first and cleared by that same caller.
 */
public final class AgentIo {

    private static final ThreadLocal<boolean[]> ACTIVE = ThreadLocal.withInitial(() -> new boolean[1]);

    private AgentIo() {
    }

    /** This thread's flag: element 0 is true while the agent does its own file I/O. */
    public static boolean[] flag() {
        return ACTIVE.get();
    }
}

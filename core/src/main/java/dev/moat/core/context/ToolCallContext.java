package dev.moat.core.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tool call in progress: who called which tool, and what the call has touched so far. It is
 * attached to the thread that runs the handler (and carried to the threads the handler hands work
 * to) with {@link #attach()}, and detached when that work is done, so pooled threads never keep it.
 *
 * <p>Enforcement hooks read {@link #current()} to decide per tool and {@link #touched(Touch)} to add
 * to the call's summary. The summary is bounded: beyond {@value #MAX_TOUCHES} entries only a count is kept.
 *
 * <p>A context is current only while its call is in progress: once the call has {@linkplain #end()
 * ended} (its audit event is written), {@link #current()} no longer returns it, even on a thread
 * that still has it attached. So a thread that was started during a call and outlives it (a pool
 * worker started on demand, say) stops being attributed to the call when the call is over.
 */
public final class ToolCallContext {

    /** The most touches kept per call; the rest are counted in {@link #droppedTouches()}. */
    public static final int MAX_TOUCHES = 256;

    private static final ThreadLocal<ToolCallContext> CURRENT = new ThreadLocal<>();

    private final String tool;
    private final String callId;
    private final String sessionId;
    private final List<Touch> touches = new ArrayList<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile boolean ended;

    /**
     * @param tool      the tool's name as the client sent it
     * @param callId    unique id of this call (also the audit event's {@code event.id})
     * @param sessionId the MCP session, or null when the transport has none
     */
    public ToolCallContext(String tool, String callId, String sessionId) {
        this.tool = tool;
        this.callId = Objects.requireNonNull(callId, "callId");
        this.sessionId = sessionId;
    }

    /** The context of the tool call running on this thread, or null outside tool calls (or after it ended). */
    public static ToolCallContext current() {
        ToolCallContext context = CURRENT.get();
        return context == null || context.ended ? null : context;
    }

    /**
     * Makes this the current context of this thread until the returned scope is closed, which
     * restores whatever was current before (so nested and re-entrant use is safe).
     */
    public Scope attach() {
        ToolCallContext previous = CURRENT.get();
        CURRENT.set(this);
        return new Scope(previous);
    }

    /**
     * Detaches whatever context this thread has until the returned scope is closed, for code that
     * runs on a tool call's thread but is not the call's work (for example a thread pool starting a
     * worker thread on demand: the worker must not inherit the call). Allocates nothing when no
     * context is attached.
     */
    public static Scope suspend() {
        ToolCallContext previous = CURRENT.get();
        if (previous == null) {
            return Scope.NOTHING;
        }
        CURRENT.set(null);
        return new Scope(previous);
    }

    /** Restores the previous context when closed. Close it on the thread that attached it. */
    public static final class Scope implements AutoCloseable {

        /** The scope of a {@link #suspend()} that had nothing to suspend. */
        static final Scope NOTHING = new Scope(null);

        private final ToolCallContext previous;

        private Scope(ToolCallContext previous) {
            this.previous = previous;
        }

        /**
         * Sets the previous context back, null included: a null value keeps the thread's map entry,
         * so the next call on this (pooled) thread neither removes nor re-creates it.
         */
        @Override
        public void close() {
            CURRENT.set(previous);
        }
    }

    /** The tool's name. */
    public String tool() {
        return tool;
    }

    /** This call's unique id. */
    public String callId() {
        return callId;
    }

    /** The MCP session id, or null. */
    public String sessionId() {
        return sessionId;
    }

    /** Marks the call as over: from now on {@link #current()} no longer returns this context. */
    public void end() {
        ended = true;
    }

    /** Whether the call is over. */
    public boolean ended() {
        return ended;
    }

    /** Adds what an enforcement hook saw to this call's summary. Safe from any thread. */
    public void touched(Touch touch) {
        synchronized (touches) {
            if (touches.size() < MAX_TOUCHES) {
                touches.add(touch);
                return;
            }
        }
        dropped.incrementAndGet();
    }

    /** A snapshot of what the call touched, in order. */
    public List<Touch> touches() {
        synchronized (touches) {
            return List.copyOf(touches);
        }
    }

    /** Touches beyond {@link #MAX_TOUCHES}, counted but not kept. */
    public int droppedTouches() {
        return dropped.get();
    }

    @Override
    public String toString() {
        return "tool call " + callId + " (" + tool + ")";
    }
}

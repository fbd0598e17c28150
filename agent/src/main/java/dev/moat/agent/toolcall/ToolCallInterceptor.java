package dev.moat.agent.toolcall;

import dev.moat.core.audit.AuditLog;
import dev.moat.core.audit.Redactor;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.decision.Decision;
import dev.moat.core.toolcall.ToolCallEvent;
import dev.moat.core.toolcall.ToolCallGuard;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * Decorates the SDK's {@code tools/call} handler ({@code McpRequestHandler} or
 * {@code McpStatelessRequestHandler}) with a JDK proxy defined in the SDK's own class loader: every
 * call is decided before the tool runs and audited when its {@code Mono} terminates, including
 * errors and cancellations. A denied call never reaches the tool: the client gets an MCP error
 * result that says why.
 *
 * <p>Each call gets a {@link ToolCallContext} (its id is the audit event's {@code event.id}). It is
 * attached while the SDK's handler builds the call's {@code Mono} and while that {@code Mono} is
 * subscribed (where a sync tool really runs), and it travels with the work from there (Reactor
 * schedulers, executors, threads: see {@link SdkAccess#withContext} and the executor and thread
 * hooks). When the call ends, the context ends with it, and the audit event carries the summary of
 * what the call touched.
 *
 * <p>The event: {@code event.id}, {@code mcp.tool.name}, redacted {@code mcp.tool.arguments},
 * caller identity ({@link CallerIdentity}), {@code moat.decision}/{@code rule.id}/{@code event.reason},
 * {@code event.outcome} ({@code success}, {@code failure}, {@code unknown}), {@code moat.call.outcome}
 * ({@code allowed}, {@code denied}, {@code error}, {@code cancelled}), {@code event.duration} (ns),
 * {@code mcp.result.chars}, {@code error.type}/{@code error.message}, {@code moat.call.cancelled} and
 * {@code moat.touched} (what the call opened, connected to, started, each with its decision).
 */
public final class ToolCallInterceptor implements InvocationHandler {

    /** Calls that have started and not finished, so that the JVM's exit can still record them. */
    private static final Set<Call> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    /**
     * Bound on {@link #IN_FLIGHT}: a handler whose {@code Mono} is never subscribed would otherwise
     * keep its call there for ever. Beyond it, calls are still audited when they end, just not at exit.
     */
    private static final int MAX_IN_FLIGHT = 65_536;

    /** Result text kept in {@code error.message} of an error result (schema rejections, tool errors). */
    private static final int MAX_ERROR_TEXT = 512;

    private final Object delegate;
    /** The delegate's {@code handle(exchange, params)}, as {@code (exchange, params) -> Mono}; null if not found. */
    private final BiFunction<Object, Object, Object> handle;
    private final SdkAccess sdk;
    private final ToolCallGuard guard;
    private final Redactor redactor;
    private final AuditLog audit;

    private ToolCallInterceptor(Object delegate, SdkAccess sdk, ToolCallGuard guard, Redactor redactor,
                                AuditLog audit) {
        this.delegate = delegate;
        this.handle = handleOf(delegate);
        this.sdk = sdk;
        this.guard = guard;
        this.redactor = redactor;
        this.audit = audit;
    }

    /**
     * Returns a proxy around {@code handler} implementing the same SDK interfaces, or {@code handler}
     * itself if it cannot be wrapped (then the failure is the caller's to report).
     */
    public static Object wrap(Object handler, ToolCallGuard guard, Redactor redactor, AuditLog audit)
            throws ReflectiveOperationException {
        if (handler == null || Proxy.isProxyClass(handler.getClass())
                && Proxy.getInvocationHandler(handler) instanceof ToolCallInterceptor) {
            return handler;
        }
        Class<?>[] interfaces = handler.getClass().getInterfaces();
        if (interfaces.length == 0) {
            throw new ReflectiveOperationException(handler.getClass().getName() + " implements no handler interface");
        }
        ClassLoader sdkLoader = interfaces[0].getClassLoader();
        SdkAccess sdk = SdkAccess.forLoader(sdkLoader);
        return Proxy.newProxyInstance(sdkLoader, interfaces,
                new ToolCallInterceptor(handler, sdk, guard, redactor, audit));
    }

    /**
     * Records every call still in flight as unfinished ({@code event.outcome: unknown},
     * {@code moat.call.cancelled: true}); called when the JVM exits, before the audit log closes.
     *
     * @return how many calls were recorded
     */
    public static int finishInFlight(String reason) {
        int n = 0;
        for (Call call : List.copyOf(IN_FLIGHT)) {
            if (call.finish(null, null, Termination.ABANDONED, reason)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("handle") && args != null && args.length == 2) {
            return handle(method, args);
        }
        Object answer = ProxyObjectMethods.answer(proxy, method, args, delegate, false);
        return answer != ProxyObjectMethods.NOT_AN_OBJECT_METHOD ? answer : callDelegate(method, args);
    }

    private Object callDelegate(Method method, Object[] args) throws Throwable {
        return ProxyObjectMethods.forward(method, delegate, args);
    }

    private Object handle(Method method, Object[] args) throws Throwable {
        long start = System.nanoTime();
        Object[] nameAndArgs = SdkAccess.nameAndArguments(args[1]);
        String tool = nameAndArgs[0] == null ? null : String.valueOf(nameAndArgs[0]);
        String callId = newCallId();
        ToolCallEvent event = ToolCallEvent.begin(callId, tool, nameAndArgs[1],
                tool == null || guard.recordArguments(tool), redactor, start);
        String session = CallerIdentity.describe(args[0], event.event());
        ToolCallContext context = new ToolCallContext(tool, callId, session);

        Decision decision = guard.decide(tool);
        decision = decision.action() == Decision.Action.ALLOW ? guard.decideArguments(tool, nameAndArgs[1]) : decision;
        event.decided(decision);
        Call call = new Call(event, context);
        if (decision.blocks()) {
            call.finish(null, null, Termination.DENIED, null);
            return sdk.errorResultMono("Moat denied tool '" + tool + "': " + decision.reason()
                    + " (rule " + decision.ruleId() + ")");
        }

        if (IN_FLIGHT.size() < MAX_IN_FLIGHT) {
            IN_FLIGHT.add(call);
        }
        Object mono;
        try (ToolCallContext.Scope ignored = context.attach()) {
            mono = handle == null ? callDelegate(method, args) : handle.apply(args[0], args[1]);
        } catch (Throwable t) {
            call.finish(null, t, Termination.ERROR, null);
            throw t;
        }
        if (mono == null) {
            call.finish(null, null, Termination.COMPLETE, "the handler returned no Mono");
            return null;
        }
        try {
            return sdk.observe(sdk.withContext(mono, context), call::succeeded, call::failed, call::terminated);
        } catch (Throwable t) {
            // cannot observe this call: let it run unobserved rather than break it, and say so
            call.finish(null, t, Termination.ERROR, "moat could not observe the call");
            return mono;
        }
    }

    /**
     * {@code (exchange, params) -> handler.handle(exchange, params)} through the two-argument
     * {@code handle} of the handler's public SDK interface, or null.
     */
    private static BiFunction<Object, Object, Object> handleOf(Object handler) {
        for (Class<?> type : handler.getClass().getInterfaces()) {
            for (Method m : type.getMethods()) {
                if (m.getName().equals("handle") && m.getParameterCount() == 2 && !m.isDefault()) {
                    try {
                        return DirectCalls.bound(m, handler);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** A random (version 4) UUID without {@code SecureRandom}: unique, cheap, never blocks. */
    static String newCallId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    /** How a call ended. */
    private enum Termination { COMPLETE, ERROR, CANCEL, DENIED, ABANDONED }

    /** One call in progress: its event, its context and what its {@code Mono} signalled. */
    private final class Call {
        private final ToolCallEvent event;
        private final ToolCallContext context;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile Object result;
        private volatile Throwable error;

        Call(ToolCallEvent event, ToolCallContext context) {
            this.event = event;
            this.context = context;
        }

        void succeeded(Object value) {
            result = value;
        }

        void failed(Throwable t) {
            error = t;
        }

        /** {@code doFinally}: {@code signal} is Reactor's {@code SignalType}. */
        void terminated(Object signal) {
            String s = String.valueOf(signal);
            Termination how = "cancel".equals(s) ? Termination.CANCEL
                    : error != null || "onError".equals(s) ? Termination.ERROR : Termination.COMPLETE;
            finish(result, error, how, null);
        }

        /** Writes the event once; false if it was already written. */
        boolean finish(Object value, Throwable failure, Termination how, String note) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            context.end();
            IN_FLIGHT.remove(this);
            try {
                describeOutcome(value, failure, how, note);
                event.touched(context);
            } catch (RuntimeException e) {
                event.incomplete(e);
            }
            audit.record(event.event());
            return true;
        }

        /** Reads the SDK's result and tells the event what happened. */
        private void describeOutcome(Object value, Throwable failure, Termination how, String note) {
            if (how == Termination.DENIED) {
                event.denied();
            } else if (how == Termination.CANCEL || how == Termination.ABANDONED) {
                event.cancelled(how == Termination.CANCEL ? "the call was cancelled before it finished" : note);
            } else if (failure != null) {
                event.threw(failure, note);
            } else if (value == null) {
                event.noResult(note);
            } else {
                boolean isError = sdk.isErrorResult(value);
                event.result(isError, sdk.resultChars(value), isError ? sdk.resultText(value, MAX_ERROR_TEXT) : null);
            }
        }
    }
}

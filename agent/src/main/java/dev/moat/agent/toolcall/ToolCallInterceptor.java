package dev.moat.agent.toolcall;

import dev.moat.core.audit.AuditEvent;
import dev.moat.core.audit.AuditLog;
import dev.moat.core.audit.Redactor;
import dev.moat.core.decision.Decision;
import dev.moat.core.toolcall.ToolCallGuard;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decorates the SDK's {@code tools/call} handler ({@code McpRequestHandler} or
 * {@code McpStatelessRequestHandler}) with a JDK proxy defined in the SDK's own class loader: every
 * call is decided before the tool runs and audited when its {@code Mono} terminates, including
 * errors and cancellations. A denied call never reaches the tool: the client gets an MCP error
 * result that says why.
 */
public final class ToolCallInterceptor implements InvocationHandler {

    private final Object delegate;
    private final SdkAccess sdk;
    private final ToolCallGuard guard;
    private final Redactor redactor;
    private final AuditLog audit;

    private ToolCallInterceptor(Object delegate, SdkAccess sdk, ToolCallGuard guard, Redactor redactor,
                                AuditLog audit) {
        this.delegate = delegate;
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

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("handle") && args != null && args.length == 2) {
            return handle(method, args);
        }
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "moat(" + delegate + ")";
            default:
                return callDelegate(method, args);
        }
    }

    private Object callDelegate(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object handle(Method method, Object[] args) throws Throwable {
        long start = System.nanoTime();
        Object[] nameAndArgs = SdkAccess.nameAndArguments(args[1]);
        String tool = nameAndArgs[0] == null ? null : String.valueOf(nameAndArgs[0]);
        AuditEvent event = AuditEvent.of("tool-call", "api").put("mcp.tool.name", tool);
        CallerIdentity.describe(args[0], event);
        event.put("mcp.tool.arguments", tool != null && !guard.recordArguments(tool)
                ? "[NOT RECORDED]" : redactor.redact(nameAndArgs[1]));

        Decision decision = guard.decide(tool);
        putDecision(event, decision);
        if (decision.blocks()) {
            event.put("event.outcome", "failure").put("event.type", "denied")
                    .put("event.duration", System.nanoTime() - start);
            audit.record(event);
            return sdk.errorResultMono("Moat denied tool '" + tool + "': " + decision.reason()
                    + " (rule " + decision.ruleId() + ")");
        }

        Object mono;
        try {
            mono = callDelegate(method, args);
        } catch (Throwable t) {
            finish(event, start, null, t, "error");
            throw t;
        }
        if (mono == null) {
            finish(event, start, null, null, "null result");
            return null;
        }
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        return sdk.observe(mono, result::set, error::set, signal -> {
            if (done.compareAndSet(false, true)) {
                finish(event, start, result.get(), error.get(), String.valueOf(signal));
            }
        });
    }

    private static void putDecision(AuditEvent event, Decision decision) {
        event.put("moat.decision", decision.label()).put("rule.id", decision.ruleId())
                .put("event.reason", decision.reason());
    }

    private void finish(AuditEvent event, long start, Object result, Throwable error, String signal) {
        event.put("event.duration", System.nanoTime() - start);
        if (error != null) {
            event.put("event.outcome", "failure").put("error.message", redactor.redact(String.valueOf(error)));
        } else if ("cancel".equals(signal)) {
            event.put("event.outcome", "unknown").put("moat.call.cancelled", Boolean.TRUE);
        } else if (result == null) {
            event.put("event.outcome", "failure").put("error.message", "the tool produced no result (" + signal + ")");
        } else {
            boolean isError = sdk.isErrorResult(result);
            event.put("event.outcome", isError ? "failure" : "success").put("mcp.result.isError", isError);
            long chars = sdk.resultChars(result);
            if (chars >= 0) {
                event.put("mcp.result.chars", chars);
            }
        }
        event.put("event.type", "allowed");
        audit.record(event);
    }
}

package dev.moat.agent.toolcall;

import dev.moat.core.audit.AuditEvent;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * Reads who is calling from the SDK's exchange object ({@code McpAsyncServerExchange}: session id,
 * the client's {@code initialize} info and the transport context) or, for stateless servers, from the
 * transport context itself, without linking against the SDK. Over HTTP the transport context carries
 * what {@link HttpCaller} recorded: remote address, user agent, principal and a short hash of a
 * bearer token.
 */
final class CallerIdentity {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    private static final ClassValue<MethodHandle> SESSION_ID = accessor("sessionId");
    private static final ClassValue<MethodHandle> CLIENT_INFO = accessor("getClientInfo");
    private static final ClassValue<MethodHandle> TRANSPORT_CONTEXT = accessor("transportContext");
    private static final ClassValue<MethodHandle> NAME = accessor("name");
    private static final ClassValue<MethodHandle> VERSION = accessor("version");

    private CallerIdentity() {
    }

    private static ClassValue<MethodHandle> accessor(String name) {
        return new ClassValue<>() {
            @Override
            protected MethodHandle computeValue(Class<?> type) {
                try {
                    return LOOKUP.findVirtual(type, name, MethodType.methodType(
                            type.getMethod(name).getReturnType())).asType(
                            MethodType.methodType(Object.class, Object.class));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        };
    }

    private static Object call(ClassValue<MethodHandle> accessor, Object target) {
        if (target == null) {
            return null;
        }
        MethodHandle handle = accessor.get(target.getClass());
        if (handle == null) {
            return null;
        }
        try {
            return handle.invoke(target);
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Adds {@code mcp.session.id}, {@code mcp.client.name}, {@code mcp.client.version} and, over HTTP,
     * {@code client.ip}, {@code client.port}, {@code user_agent.original}, {@code user.name},
     * {@code moat.client.token.sha256} and {@code moat.client.forwarded_for} where known.
     *
     * @param exchangeOrContext the first argument of the SDK's handler: the exchange (stateful) or
     *                          the transport context (stateless)
     * @return the session id, or null
     */
    static String describe(Object exchangeOrContext, AuditEvent event) {
        Object session = call(SESSION_ID, exchangeOrContext);
        String sessionId = session == null ? null : String.valueOf(session);
        event.put("mcp.session.id", sessionId);
        Object client = call(CLIENT_INFO, exchangeOrContext);
        if (client != null) {
            Object name = call(NAME, client);
            Object version = call(VERSION, client);
            event.put("mcp.client.name", name == null ? null : String.valueOf(name));
            event.put("mcp.client.version", version == null ? null : String.valueOf(version));
        }
        Map<String, Object> http = HttpCaller.recorded(exchangeOrContext);
        if (http == null) {
            http = HttpCaller.recorded(call(TRANSPORT_CONTEXT, exchangeOrContext));
        }
        if (http != null) {
            http.forEach(event::put);
        }
        return sessionId;
    }
}

package dev.moat.agent.toolcall;

import dev.moat.core.audit.AuditEvent;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads who is calling from the SDK's exchange object ({@code McpAsyncServerExchange}: session id
 * and the client's {@code initialize} info) without linking against it.
 */
final class CallerIdentity {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    private static final ClassValue<MethodHandle> SESSION_ID = accessor("sessionId");
    private static final ClassValue<MethodHandle> CLIENT_INFO = accessor("getClientInfo");
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

    /** Adds {@code mcp.session.id}, {@code mcp.client.name} and {@code mcp.client.version} where known. */
    static void describe(Object exchange, AuditEvent event) {
        Object session = call(SESSION_ID, exchange);
        event.put("mcp.session.id", session == null ? null : String.valueOf(session));
        Object client = call(CLIENT_INFO, exchange);
        Object name = call(NAME, client);
        Object version = call(VERSION, client);
        event.put("mcp.client.name", name == null ? null : String.valueOf(name));
        event.put("mcp.client.version", version == null ? null : String.valueOf(version));
    }
}

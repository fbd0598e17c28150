package dev.moat.agent.toolcall;

import dev.moat.core.audit.AuditEvent;
import java.util.function.Function;

/**
 * Reads who is calling from the SDK's exchange object ({@code McpAsyncServerExchange}: session id,
 * the client's {@code initialize} info and the transport context) or, for stateless servers, from the
 * transport context itself, without linking against the SDK. Over HTTP the transport context carries
 * what {@link HttpCaller} recorded: remote address, user agent, principal and a short hash of a
 * bearer token.
 *
 * <p>This runs on every tool call: the accessors of a class are made once ({@link DirectCalls}; one
 * {@link PerClass} read per object after that).
 */
final class CallerIdentity {

    /** The accessors of an exchange (stateful) or transport-context (stateless) class. */
    private static final PerClass<Accessors> EXCHANGE = new PerClass<>(type -> new Accessors(
            getter(type, "sessionId"), getter(type, "getClientInfo"), getter(type, "transportContext")));

    /** The accessors of the client's {@code Implementation} (name and version) class. */
    private static final PerClass<Accessors> CLIENT_INFO = new PerClass<>(type -> new Accessors(
            getter(type, "name"), getter(type, "version"), null));

    private CallerIdentity() {
    }

    /** Up to three getters of one class, null where missing. */
    private record Accessors(Function<Object, Object> first, Function<Object, Object> second,
                             Function<Object, Object> third) {
    }

    private static Function<Object, Object> getter(Class<?> type, String name) {
        try {
            return DirectCalls.function(type.getMethod(name));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object call(Function<Object, Object> getter, Object target) {
        if (getter == null) {
            return null;
        }
        try {
            return getter.apply(target);
        } catch (Exception e) {
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
        if (exchangeOrContext == null) {
            return null;
        }
        HttpCaller.Caller http = HttpCaller.recorded(exchangeOrContext);
        if (http != null) {
            // stateless: the transport context itself, which has no session or client info
            http.putInto(event);
            return null;
        }
        Accessors exchange = EXCHANGE.get(exchangeOrContext.getClass());
        Object session = call(exchange.first(), exchangeOrContext);
        String sessionId = session == null ? null : session.toString();
        event.put("mcp.session.id", sessionId);
        Object client = call(exchange.second(), exchangeOrContext);
        if (client != null) {
            Accessors info = CLIENT_INFO.get(client.getClass());
            Object name = call(info.first(), client);
            Object version = call(info.second(), client);
            event.put("mcp.client.name", name == null ? null : name.toString());
            event.put("mcp.client.version", version == null ? null : version.toString());
        }
        http = HttpCaller.recorded(call(exchange.third(), exchangeOrContext));
        if (http != null) {
            http.putInto(event);
        }
        return sessionId;
    }
}

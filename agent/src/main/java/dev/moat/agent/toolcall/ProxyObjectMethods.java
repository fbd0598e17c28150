package dev.moat.agent.toolcall;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The {@code Object} methods of the agent's JDK proxies (the tool-call handler, the HTTP extractor and
 * transport context, the context-carrying publisher): identity {@code equals} and {@code hashCode},
 * and a {@code toString} that names what the proxy stands for; every other method is forwarded.
 */
final class ProxyObjectMethods {

    /** What {@link #answer} returns for a method that is not one of {@code Object}'s. */
    static final Object NOT_AN_OBJECT_METHOD = new Object();

    private ProxyObjectMethods() {
    }

    /**
     * The answer of {@code proxy} to {@code equals}, {@code hashCode} or {@code toString}, or
     * {@link #NOT_AN_OBJECT_METHOD}. {@code toString} is {@code moat(target)}, or the target's own text
     * when {@code transparent} (a proxy the application should see as its own object).
     */
    static Object answer(Object proxy, Method method, Object[] args, Object target, boolean transparent) {
        int arity = args == null ? 0 : args.length;
        switch (method.getName()) {
            case "equals":
                return arity == 1 ? (Object) (proxy == args[0]) : NOT_AN_OBJECT_METHOD;
            case "hashCode":
                return arity == 0 ? (Object) System.identityHashCode(proxy) : NOT_AN_OBJECT_METHOD;
            case "toString":
                return arity == 0 ? (transparent ? String.valueOf(target) : "moat(" + target + ")") : NOT_AN_OBJECT_METHOD;
            default:
                return NOT_AN_OBJECT_METHOD;
        }
    }

    /** Calls {@code method} on the proxy's target; what the target throws is thrown unchanged. */
    static Object forward(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

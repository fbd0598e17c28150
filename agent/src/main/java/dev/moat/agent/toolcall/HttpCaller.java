package dev.moat.agent.toolcall;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling over HTTP. The MCP SDK's HTTP server transports turn each request into an
 * {@code McpTransportContext} through a {@code McpTransportContextExtractor}, which by default
 * records nothing. The agent wraps that extractor (when the transport is constructed): the wrapper
 * calls the application's extractor as before and returns its context wrapped in a proxy that
 * answers every {@code get} exactly as the original does and additionally remembers, for the agent
 * only, the request's remote address and port, {@code User-Agent}, authenticated principal,
 * {@code X-Forwarded-For}, and a short SHA-256 hash of a bearer token (never the token).
 *
 * <p>Requests are read through method handles found once per request class: servlet requests
 * ({@code jakarta.servlet} or {@code javax.servlet}), Spring WebMVC's {@code ServerRequest} (through
 * its {@code servletRequest()}), and Spring WebFlux's {@code ServerRequest} ({@code remoteAddress()},
 * {@code headers().firstHeader(..)}).
 */
public final class HttpCaller {

    static final String EXTRACTOR = "io.modelcontextprotocol.server.McpTransportContextExtractor";
    static final String CONTEXT = "io.modelcontextprotocol.common.McpTransportContext";

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();
    private static final int MAX_HEADER = 512;
    private static final int TOKEN_HASH_HEX = 16;
    private static final MessageDigest SHA256 = sha256();

    private HttpCaller() {
    }

    /**
     * Wraps {@code extractor} (the value of the transport's {@code contextExtractor} field); returns
     * it unchanged when it is null, not an extractor, or already wrapped.
     */
    public static Object wrapExtractor(Object transport, Object extractor) throws ReflectiveOperationException {
        if (extractor == null || transport == null) {
            return extractor;
        }
        if (Proxy.isProxyClass(extractor.getClass()) && Proxy.getInvocationHandler(extractor) instanceof Extractor) {
            return extractor;
        }
        ClassLoader loader = transport.getClass().getClassLoader();
        Class<?> extractorType = Class.forName(EXTRACTOR, false, loader);
        Class<?> contextType = Class.forName(CONTEXT, false, loader);
        if (!extractorType.isInstance(extractor)) {
            return extractor;
        }
        MethodHandle extract = LOOKUP.findVirtual(extractorType, "extract", MethodType.methodType(contextType,
                Object.class)).asType(MethodType.methodType(Object.class, Object.class, Object.class));
        MethodHandle get = LOOKUP.findVirtual(contextType, "get", MethodType.methodType(Object.class, String.class))
                .asType(MethodType.methodType(Object.class, Object.class, String.class));
        MethodHandle contextProxy = SdkAccess.proxyConstructor(loader, contextType);
        return Proxy.newProxyInstance(loader, new Class<?>[] {extractorType},
                new Extractor(extractor, extract, get, contextProxy, loader, contextType));
    }

    /**
     * The private question a transport context of ours answers: {@code get(CALLER_KEY)} returns its
     * {@link Caller}. Compared by identity, so no key the application or a client makes can ask it.
     */
    private static final String CALLER_KEY = new String("dev.moat.caller");

    /** What was recorded about the HTTP caller in this transport context, or null (stdio, or not ours). */
    static Map<String, Object> recorded(Object transportContext) {
        if (transportContext == null) {
            return null;
        }
        MethodHandle get = CONTEXT_GET.get(transportContext.getClass());
        if (get == null) {
            return null;
        }
        try {
            return (Object) get.invokeExact(transportContext, CALLER_KEY) instanceof Caller c ? c.fields : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * {@code get(String)} of the transport-context interface a JDK proxy class implements, typed
     * {@code (Object, String) -> Object}; null for every other class. Asked once per class: the check
     * runs on every tool call, and {@code Proxy.getInvocationHandler} costs a class-loader map lookup.
     */
    private static final ClassValue<MethodHandle> CONTEXT_GET = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            if (!Proxy.isProxyClass(type)) {
                return null;
            }
            for (Class<?> face : type.getInterfaces()) {
                if (face.getName().equals(CONTEXT)) {
                    try {
                        return LOOKUP.findVirtual(face, "get", MethodType.methodType(Object.class, String.class))
                                .asType(MethodType.methodType(Object.class, Object.class, String.class));
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    };

    /** The caller fields of one request, as the agent alone can read them from its transport context. */
    private record Caller(Map<String, Object> fields) {
    }

    /** The wrapped {@code McpTransportContextExtractor}. */
    private static final class Extractor implements InvocationHandler {
        private final Object delegate;
        private final MethodHandle extract;
        private final MethodHandle get;
        private final MethodHandle contextProxy;
        private final ClassLoader loader;
        private final Class<?> contextType;

        Extractor(Object delegate, MethodHandle extract, MethodHandle get, MethodHandle contextProxy,
                  ClassLoader loader, Class<?> contextType) {
            this.delegate = delegate;
            this.extract = extract;
            this.get = get;
            this.contextProxy = contextProxy;
            this.loader = loader;
            this.contextType = contextType;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "extract":
                    if (args != null && args.length == 1) {
                        Object context = extract.invoke(delegate, args[0]);
                        Map<String, Object> caller;
                        try {
                            caller = read(args[0]);
                        } catch (Throwable e) {
                            return context;
                        }
                        if (caller.isEmpty()) {
                            return context;
                        }
                        return SdkAccess.newProxy(contextProxy, loader, contextType, new Recorded(context, get, caller));
                    }
                    break;
                default:
                    Object answer = ProxyObjectMethods.answer(proxy, method, args, delegate, false);
                    if (answer != ProxyObjectMethods.NOT_AN_OBJECT_METHOD) {
                        return answer;
                    }
                    break;
            }
            return method.invoke(delegate, args);
        }
    }

    /** The transport context handed on: the application's, plus what the agent recorded. */
    private static final class Recorded implements InvocationHandler {
        private final Object delegate;
        private final MethodHandle get;
        private final Caller caller;

        Recorded(Object delegate, MethodHandle get, Map<String, Object> caller) {
            this.delegate = delegate;
            this.get = get;
            this.caller = new Caller(Collections.unmodifiableMap(caller));
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "get":
                    if (args != null && args.length == 1) {
                        if (args[0] == CALLER_KEY) {
                            return caller;
                        }
                        return delegate == null ? null : get.invoke(delegate, (String) args[0]);
                    }
                    break;
                default:
                    Object answer = ProxyObjectMethods.answer(proxy, method, args, delegate, true);
                    if (answer != ProxyObjectMethods.NOT_AN_OBJECT_METHOD) {
                        return answer;
                    }
                    break;
            }
            if (delegate == null) {
                throw new UnsupportedOperationException(method.toString());
            }
            return method.invoke(delegate, args);
        }
    }

    /** The caller fields of one request (ECS names). */
    static Map<String, Object> read(Object request) throws Throwable {
        Map<String, Object> out = new LinkedHashMap<>();
        if (request == null) {
            return out;
        }
        RequestReader reader = READERS.get(request.getClass());
        reader.read(request, out);
        return out;
    }

    private static final ClassValue<RequestReader> READERS = new ClassValue<>() {
        @Override
        protected RequestReader computeValue(Class<?> type) {
            return RequestReader.forType(type);
        }
    };

    /** Reads one kind of request object. */
    private static final class RequestReader {
        private final MethodHandle remoteAddr;
        private final MethodHandle remotePort;
        private final MethodHandle header;
        private final MethodHandle principal;
        private final MethodHandle servletRequest;
        private final MethodHandle remoteAddress;
        private final MethodHandle headers;

        private RequestReader(MethodHandle remoteAddr, MethodHandle remotePort, MethodHandle header,
                              MethodHandle principal, MethodHandle servletRequest, MethodHandle remoteAddress,
                              MethodHandle headers) {
            this.remoteAddr = remoteAddr;
            this.remotePort = remotePort;
            this.header = header;
            this.principal = principal;
            this.servletRequest = servletRequest;
            this.remoteAddress = remoteAddress;
            this.headers = headers;
        }

        static RequestReader forType(Class<?> type) {
            return new RequestReader(
                    handle(type, "getRemoteAddr", Object.class),
                    handle(type, "getRemotePort", Object.class),
                    handle(type, "getHeader", Object.class, String.class),
                    handle(type, "getUserPrincipal", Object.class),
                    handle(type, "servletRequest", Object.class),
                    handle(type, "remoteAddress", Object.class),
                    handle(type, "headers", Object.class));
        }

        void read(Object request, Map<String, Object> out) throws Throwable {
            if (remoteAddr != null || header != null) {
                if (remoteAddr != null) {
                    out.put("client.ip", remoteAddr.invoke(request));
                }
                if (remotePort != null && remotePort.invoke(request) instanceof Integer port && port > 0) {
                    out.put("client.port", port);
                }
                if (principal != null && principal.invoke(request) instanceof Principal p) {
                    out.put("user.name", p.getName());
                }
                if (header != null) {
                    headers(name -> (String) header.invoke(request, name), out);
                }
                return;
            }
            if (servletRequest != null) {
                Object servlet = servletRequest.invoke(request);
                if (servlet != null) {
                    READERS.get(servlet.getClass()).read(servlet, out);
                }
                return;
            }
            if (remoteAddress != null && remoteAddress.invoke(request) instanceof Optional<?> address
                    && address.orElse(null) instanceof InetSocketAddress socket) {
                if (socket.getAddress() != null) {
                    out.put("client.ip", socket.getAddress().getHostAddress());
                }
                out.put("client.port", socket.getPort());
            }
            if (headers != null) {
                Object all = headers.invoke(request);
                MethodHandle first = all == null ? null : FIRST_HEADER.get(all.getClass());
                if (first != null) {
                    headers(name -> (String) first.invoke(all, name), out);
                }
            }
        }
    }

    private static final ClassValue<MethodHandle> FIRST_HEADER = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            return handle(type, "firstHeader", Object.class, String.class);
        }
    };

    /** Reads one header by name. */
    private interface HeaderSource {
        String get(String name) throws Throwable;
    }

    private static void headers(HeaderSource source, Map<String, Object> out) throws Throwable {
        String agent = source.get("User-Agent");
        if (agent != null) {
            out.put("user_agent.original", cut(agent));
        }
        String forwarded = source.get("X-Forwarded-For");
        if (forwarded != null) {
            out.put("moat.client.forwarded_for", cut(forwarded));
        }
        String authorization = source.get("Authorization");
        if (authorization != null) {
            int space = authorization.indexOf(' ');
            String scheme = space > 0 ? authorization.substring(0, space) : authorization;
            out.put("moat.client.auth_scheme", cut(scheme));
            if (space > 0 && scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
                out.put("moat.client.token.sha256", tokenHash(authorization.substring(space + 1).trim()));
            }
        }
    }

    /** The first {@value #TOKEN_HASH_HEX} hex digits of the token's SHA-256: enough to correlate, useless to replay. */
    static String tokenHash(String token) throws CloneNotSupportedException {
        MessageDigest digest = (MessageDigest) SHA256.clone();
        byte[] hash = digest.digest(token.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder(TOKEN_HASH_HEX);
        for (int i = 0; i < TOKEN_HASH_HEX / 2; i++) {
            hex.append(Character.forDigit((hash[i] >> 4) & 0xf, 16)).append(Character.forDigit(hash[i] & 0xf, 16));
        }
        return hex.toString();
    }

    private static String cut(String value) {
        return value.length() > MAX_HEADER ? value.substring(0, MAX_HEADER) + "..." : value;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /**
     * A handle for the public method {@code name(params)} of {@code type}, found on a public class or
     * interface it inherits it from (servlet containers implement requests in non-public classes),
     * typed {@code (Object, params...) -> returnType}; null if there is none.
     */
    static MethodHandle handle(Class<?> type, String name, Class<?> returnType, Class<?>... params) {
        Method method;
        try {
            method = type.getMethod(name, params);
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
        MethodType wanted = MethodType.methodType(method.getReturnType(), params);
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        todo.add(type);
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (!seen.add(c)) {
                continue;
            }
            if (Modifier.isPublic(c.getModifiers())) {
                try {
                    MethodHandle h = LOOKUP.findVirtual(c, name, wanted);
                    Class<?>[] erased = new Class<?>[params.length + 1];
                    erased[0] = Object.class;
                    System.arraycopy(params, 0, erased, 1, params.length);
                    return h.asType(MethodType.methodType(returnType, erased));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // not accessible through this type: try its supertypes
                }
            }
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
            todo.addAll(java.util.List.of(c.getInterfaces()));
        }
        return null;
    }
}

package dev.moat.agent.toolcall;

import dev.moat.core.audit.AuditEvent;
import java.lang.invoke.MethodHandle;
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
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Who is calling over HTTP. The MCP SDK's HTTP server transports turn each request into an
 * {@code McpTransportContext} through a {@code McpTransportContextExtractor}, which by default
 * records nothing. The agent wraps that extractor (when the transport is constructed): the wrapper
 * calls the application's extractor as before and returns its context wrapped in a proxy that
 * answers every {@code get} exactly as the original does and additionally remembers, for the agent
 * only, the request's remote address and port, {@code User-Agent}, authenticated principal,
 * {@code X-Forwarded-For}, and a short SHA-256 hash of a bearer token (never the token).
 *
 * <p>Requests are read through accessors made once per request class ({@link DirectCalls}): servlet requests
 * ({@code jakarta.servlet} or {@code javax.servlet}), Spring WebMVC's {@code ServerRequest} (through
 * its {@code servletRequest()}), and Spring WebFlux's {@code ServerRequest} ({@code remoteAddress()},
 * {@code headers().firstHeader(..)}).
 */
public final class HttpCaller {

    static final String EXTRACTOR = "io.modelcontextprotocol.server.McpTransportContextExtractor";
    static final String CONTEXT = "io.modelcontextprotocol.common.McpTransportContext";

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
        BiFunction<Object, Object, Object> extract = DirectCalls.biFunction(extractorType.getMethod("extract",
                Object.class));
        BiFunction<Object, Object, Object> get = DirectCalls.biFunction(contextType.getMethod("get", String.class));
        Function<Object, Object> contextProxy = SdkAccess.proxyFactory(loader, contextType);
        return Proxy.newProxyInstance(loader, new Class<?>[] {extractorType},
                new Extractor(extractor, extract, get, contextProxy, loader, contextType));
    }

    /**
     * The private question a transport context of ours answers: {@code get(CALLER_KEY)} returns its
     * {@link Caller}. Compared by identity, so no key the application or a client makes can ask it.
     */
    private static final String CALLER_KEY = new String("dev.moat.caller");

    /** What was recorded about the HTTP caller in this transport context, or null (stdio, or not ours). */
    static Caller recorded(Object transportContext) {
        if (transportContext == null) {
            return null;
        }
        BiFunction<Object, Object, Object> get = CONTEXT_GET.get(transportContext.getClass());
        if (get == null) {
            return null;
        }
        try {
            return get.apply(transportContext, CALLER_KEY) instanceof Caller c ? c : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * {@code get(String)} of the transport-context interface a JDK proxy class implements; null for
     * every other class. Asked once per class: the check runs on every tool call, and
     * {@code Proxy.getInvocationHandler} costs a class-loader map lookup.
     */
    private static final PerClass<BiFunction<Object, Object, Object>> CONTEXT_GET =
            new PerClass<>(HttpCaller::contextGet);

    private static BiFunction<Object, Object, Object> contextGet(Class<?> type) {
        if (!Proxy.isProxyClass(type)) {
            return null;
        }
        for (Class<?> face : type.getInterfaces()) {
            if (face.getName().equals(CONTEXT)) {
                try {
                    return DirectCalls.biFunction(face.getMethod("get", String.class));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * The caller fields of one request (ECS names, each at most once, in the order read), as the agent
     * alone can read them from its transport context. Read on every HTTP request: a few name/value
     * pairs in one array, not a map.
     */
    static final class Caller {
        /** Seven fields at most: address, port, user, user agent, forwarded-for, auth scheme, token hash. */
        private final Object[] pairs = new Object[14];
        private int size;

        private void put(String name, Object value) {
            if (value != null) {
                pairs[size++] = name;
                pairs[size++] = value;
            }
        }

        boolean isEmpty() {
            return size == 0;
        }

        /** Adds every field to {@code event}. */
        void putInto(AuditEvent event) {
            for (int i = 0; i < size; i += 2) {
                event.put((String) pairs[i], pairs[i + 1]);
            }
        }

        /** The fields as a map, in the order read. */
        Map<String, Object> asMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < size; i += 2) {
                out.put((String) pairs[i], pairs[i + 1]);
            }
            return out;
        }

        @Override
        public String toString() {
            return asMap().toString();
        }
    }

    /** The wrapped {@code McpTransportContextExtractor}. */
    private static final class Extractor implements InvocationHandler {
        private final Object delegate;
        private final BiFunction<Object, Object, Object> extract;
        private final BiFunction<Object, Object, Object> get;
        private final Function<Object, Object> contextProxy;
        private final ClassLoader loader;
        private final Class<?> contextType;

        Extractor(Object delegate, BiFunction<Object, Object, Object> extract, BiFunction<Object, Object, Object> get,
                  Function<Object, Object> contextProxy,
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
            if ("extract".equals(method.getName()) && args != null && args.length == 1) {
                Object context = extract.apply(delegate, args[0]);
                Caller caller;
                try {
                    caller = readCaller(args[0]);
                } catch (Exception e) {
                    return context;
                }
                if (caller.isEmpty()) {
                    return context;
                }
                return SdkAccess.newProxy(contextProxy, loader, contextType, new Recorded(context, get, caller));
            }
            Object answer = ProxyObjectMethods.answer(proxy, method, args, delegate, false);
            return answer != ProxyObjectMethods.NOT_AN_OBJECT_METHOD ? answer
                    : ProxyObjectMethods.forward(method, delegate, args);
        }
    }

    /** The transport context handed on: the application's, plus what the agent recorded. */
    private static final class Recorded implements InvocationHandler {
        private final Object delegate;
        private final BiFunction<Object, Object, Object> get;
        private final Caller caller;

        Recorded(Object delegate, BiFunction<Object, Object, Object> get, Caller caller) {
            this.delegate = delegate;
            this.get = get;
            this.caller = caller;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if ("get".equals(method.getName()) && args != null && args.length == 1) {
                if (args[0] == CALLER_KEY) {
                    return caller;
                }
                return delegate == null ? null : get.apply(delegate, args[0]);
            }
            Object answer = ProxyObjectMethods.answer(proxy, method, args, delegate, true);
            if (answer != ProxyObjectMethods.NOT_AN_OBJECT_METHOD) {
                return answer;
            }
            if (delegate == null) {
                throw new UnsupportedOperationException(method.toString());
            }
            return ProxyObjectMethods.forward(method, delegate, args);
        }
    }

    /** The caller fields of one request (ECS names). */
    static Map<String, Object> read(Object request) throws Exception {
        return readCaller(request).asMap();
    }

    private static Caller readCaller(Object request) throws Exception {
        Caller out = new Caller();
        if (request != null) {
            READERS.get(request.getClass()).read(request, out);
        }
        return out;
    }

    private static final PerClass<RequestReader> READERS = new PerClass<>(RequestReader::new);

    /** Reads one kind of request object. */
    private static final class RequestReader {
        private final Function<Object, Object> remoteAddr;
        private final Function<Object, Object> remotePort;
        private final BiFunction<Object, Object, Object> header;
        private final Function<Object, Object> principal;
        private final Function<Object, Object> servletRequest;
        private final Function<Object, Object> remoteAddress;
        private final Function<Object, Object> headers;

        private RequestReader(Class<?> type) {
            remoteAddr = call(type, "getRemoteAddr");
            remotePort = call(type, "getRemotePort");
            header = call(type, "getHeader", String.class);
            principal = call(type, "getUserPrincipal");
            servletRequest = call(type, "servletRequest");
            remoteAddress = call(type, "remoteAddress");
            headers = call(type, "headers");
        }

        void read(Object request, Caller out) throws Exception {
            if (remoteAddr != null || header != null) {
                if (remoteAddr != null) {
                    out.put("client.ip", remoteAddr.apply(request));
                }
                if (remotePort != null && remotePort.apply(request) instanceof Integer port && port > 0) {
                    out.put("client.port", port);
                }
                if (principal != null && principal.apply(request) instanceof Principal p) {
                    out.put("user.name", p.getName());
                }
                if (header != null) {
                    headers(header, request, out);
                }
                return;
            }
            if (servletRequest != null) {
                Object servlet = servletRequest.apply(request);
                if (servlet != null) {
                    READERS.get(servlet.getClass()).read(servlet, out);
                }
                return;
            }
            if (remoteAddress != null && remoteAddress.apply(request) instanceof Optional<?> address
                    && address.orElse(null) instanceof InetSocketAddress socket) {
                if (socket.getAddress() != null) {
                    out.put("client.ip", socket.getAddress().getHostAddress());
                }
                out.put("client.port", socket.getPort());
            }
            if (headers != null) {
                Object all = headers.apply(request);
                BiFunction<Object, Object, Object> first = all == null ? null : FIRST_HEADER.get(all.getClass());
                if (first != null) {
                    headers(first, all, out);
                }
            }
        }
    }

    private static final PerClass<BiFunction<Object, Object, Object>> FIRST_HEADER =
            new PerClass<>(type -> call(type, "firstHeader", String.class));

    /** Records the headers the audit wants, read with {@code header(source, name)}. */
    private static void headers(BiFunction<Object, Object, Object> header, Object source, Caller out) {
        if (header.apply(source, "User-Agent") instanceof String agent) {
            out.put("user_agent.original", cut(agent));
        }
        if (header.apply(source, "X-Forwarded-For") instanceof String forwarded) {
            out.put("moat.client.forwarded_for", cut(forwarded));
        }
        if (header.apply(source, "Authorization") instanceof String authorization) {
            int space = authorization.indexOf(' ');
            String scheme = space > 0 ? authorization.substring(0, space) : authorization;
            out.put("moat.client.auth_scheme", cut(scheme));
            if (space > 0 && scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
                out.put("moat.client.token.sha256", tokenHash(authorization.substring(space + 1).trim()));
            }
        }
    }

    /** The first {@value #TOKEN_HASH_HEX} hex digits of the token's SHA-256: enough to correlate, useless to replay. */
    static String tokenHash(String token) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            digest = sha256();
        }
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

    /** {@code request -> request.name()}, or null if {@code type} has no such public method. */
    static Function<Object, Object> call(Class<?> type, String name) {
        Method m = publicMethod(type, name);
        try {
            return m == null ? null : DirectCalls.function(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** {@code (request, a) -> request.name(a)}, or null if {@code type} has no such public method. */
    static BiFunction<Object, Object, Object> call(Class<?> type, String name, Class<?> param) {
        Method m = publicMethod(type, name, param);
        try {
            return m == null ? null : DirectCalls.biFunction(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The public method {@code name(params)} of {@code type} as declared by a public class or interface
     * it inherits it from (servlet containers implement requests in non-public classes); null if there
     * is none.
     */
    private static Method publicMethod(Class<?> type, String name, Class<?>... params) {
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
                    return c.getMethod(name, params);
                } catch (NoSuchMethodException | RuntimeException e) {
                    continue; // nor do its supertypes have it
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

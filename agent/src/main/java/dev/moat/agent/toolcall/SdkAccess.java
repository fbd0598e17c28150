package dev.moat.agent.toolcall;

import dev.moat.core.context.ContextTasks;
import dev.moat.core.context.ToolCallContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reflective access to the MCP SDK and Reactor classes of one class loader (the one that loaded the
 * SDK: the application's, a Spring Boot fat-jar loader, a servlet container's). The agent never links
 * against these classes, so one agent jar serves every SDK version and every loader layout. Handles
 * are looked up once, when the SDK's handler is wrapped, never on the call path.
 */
final class SdkAccess {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    private final MethodHandle monoJust;
    private final MethodHandle doOnSuccess;
    private final MethodHandle doOnError;
    private final MethodHandle doFinally;
    private final MethodHandle resultBuilder;
    private final MethodHandle builderAddText;
    private final MethodHandle builderIsError;
    private final MethodHandle builderBuild;
    private final Class<?> resultClass;
    private final MethodHandle resultIsError;
    private final MethodHandle resultContent;
    private final MethodHandle monoFromDirect;
    private final MethodHandle publisherSubscribe;
    private final Class<?> publisherClass;
    private final ClassLoader sdkLoader;
    private final MethodHandle publisherProxy;

    /**
     * The key under which the agent's {@code Schedulers.onScheduleHook} is registered. One Reactor
     * (one {@code Schedulers} class) holds one registration whatever number of servers or SDK loaders
     * use it; separate Reactor copies in separate loaders each get their own.
     */
    static final String SCHEDULE_HOOK_KEY = "dev.moat.tool-call-context";

    /** The {@code Schedulers} classes that already carry the agent's schedule hook. */
    private static final Set<Class<?>> HOOKED_SCHEDULERS = ConcurrentHashMap.newKeySet();

    private SdkAccess(ClassLoader sdkLoader) throws ReflectiveOperationException {
        this.sdkLoader = sdkLoader;
        Class<?> mono = Class.forName("reactor.core.publisher.Mono", false, sdkLoader);
        publisherClass = Class.forName("org.reactivestreams.Publisher", false, sdkLoader);
        Class<?> subscriber = Class.forName("org.reactivestreams.Subscriber", false, sdkLoader);
        monoFromDirect = LOOKUP.findStatic(mono, "fromDirect", MethodType.methodType(mono, publisherClass))
                .asType(MethodType.methodType(Object.class, Object.class));
        publisherSubscribe = LOOKUP.findVirtual(publisherClass, "subscribe",
                MethodType.methodType(void.class, subscriber))
                .asType(MethodType.methodType(void.class, Object.class, Object.class));
        publisherProxy = proxyConstructor(sdkLoader, publisherClass);
        installScheduleHook(sdkLoader);
        monoJust = LOOKUP.findStatic(mono, "just", MethodType.methodType(mono, Object.class));
        doOnSuccess = LOOKUP.findVirtual(mono, "doOnSuccess", MethodType.methodType(mono, Consumer.class));
        doOnError = LOOKUP.findVirtual(mono, "doOnError", MethodType.methodType(mono, Consumer.class));
        doFinally = LOOKUP.findVirtual(mono, "doFinally", MethodType.methodType(mono, Consumer.class));
        resultClass = Class.forName("io.modelcontextprotocol.spec.McpSchema$CallToolResult", false, sdkLoader);
        Class<?> builder = Class.forName("io.modelcontextprotocol.spec.McpSchema$CallToolResult$Builder", false,
                sdkLoader);
        resultBuilder = LOOKUP.findStatic(resultClass, "builder", MethodType.methodType(builder));
        builderAddText = LOOKUP.findVirtual(builder, "addTextContent", MethodType.methodType(builder, String.class));
        builderIsError = LOOKUP.findVirtual(builder, "isError", MethodType.methodType(builder, Boolean.class));
        builderBuild = LOOKUP.findVirtual(builder, "build", MethodType.methodType(resultClass));
        resultIsError = LOOKUP.findVirtual(resultClass, "isError", MethodType.methodType(Boolean.class))
                .asType(MethodType.methodType(Object.class, Object.class));
        resultContent = LOOKUP.findVirtual(resultClass, "content", MethodType.methodType(List.class))
                .asType(MethodType.methodType(Object.class, Object.class));
    }

    /**
     * Registers {@code Schedulers.onScheduleHook(SCHEDULE_HOOK_KEY, ContextTasks::wrap)} in the Reactor
     * the SDK uses, once: every task a Reactor scheduler runs (the SDK's {@code subscribeOn} of sync
     * tools, a tool's own {@code publishOn}) then runs in the tool call that scheduled it.
     */
    private static void installScheduleHook(ClassLoader sdkLoader) throws ReflectiveOperationException {
        Class<?> schedulers = Class.forName("reactor.core.scheduler.Schedulers", false, sdkLoader);
        if (HOOKED_SCHEDULERS.contains(schedulers)) {
            return;
        }
        MethodHandle onScheduleHook = LOOKUP.findStatic(schedulers, "onScheduleHook",
                MethodType.methodType(void.class, String.class, Function.class));
        Function<Runnable, Runnable> decorator = ContextTasks::wrap;
        try {
            onScheduleHook.invoke(SCHEDULE_HOOK_KEY, decorator);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new ReflectiveOperationException("Schedulers.onScheduleHook failed", e);
        }
        HOOKED_SCHEDULERS.add(schedulers);
    }

    /**
     * The constructor of the JDK proxy class for {@code type} in {@code loader}, so creating a proxy
     * per call costs a constructor call, not a proxy-cache lookup; null when it is not accessible
     * (then {@link Proxy#newProxyInstance} is used).
     */
    static MethodHandle proxyConstructor(ClassLoader loader, Class<?> type) {
        try {
            Object sample = Proxy.newProxyInstance(loader, new Class<?>[] {type}, (p, m, a) -> null);
            return LOOKUP.findConstructor(sample.getClass(), MethodType.methodType(void.class, InvocationHandler.class))
                    .asType(MethodType.methodType(Object.class, InvocationHandler.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A proxy for {@code type} (one of the SDK's interfaces) through the cached constructor if there is one. */
    static Object newProxy(MethodHandle constructor, ClassLoader loader, Class<?> type, InvocationHandler handler)
            throws Throwable {
        if (constructor != null) {
            return constructor.invoke(handler);
        }
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
    }

    /**
     * {@code Mono.fromDirect(publisher)} where the publisher subscribes to {@code mono} with
     * {@code context} attached: the tool call is current on the thread that subscribes (where a sync
     * tool with immediate execution, or a lazily built async tool, really runs) and, through the
     * schedule hook, on every Reactor thread the subscription schedules work on.
     */
    Object withContext(Object mono, ToolCallContext context) throws Throwable {
        Object publisher = newProxy(publisherProxy, sdkLoader, publisherClass,
                new ContextPublisher(mono, context, publisherSubscribe));
        return monoFromDirect.invoke(publisher);
    }

    /** A {@code Publisher} that subscribes its source with a tool call attached. */
    private static final class ContextPublisher implements InvocationHandler {
        private final Object source;
        private final ToolCallContext context;
        private final MethodHandle subscribe;

        ContextPublisher(Object source, ToolCallContext context, MethodHandle subscribe) {
            this.source = source;
            this.context = context;
            this.subscribe = subscribe;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "subscribe":
                    try (ToolCallContext.Scope ignored = context.attach()) {
                        subscribe.invoke(source, args[0]);
                    }
                    return null;
                default:
                    Object answer = ProxyObjectMethods.answer(proxy, method, args, source, false);
                    if (answer != ProxyObjectMethods.NOT_AN_OBJECT_METHOD) {
                        return answer;
                    }
                    throw new UnsupportedOperationException(method.toString());
            }
        }
    }

    /** Access for the loader that defined {@code handler}'s SDK interface. */
    static SdkAccess forLoader(ClassLoader sdkLoader) throws ReflectiveOperationException {
        return new SdkAccess(sdkLoader);
    }

    /** {@code Mono.just(CallToolResult(isError=true, text=message))}: how a denied call is answered. */
    Object errorResultMono(String message) throws Throwable {
        Object b = resultBuilder.invoke();
        b = builderAddText.invoke(b, message);
        b = builderIsError.invoke(b, Boolean.TRUE);
        return monoJust.invoke(builderBuild.invoke(b));
    }

    /** Attaches the three observers the audit needs to a {@code Mono<CallToolResult>}. */
    Object observe(Object mono, Consumer<Object> onSuccess, Consumer<Throwable> onError, Consumer<Object> onFinally)
            throws Throwable {
        Object m = doOnSuccess.invoke(mono, onSuccess);
        m = doOnError.invoke(m, onError);
        return doFinally.invoke(m, onFinally);
    }

    /** Whether a result object says it is an error. */
    boolean isErrorResult(Object result) {
        if (!resultClass.isInstance(result)) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(resultIsError.invoke(result));
        } catch (Throwable e) {
            return false;
        }
    }

    /** The total length of the text contents of a result, or -1 if it cannot be told. */
    long resultChars(Object result) {
        if (!resultClass.isInstance(result)) {
            return -1;
        }
        try {
            Object content = resultContent.invoke(result);
            long total = 0;
            if (content instanceof List<?> list) {
                for (Object item : list) {
                    MethodHandle text = item == null ? null : TEXT_ACCESSOR.get(item.getClass());
                    if (text != null && text.invoke(item) instanceof String s) {
                        total += s.length();
                    }
                }
            }
            return total;
        } catch (Throwable e) {
            return -1;
        }
    }

    /** The text contents of a result joined by newlines and cut to {@code max} chars, or null. */
    String resultText(Object result, int max) {
        if (!resultClass.isInstance(result)) {
            return null;
        }
        try {
            Object content = resultContent.invoke(result);
            StringBuilder out = new StringBuilder();
            if (content instanceof List<?> list) {
                for (Object item : list) {
                    MethodHandle text = item == null ? null : TEXT_ACCESSOR.get(item.getClass());
                    if (text != null && text.invoke(item) instanceof String s) {
                        if (out.length() > 0) {
                            out.append('\n');
                        }
                        out.append(s, 0, Math.min(s.length(), max - out.length()));
                        if (out.length() >= max) {
                            out.append("...");
                            break;
                        }
                    }
                }
            }
            return out.length() == 0 ? null : out.toString();
        } catch (Throwable e) {
            return null;
        }
    }

    /** {@code text()} of a content class, or null for images, audio and resources. */
    private static final ClassValue<MethodHandle> TEXT_ACCESSOR = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return LOOKUP.findVirtual(type, "text", MethodType.methodType(String.class))
                        .asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    };

    /** The {@code name} and {@code arguments} of a tools/call request, whatever shape the SDK passes. */
    static Object[] nameAndArguments(Object params) {
        if (params instanceof Map<?, ?> map) {
            return new Object[] {map.get("name"), map.get("arguments")};
        }
        if (params == null) {
            return new Object[] {null, null};
        }
        MethodHandle[] accessors = REQUEST_ACCESSORS.get(params.getClass());
        try {
            return new Object[] {accessors[0] == null ? null : accessors[0].invoke(params),
                accessors[1] == null ? null : accessors[1].invoke(params)};
        } catch (Throwable e) {
            return new Object[] {null, null};
        }
    }

    /** {@code name()} and {@code arguments()} of a request record ({@code CallToolRequest}), per class. */
    private static final ClassValue<MethodHandle[]> REQUEST_ACCESSORS = new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
            return new MethodHandle[] {accessor(type, "name"), accessor(type, "arguments")};
        }

        private MethodHandle accessor(Class<?> type, String name) {
            try {
                return LOOKUP.findVirtual(type, name, MethodType.methodType(type.getMethod(name).getReturnType()))
                        .asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };
}

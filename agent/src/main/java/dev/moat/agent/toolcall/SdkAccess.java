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
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
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
    private final BiFunction<Object, Object, Object> doOnSuccess;
    private final BiFunction<Object, Object, Object> doOnError;
    private final BiFunction<Object, Object, Object> doFinally;
    private final MethodHandle resultBuilder;
    private final MethodHandle builderAddText;
    private final MethodHandle builderIsError;
    private final MethodHandle builderBuild;
    private final Class<?> resultClass;
    private final Function<Object, Object> resultIsError;
    private final Function<Object, Object> resultContent;
    private final Function<Object, Object> monoFromDirect;
    private final BiConsumer<Object, Object> publisherSubscribe;
    private final Class<?> publisherClass;
    private final ClassLoader sdkLoader;
    private final Function<Object, Object> publisherProxy;

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
        monoFromDirect = DirectCalls.function(mono.getMethod("fromDirect", publisherClass));
        publisherSubscribe = DirectCalls.biConsumer(publisherClass.getMethod("subscribe", subscriber));
        publisherProxy = proxyFactory(sdkLoader, publisherClass);
        installScheduleHook(sdkLoader);
        monoJust = LOOKUP.findStatic(mono, "just", MethodType.methodType(mono, Object.class));
        doOnSuccess = DirectCalls.biFunction(mono.getMethod("doOnSuccess", Consumer.class));
        doOnError = DirectCalls.biFunction(mono.getMethod("doOnError", Consumer.class));
        doFinally = DirectCalls.biFunction(mono.getMethod("doFinally", Consumer.class));
        resultClass = Class.forName("io.modelcontextprotocol.spec.McpSchema$CallToolResult", false, sdkLoader);
        Class<?> builder = Class.forName("io.modelcontextprotocol.spec.McpSchema$CallToolResult$Builder", false,
                sdkLoader);
        resultBuilder = LOOKUP.findStatic(resultClass, "builder", MethodType.methodType(builder));
        builderAddText = LOOKUP.findVirtual(builder, "addTextContent", MethodType.methodType(builder, String.class));
        builderIsError = LOOKUP.findVirtual(builder, "isError", MethodType.methodType(builder, Boolean.class));
        builderBuild = LOOKUP.findVirtual(builder, "build", MethodType.methodType(resultClass));
        resultIsError = DirectCalls.function(resultClass.getMethod("isError"));
        resultContent = DirectCalls.function(resultClass.getMethod("content"));
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
     * {@code handler -> new proxy of type} for the JDK proxy class of {@code type} in {@code loader},
     * so creating a proxy per call costs a constructor call, not a proxy-cache lookup; null when it
     * cannot be made (then {@link Proxy#newProxyInstance} is used).
     */
    static Function<Object, Object> proxyFactory(ClassLoader loader, Class<?> type) {
        try {
            Object sample = Proxy.newProxyInstance(loader, new Class<?>[] {type}, (p, m, a) -> null);
            return DirectCalls.constructor(sample.getClass().getConstructor(InvocationHandler.class), type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A proxy for {@code type} (one of the SDK's interfaces) through the factory if there is one. */
    static Object newProxy(Function<Object, Object> factory, ClassLoader loader, Class<?> type,
                           InvocationHandler handler) {
        if (factory != null) {
            return factory.apply(handler);
        }
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
    }

    /**
     * {@code Mono.fromDirect(publisher)} where the publisher subscribes to {@code mono} with
     * {@code context} attached: the tool call is current on the thread that subscribes (where a sync
     * tool with immediate execution, or a lazily built async tool, really runs) and, through the
     * schedule hook, on every Reactor thread the subscription schedules work on.
     */
    Object withContext(Object mono, ToolCallContext context) {
        Object publisher = newProxy(publisherProxy, sdkLoader, publisherClass,
                new ContextPublisher(mono, context, publisherSubscribe));
        return monoFromDirect.apply(publisher);
    }

    /** A {@code Publisher} that subscribes its source with a tool call attached. */
    private static final class ContextPublisher implements InvocationHandler {
        private final Object source;
        private final ToolCallContext context;
        private final BiConsumer<Object, Object> subscribe;

        ContextPublisher(Object source, ToolCallContext context, BiConsumer<Object, Object> subscribe) {
            this.source = source;
            this.context = context;
            this.subscribe = subscribe;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            // equals, not a string switch: a method's name is interned, so this is one comparison
            if ("subscribe".equals(method.getName())) {
                try (ToolCallContext.Scope ignored = context.attach()) {
                    subscribe.accept(source, args[0]);
                }
                return null;
            }
            Object answer = ProxyObjectMethods.answer(proxy, method, args, source, false);
            if (answer != ProxyObjectMethods.NOT_AN_OBJECT_METHOD) {
                return answer;
            }
            throw new UnsupportedOperationException(method.toString());
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
    Object observe(Object mono, Consumer<Object> onSuccess, Consumer<Throwable> onError, Consumer<Object> onFinally) {
        Object m = doOnSuccess.apply(mono, onSuccess);
        m = doOnError.apply(m, onError);
        return doFinally.apply(m, onFinally);
    }

    /** Whether a result object says it is an error. */
    boolean isErrorResult(Object result) {
        if (!resultClass.isInstance(result)) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(resultIsError.apply(result));
        } catch (Exception e) {
            return false;
        }
    }

    /** The total length of the text contents of a result, or -1 if it cannot be told. */
    long resultChars(Object result) {
        if (!resultClass.isInstance(result)) {
            return -1;
        }
        try {
            Object content = resultContent.apply(result);
            long total = 0;
            if (content instanceof List<?> list) {
                for (Object item : list) {
                    Function<Object, Object> text = item == null ? null : TEXT_ACCESSOR.get(item.getClass());
                    if (text != null && text.apply(item) instanceof String s) {
                        total += s.length();
                    }
                }
            }
            return total;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The text contents of a result joined by newlines and cut to {@code max} chars, or null. */
    String resultText(Object result, int max) {
        if (!resultClass.isInstance(result)) {
            return null;
        }
        try {
            Object content = resultContent.apply(result);
            StringBuilder out = new StringBuilder();
            if (content instanceof List<?> list) {
                for (Object item : list) {
                    Function<Object, Object> text = item == null ? null : TEXT_ACCESSOR.get(item.getClass());
                    if (text != null && text.apply(item) instanceof String s) {
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
        } catch (Exception e) {
            return null;
        }
    }

    /** {@code text()} of a content class, or null for images, audio and resources. */
    private static final PerClass<Function<Object, Object>> TEXT_ACCESSOR = new PerClass<>(type -> {
        try {
            Method text = type.getMethod("text");
            return text.getReturnType() == String.class ? DirectCalls.function(text) : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    });

    /** The {@code name} and {@code arguments} of a tools/call request, whatever shape the SDK passes. */
    static Object[] nameAndArguments(Object params) {
        if (params instanceof Map<?, ?> map) {
            return new Object[] {map.get("name"), map.get("arguments")};
        }
        if (params == null) {
            return new Object[] {null, null};
        }
        RequestAccessors accessors = REQUEST_ACCESSORS.get(params.getClass());
        try {
            return new Object[] {accessors.name() == null ? null : accessors.name().apply(params),
                accessors.arguments() == null ? null : accessors.arguments().apply(params)};
        } catch (Exception e) {
            return new Object[] {null, null};
        }
    }

    /** {@code name()} and {@code arguments()} of a request record ({@code CallToolRequest}), per class. */
    private static final PerClass<RequestAccessors> REQUEST_ACCESSORS = new PerClass<>(type ->
            new RequestAccessors(accessor(type, "name"), accessor(type, "arguments")));

    private static Function<Object, Object> accessor(Class<?> type, String name) {
        try {
            return DirectCalls.function(type.getMethod(name));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The {@code name()} and {@code arguments()} of a request class, null where missing. */
    private record RequestAccessors(Function<Object, Object> name, Function<Object, Object> arguments) {
    }
}

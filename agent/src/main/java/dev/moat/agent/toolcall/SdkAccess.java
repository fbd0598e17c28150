package dev.moat.agent.toolcall;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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

    private SdkAccess(ClassLoader sdkLoader) throws ReflectiveOperationException {
        Class<?> mono = Class.forName("reactor.core.publisher.Mono", false, sdkLoader);
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
        try {
            Object name = params.getClass().getMethod("name").invoke(params);
            Object arguments = params.getClass().getMethod("arguments").invoke(params);
            return new Object[] {name, arguments};
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Object[] {null, null};
        }
    }
}

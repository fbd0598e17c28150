package dev.moat.agent.toolcall;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.description.modifier.FieldManifestation;
import net.bytebuddy.description.modifier.TypeManifestation;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.FieldAccessor;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Calls into classes the agent cannot link against (the MCP SDK, Reactor, the servlet API, all in the
 * application's class loaders) at the cost of an ordinary interface call.
 *
 * <p>The tool-call path used to reach them through method handles held in fields. Such handles are not
 * constants to the JIT: every call walks the handle's lambda forms, touching several objects that a
 * busy server (whose caches are full of its own code) has evicted; async-profiler put about a third
 * of the agent's time on a tool call's own thread in those frames. Here each target method gets a
 * small class of its own, generated once with Byte Buddy and defined next to the method's class
 * (through {@link MethodHandles#privateLookupIn}, in the same loader and package), whose {@code apply}
 * or {@code accept} calls the method directly; the JIT inlines it like any other call.
 *
 * <p>Where a class cannot be defined there (a named module that does not open the package, a sealed
 * or signed package), the call falls back to the method handle, which is slower but equivalent.
 */
final class DirectCalls {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RECEIVER = "receiver";

    private DirectCalls() {
    }

    /**
     * {@code receiver -> receiver.m()} for an instance method without parameters, or
     * {@code a -> m(a)} for a static method with one.
     */
    @SuppressWarnings("unchecked")
    static Function<Object, Object> function(Method m) throws ReflectiveOperationException {
        expectArity(m, 1);
        Object generated = generate(Function.class, "apply", m, null);
        return generated != null ? (Function<Object, Object>) generated : unary(handle(m));
    }

    /**
     * {@code (receiver, a) -> receiver.m(a)} for an instance method with one parameter, or
     * {@code (a, b) -> m(a, b)} for a static method with two.
     */
    @SuppressWarnings("unchecked")
    static BiFunction<Object, Object, Object> biFunction(Method m) throws ReflectiveOperationException {
        expectArity(m, 2);
        Object generated = generate(BiFunction.class, "apply", m, null);
        return generated != null ? (BiFunction<Object, Object, Object>) generated : viaHandle(m, null);
    }

    /** Like {@link #biFunction} for a method whose result, if any, is not wanted. */
    @SuppressWarnings("unchecked")
    static BiConsumer<Object, Object> biConsumer(Method m) throws ReflectiveOperationException {
        expectArity(m, 2);
        Object generated = generate(BiConsumer.class, "accept", m, null);
        if (generated != null) {
            return (BiConsumer<Object, Object>) generated;
        }
        BiFunction<Object, Object, Object> f = viaHandle(m, null);
        return f::apply;
    }

    /** {@code (a, b) -> receiver.m(a, b)} for an instance method with two parameters. */
    @SuppressWarnings("unchecked")
    static BiFunction<Object, Object, Object> bound(Method m, Object receiver) throws ReflectiveOperationException {
        if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 2
                || !m.getDeclaringClass().isInstance(receiver)) {
            throw new IllegalArgumentException(m + " is not a two-parameter method of " + receiver);
        }
        Object generated = generate(BiFunction.class, "apply", m, receiver);
        return generated != null ? (BiFunction<Object, Object, Object>) generated : viaHandle(m, receiver);
    }

    /**
     * {@code a -> new C(a)} for a public one-parameter constructor of {@code C}, from a class defined
     * beside {@code home} (where {@code C}'s own package is closed to the agent, as a JDK proxy
     * class's is).
     */
    @SuppressWarnings("unchecked")
    static Function<Object, Object> constructor(Constructor<?> c, Class<?> home) throws ReflectiveOperationException {
        if (c.getParameterCount() != 1) {
            throw new IllegalArgumentException(c + " does not take one value");
        }
        Object generated = generate(Function.class, "apply", "new " + c, MethodCall.construct(c).withAllArguments(),
                home, null);
        return generated != null ? (Function<Object, Object>) generated
                : unary(MethodHandles.publicLookup().unreflectConstructor(c).asType(
                        MethodType.methodType(Object.class, Object.class)));
    }

    /** The fallback: {@code a -> h(a)} through the handle. */
    private static Function<Object, Object> unary(MethodHandle h) {
        return a -> {
            try {
                return h.invoke(a);
            } catch (Throwable e) {
                throw sneaky(e);
            }
        };
    }

    private static BiFunction<Object, Object, Object> viaHandle(Method m, Object receiver)
            throws IllegalAccessException {
        MethodHandle h = receiver == null ? handle(m) : handle(m).bindTo(receiver);
        return (a, b) -> {
            try {
                return h.invoke(a, b);
            } catch (Throwable e) {
                throw sneaky(e);
            }
        };
    }

    private static void expectArity(Method m, int arity) {
        int actual = m.getParameterCount() + (Modifier.isStatic(m.getModifiers()) ? 0 : 1);
        if (actual != arity) {
            throw new IllegalArgumentException(m + " takes " + actual + " values, not " + arity);
        }
    }

    /**
     * An instance of a new class, defined beside {@code target}'s declaring class, that implements
     * {@code face} by calling {@code target}: on {@code receiver} (kept in a field) with all the
     * arguments if there is a receiver, otherwise on the first argument with the rest; null where no
     * class can be defined there.
     */
    private static Object generate(Class<?> face, String sam, Method target, Object receiver) {
        MethodCall call = Modifier.isStatic(target.getModifiers()) ? MethodCall.invoke(target).withAllArguments()
                : receiver != null ? MethodCall.invoke(target).onField(RECEIVER).withAllArguments()
                : target.getParameterCount() == 0 ? MethodCall.invoke(target).onArgument(0)
                : MethodCall.invoke(target).onArgument(0).withArgument(1);
        String key = (receiver != null ? "bound " : "") + target;
        return generate(face, sam, key, call, target.getDeclaringClass(), receiver);
    }

    /**
     * An instance of a new class in {@code home}'s package and loader that implements {@code face} with
     * {@code call}; if {@code receiver} is not null it is passed to the constructor and kept in the
     * private final field {@value #RECEIVER} (of {@code home}'s type). Null where no class can be
     * defined there. Each class is made once per {@code face} and {@code key} (a server made again, or a
     * second transport, reuses it), so the classes in the application's loader stay a fixed few.
     */
    private static Object generate(Class<?> face, String sam, String key, MethodCall call, Class<?> home,
                                   Object receiver) {
        Optional<Class<?>> made = MADE.get(home).computeIfAbsent(face.getName() + " " + key,
                k -> Optional.ofNullable(define(face, sam, call, home, receiver != null)));
        if (made.isEmpty()) {
            return null;
        }
        try {
            return receiver == null ? made.get().getConstructor().newInstance()
                    : made.get().getConstructor(home).newInstance(receiver);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The classes made beside each class, by interface and target; empty where none could be made. */
    private static final ClassValue<Map<String, Optional<Class<?>>>> MADE = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Class<?>>> computeValue(Class<?> home) {
            return new ConcurrentHashMap<>();
        }
    };

    /** Defines the class {@link #generate} describes, or returns null where it cannot be defined. */
    private static Class<?> define(Class<?> face, String sam, MethodCall call, Class<?> home, boolean bound) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(home, MethodHandles.lookup());
            DynamicType.Builder<Object> type = new ByteBuddy(ClassFileVersion.JAVA_V17)
                    .with(TypeValidation.DISABLED)
                    .subclass(Object.class, bound ? ConstructorStrategy.Default.NO_CONSTRUCTORS
                            : ConstructorStrategy.Default.IMITATE_SUPER_CLASS_PUBLIC)
                    .name(home.getPackageName() + ".MoatCall$" + SEQUENCE.incrementAndGet())
                    .modifiers(Visibility.PUBLIC, TypeManifestation.FINAL);
            if (bound) {
                type = type.defineField(RECEIVER, home, Visibility.PRIVATE, FieldManifestation.FINAL)
                        .defineConstructor(Visibility.PUBLIC).withParameters(home)
                        .intercept(MethodCall.invoke(Object.class.getConstructor())
                                .andThen(FieldAccessor.ofField(RECEIVER).setsArgumentAt(0)));
            }
            byte[] bytes = type.implement(face)
                    .method(ElementMatchers.named(sam))
                    .intercept(call.withAssigner(Assigner.DEFAULT, Assigner.Typing.DYNAMIC))
                    .make()
                    .getBytes();
            return lookup.defineClass(bytes);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** {@code m} typed {@code (Object...) -> Object}; a void method returns null. */
    private static MethodHandle handle(Method m) throws IllegalAccessException {
        MethodHandle h = MethodHandles.publicLookup().unreflect(m);
        return h.asType(h.type().generic());
    }

    /** Rethrows what the target threw, unchanged, as the generated classes do. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable e) throws T {
        throw (T) e;
    }
}

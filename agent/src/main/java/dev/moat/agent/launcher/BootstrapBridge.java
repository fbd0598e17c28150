package dev.moat.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Defines the bridge classes ({@code dev.moat.bridge.*}) in the bootstrap class loader, so that
 * advice inlined into {@code java.base} can call the agent.
 *
 * <p>Measured choice: appending a jar to the boot search path turns off class-data sharing for every
 * non-boot class and makes the JVM print a CDS warning; Byte Buddy's {@code sun.misc.Unsafe}
 * injection costs hundreds of milliseconds and prints deprecation warnings on JDK 24+. Instead we
 * export {@code jdk.internal.misc} to this module through {@link Instrumentation#redefineModule}
 * (an agent's right) and define the few bridge classes with the JDK's internal {@code Unsafe}:
 * no warning, CDS stays on, a few milliseconds.
 */
final class BootstrapBridge {

    /** Bridge classes in dependency order (interfaces first). */
    static final String[] CLASSES = {"dev.moat.bridge.MoatDispatcher", "dev.moat.bridge.MoatBridge"};

    private BootstrapBridge() {
    }

    /** Defines the bridge in the boot loader unless it is already there (a second attach). */
    static void inject(Instrumentation inst) throws Exception {
        if (isInBootLoader()) {
            return;
        }
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(BootstrapBridge.class.getModule())),
                Map.of(), Set.of(), Map.of());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (String name : CLASSES) {
            byte[] bytes = read(name);
            define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        }
        if (!isInBootLoader()) {
            throw new IllegalStateException("bridge classes were defined but are not visible from the boot loader");
        }
    }

    private static boolean isInBootLoader() {
        try {
            return Class.forName(CLASSES[CLASSES.length - 1], false, null) != null;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static byte[] read(String className) throws IOException {
        String resource = "/" + className.replace('.', '/') + ".class";
        try (InputStream in = BootstrapBridge.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the agent jar lacks " + resource);
            }
            return in.readAllBytes();
        }
    }
}

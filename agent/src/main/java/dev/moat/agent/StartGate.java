package dev.moat.agent;

import dev.moat.bridge.MoatBridge;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Lets the application start while Byte Buddy installs the hooks on a background thread, without a
 * moment in which anything the policy covers runs unchecked. It is the agent's only class file
 * transformer, registered first:
 *
 * <ul>
 *   <li>Until the hooks are ready, each JDK enforcement method a hook names
 *       ({@link Hook#waitsWhileInstalling()}) gets a <em>start stub</em>, inserted with plain ASM: its first
 *       instructions call {@link MoatBridge#awaitHooks()}, which holds the thread until the hooks are in
 *       place and then makes the method re-invoke itself, so the call runs the hooked version. The
 *       agent's own threads pass.</li>
 *   <li>Until the hooks are ready, loading an application class a hook transforms (the MCP SDK's server
 *       classes) waits, then is transformed: no tool call can run before every hook is in place.</li>
 *   <li>Once ready, every class goes to Byte Buddy's transformer, and the JDK classes are retransformed
 *       from their original bytes: the stubs disappear and the advice is inlined.</li>
 * </ul>
 */
final class StartGate implements ClassFileTransformer {

    private static final String BRIDGE = "dev/moat/bridge/MoatBridge";

    /** Internal class name → methods that wait. */
    private final Map<String, Set<String>> stubbed;
    /** Internal-name prefixes of application classes whose loading waits. */
    private final String[] waitingClasses;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile ClassFileTransformer hooks;
    private volatile boolean stubbing = true;

    private StartGate(Map<String, Set<String>> stubbed, String[] waitingClasses) {
        this.stubbed = stubbed;
        this.waitingClasses = waitingClasses;
    }

    /**
     * Registers the gate and stubs the JDK enforcement methods already loaded; from now until
     * {@link #open} or {@link #abandon}, what the hooks cover waits for them.
     *
     * @return the gate, and the JDK classes it stubbed (to be retransformed when the hooks are ready)
     */
    static StartGate close(Instrumentation inst, List<Hook> hooks, Thread starter) {
        Map<String, Set<String>> stubbed = new HashMap<>();
        List<String> waiting = new ArrayList<>();
        for (Hook hook : hooks) {
            String[] waits = hook.waitsWhileInstalling();
            if (hook.hooksJdk()) {
                for (String type : hook.jdkTypes()) {
                    stubbed.computeIfAbsent(type.replace('.', '/'), k -> new HashSet<>()).addAll(List.of(waits));
                }
            } else {
                for (String prefix : waits) {
                    waiting.add(prefix.replace('.', '/'));
                }
            }
        }
        StartGate gate = new StartGate(stubbed, waiting.toArray(new String[0]));
        MoatBridge.hooksPending(starter);
        inst.addTransformer(gate, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && stubbed.containsKey(c.getName().replace('.', '/'))) {
                loaded.add(c);
            }
        }
        try {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError e) {
            // Without stubs the hooks still install; only the start is not held: say so.
            System.err.println("moat: note: the JDK's file and process methods are not held while the hooks"
                    + " install: " + e);
        }
        return gate;
    }

    /** The hooks are ready: from now on every class goes to {@code transformer}. */
    void open(ClassFileTransformer transformer) {
        stubbing = false;
        hooks = transformer;
        ready.countDown();
    }

    /** The hooks will not be installed: nothing waits any more. */
    void abandon() {
        stubbing = false;
        ready.countDown();
        MoatBridge.hooksAbandoned();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) throws IllegalClassFormatException {
        ClassFileTransformer t = hooks;
        if (t != null) {
            return t.transform(module, loader, name, redefined, domain, bytes);
        }
        if (name == null) {
            return null;
        }
        if (loader == null) {
            Set<String> methods = stubbing ? stubbed.get(name) : null;
            return methods == null ? null : stub(bytes, methods);
        }
        for (String prefix : waitingClasses) {
            if (name.startsWith(prefix)) {
                awaitReady();
                t = hooks;
                return t == null ? null : t.transform(module, loader, name, redefined, domain, bytes);
            }
        }
        return null;
    }

    private void awaitReady() {
        boolean interrupted = false;
        while (true) {
            try {
                ready.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code bytes} with a start stub at the top of each of {@code methods}:
     * {@code if (MoatBridge.awaitHooks()) return this.method(args...);}.
     */
    static byte[] stub(byte[] bytes, Set<String> methods) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!methods.contains(name) || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return mv;
                }
                return new StubbedMethod(mv, owner, access, name, descriptor);
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /** Inserts the start stub before a method's own code. */
    private static final class StubbedMethod extends MethodVisitor {
        private final String owner;
        private final boolean isStatic;
        private final String name;
        private final String descriptor;
        private int stubStack;

        StubbedMethod(MethodVisitor mv, String owner, int access, String name, String descriptor) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            this.name = name;
            this.descriptor = descriptor;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "awaitHooks", "()Z", false);
            Label own = new Label();
            super.visitJumpInsn(Opcodes.IFEQ, own);
            List<Object> locals = new ArrayList<>();
            int slot = 0;
            if (!isStatic) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                locals.add(owner);
                slot = 1;
            }
            for (Type arg : Type.getArgumentTypes(descriptor)) {
                super.visitVarInsn(arg.getOpcode(Opcodes.ILOAD), slot);
                slot += arg.getSize();
                locals.add(frameType(arg));
            }
            stubStack = slot;
            super.visitMethodInsn(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKESPECIAL, owner, name, descriptor,
                    false);
            super.visitInsn(Type.getReturnType(descriptor).getOpcode(Opcodes.IRETURN));
            super.visitLabel(own);
            super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), 0, new Object[0]);
            super.visitInsn(Opcodes.NOP); // the method's own first frame, if any, keeps an offset of its own
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, stubStack + 1), maxLocals);
        }

        private static Object frameType(Type t) {
            switch (t.getSort()) {
                case Type.BOOLEAN:
                case Type.CHAR:
                case Type.BYTE:
                case Type.SHORT:
                case Type.INT:
                    return Opcodes.INTEGER;
                case Type.FLOAT:
                    return Opcodes.FLOAT;
                case Type.LONG:
                    return Opcodes.LONG;
                case Type.DOUBLE:
                    return Opcodes.DOUBLE;
                case Type.ARRAY:
                    return t.getDescriptor();
                default:
                    return t.getInternalName();
            }
        }
    }
}

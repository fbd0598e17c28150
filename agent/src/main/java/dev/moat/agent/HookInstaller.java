package dev.moat.agent;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.moat.bridge.MoatBridge;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.utility.JavaModule;

/**
 * The agent's one {@link AgentBuilder} chain. It replaces Byte Buddy's default ignore matcher (which
 * skips JDK classes) with one that skips only the agent itself, routes every advice failure to
 * {@link MoatBridge#adviceFailed(Throwable)}, and records in {@link HookStatus} which hooks really
 * applied.
 */
final class HookInstaller {

    private HookInstaller() {
    }

    /**
     * Installs the hooks.
     *
     * @param onLateApplied told about hooks applied after start (application classes loading later)
     */
    static HookStatus install(Instrumentation inst, ClassLoader adviceLoader, List<Hook> hooks,
                              BiConsumer<String, String> onLateApplied) throws NoSuchMethodException {
        HookStatus status = new HookStatus();
        MethodDescription adviceFailed = new MethodDescription.ForLoadedMethod(
                MoatBridge.class.getMethod("adviceFailed", Throwable.class));

        // The JDK classes the hooks transform are loaded (not initialised) first, and exactly those are
        // retransformed: no scan of every loaded class. Application classes are hooked as they load.
        List<Class<?>> jdkClasses = new ArrayList<>();
        for (Hook hook : hooks) {
            for (String jdkType : hook.jdkTypes()) {
                try {
                    Class<?> type = Class.forName(jdkType, false, null);
                    if (!jdkClasses.contains(type)) {
                        jdkClasses.add(type);
                    }
                } catch (ClassNotFoundException e) {
                    status.failed(hook.id(), jdkType + " does not exist in this JDK");
                }
            }
        }

        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(jdkClasses.toArray(new Class<?>[0])))
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
                .ignore(nameStartsWith("dev.moat.").or(nameStartsWith("net.bytebuddy.")))
                .with(new StatusListener(hooks, status, onLateApplied));

        for (Hook hook : hooks) {
            builder = builder.type(hook.types()).transform(new AgentBuilder.Transformer.ForAdvice()
                    .include(adviceLoader)
                    .withExceptionHandler(new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(adviceFailed)))
                    .advice(hook.methods(), hook.adviceClass()));
        }
        builder.installOn(inst);
        return status;
    }

    /** Maps Byte Buddy's transformation callbacks onto hook ids. */
    private static final class StatusListener extends AgentBuilder.Listener.Adapter {

        private final List<Hook> hooks;
        private final HookStatus status;
        private final BiConsumer<String, String> onLateApplied;

        StatusListener(List<Hook> hooks, HookStatus status, BiConsumer<String, String> onLateApplied) {
            this.hooks = hooks;
            this.status = status;
            this.onLateApplied = onLateApplied;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            for (Hook hook : hooks) {
                if (!hook.types().matches(type)) {
                    continue;
                }
                if (type.getDeclaredMethods().filter(hook.methods()).isEmpty()) {
                    status.failed(hook.id(), type.getName() + " has no method the hook expects");
                } else {
                    status.applied(hook.id(), type.getName());
                    if (!hook.hooksJdk()) {
                        onLateApplied.accept(hook.id(), type.getName());
                    }
                }
            }
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            String reason = typeName + ": " + throwable;
            for (Hook hook : hooks) {
                if (matchesName(hook, typeName)) {
                    status.failed(hook.id(), reason);
                    onLateApplied.accept(hook.id(), "FAILED " + reason);
                }
            }
        }

        /** Hook type matchers are name matchers, so a latent description of the name is enough. */
        private static boolean matchesName(Hook hook, String typeName) {
            return hook.types().matches(new TypeDescription.Latent(typeName, 0, null, List.of()));
        }
    }
}

package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;

/**
 * Every process the JVM starts: {@code ProcessBuilder.start} and {@code Runtime.exec} both end in
 * {@code ProcessImpl.start(cmdarray, env, dir, redirects, redirectErrorStream)} (JDK 17 → 25). A denied
 * start is skipped and fails with the {@code IOException} core's process gate returns.
 */
public final class ProcessStartHook extends Hook {

    static final String ID = "process-start";

    public ProcessStartHook() {
        super(ID, "java.lang.ProcessImpl#start", named("java.lang.ProcessImpl"),
                named("start").and(isStatic()).and(takesArguments(5)).and(takesArgument(0, String[].class)),
                ProcessStartAdvice.class, "java.lang.ProcessImpl");
    }

    @Override
    protected Object check(HookContext context, String method, Object self, Object command, Object directory,
                           Object unused) {
        return context.enforcement().processes().start((String[]) command, (String) directory);
    }

    /** Deny as data: the enter advice returns the denial, the exit advice throws it. */
    public static final class ProcessStartAdvice {
        private ProcessStartAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        static Object enter(@Advice.Argument(0) String[] command, @Advice.Argument(2) String directory) {
            return MoatBridge.check(ID, "start", null, command, directory, null);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
        }
    }
}

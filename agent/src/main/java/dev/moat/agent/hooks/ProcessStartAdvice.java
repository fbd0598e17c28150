package dev.moat.agent.hooks;

import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;

/** Sees every process the JVM starts: {@code ProcessImpl.start(cmdarray, env, dir, redirects, redirectErrorStream)}. */
public final class ProcessStartAdvice {

    private ProcessStartAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) String[] command, @Advice.Argument(2) String directory) {
        MoatBridge.onProcessStart(command, directory);
    }
}

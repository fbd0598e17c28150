package dev.moat.agent.hooks;

import dev.moat.bridge.MoatBridge;
import java.io.IOException;
import net.bytebuddy.asm.Advice;

/**
 * Sees every process the JVM starts: {@code ProcessImpl.start(cmdarray, env, dir, redirects, redirectErrorStream)}.
 * A denied start is skipped (deny-as-data: the enter advice returns the reason) and fails with an
 * {@code IOException} naming the command and the rule, as a program that cannot be run would.
 */
public final class ProcessStartAdvice {

    private ProcessStartAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    static String enter(@Advice.Argument(0) String[] command, @Advice.Argument(2) String directory) {
        return MoatBridge.onProcessStart(command, directory);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter String denied, @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (denied != null) {
            thrown = new IOException(denied);
        }
    }
}

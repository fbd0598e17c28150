package dev.moat.agent.hooks;

import dev.moat.agent.files.FileApi;
import dev.moat.bridge.MoatBridge;
import java.io.File;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code java.io.File}'s operations on the file system ({@code delete}, {@code renameTo}, {@code mkdir},
 * {@code list}/{@code listFiles} via {@code normalizedList}, {@code createNewFile}, {@code exists},
 * {@code length}, {@code set*}...): a denied one is skipped and either throws (SecurityException,
 * or AccessDeniedException for {@code createNewFile}) or, for inspections, returns false/0.
 */
public final class FileMethodAdvice {

    private FileMethodAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    static Object enter(@Advice.This File file, @Advice.Origin("#m") String method,
                        @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg) {
        return MoatBridge.checkFile(FileApi.FILE, method, file, arg, null, null);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
    }
}

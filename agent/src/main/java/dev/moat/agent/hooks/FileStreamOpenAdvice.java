package dev.moat.agent.hooks;

import dev.moat.agent.files.FileApi;
import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The private {@code open(name)}, {@code open(name, append)} and {@code open(name, mode)} of
 * {@code FileInputStream}, {@code FileOutputStream} and {@code RandomAccessFile} (wrappers over the
 * native {@code open0}): a denied open is skipped and throws {@code FileNotFoundException}.
 */
public final class FileStreamOpenAdvice {

    private FileStreamOpenAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    static Object enter(@Advice.This Object stream, @Advice.Argument(0) String name,
                        @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object mode) {
        return MoatBridge.checkFile(FileApi.STREAM, "open", stream, name, mode, null);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
    }
}

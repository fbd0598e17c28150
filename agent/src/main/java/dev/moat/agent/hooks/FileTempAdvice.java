package dev.moat.agent.hooks;

import dev.moat.agent.files.FileApi;
import dev.moat.bridge.MoatBridge;
import java.io.File;
import net.bytebuddy.asm.Advice;

/** {@code File.createTempFile(prefix, suffix, directory)}: creating in a denied directory throws an IOException. */
public final class FileTempAdvice {

    private FileTempAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    static Object enter(@Advice.Argument(0) String prefix, @Advice.Argument(1) String suffix,
                        @Advice.Argument(2) File directory) {
        return MoatBridge.checkFile(FileApi.FILE_TEMP, "createTempFile", null, prefix, suffix, directory);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
    }
}

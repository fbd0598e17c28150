package dev.moat.agent.hooks;

import dev.moat.agent.files.FileApi;
import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code SecureDirectoryStream} operations on paths relative to the stream's directory
 * ({@code newByteChannel}, {@code newDirectoryStream}, {@code deleteFile}, {@code deleteDirectory},
 * {@code move}, {@code getFileAttributeView}): decided on the directory's path plus the relative path.
 */
public final class SecureDirectoryStreamAdvice {

    private SecureDirectoryStreamAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    static Object enter(@Advice.This Object stream, @Advice.Origin("#m") String method, @Advice.Argument(0) Object path,
                        @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object a1,
                        @Advice.Argument(value = 2, optional = true, typing = Assigner.Typing.DYNAMIC) Object a2) {
        return MoatBridge.checkFile(FileApi.SECURE_DIRECTORY, method, stream, path, a1, a2);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
    }
}

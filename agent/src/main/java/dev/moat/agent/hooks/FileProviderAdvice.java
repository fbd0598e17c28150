package dev.moat.agent.hooks;

import dev.moat.agent.files.FileApi;
import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The default {@code FileSystemProvider}'s operations ({@code newByteChannel}, {@code newFileChannel},
 * {@code newDirectoryStream}, {@code implDelete}, {@code copy}, {@code move}, links, attributes...):
 * a denied one is skipped and throws {@code AccessDeniedException} (or returns false for
 * {@code exists}/{@code isDirectory}/{@code isReadable}...).
 */
public final class FileProviderAdvice {

    private FileProviderAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    static Object enter(@Advice.Origin("#m") String method, @Advice.Argument(0) Object path,
                        @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object a1,
                        @Advice.Argument(value = 2, optional = true, typing = Assigner.Typing.DYNAMIC) Object a2) {
        return MoatBridge.checkFile(FileApi.PROVIDER, method, null, path, a1, a2);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
    }
}

package dev.moat.agent.hooks;

import dev.moat.agent.files.FileApi;
import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;

/**
 * Attribute changes through the default provider's views ({@code setTimes}, {@code setPermissions},
 * {@code setOwner}, {@code setGroup}, the DOS flags), decided as {@code write} on the view's file.
 */
public final class FileAttributeViewAdvice {

    private FileAttributeViewAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    static Object enter(@Advice.Origin("#m") String method, @Advice.FieldValue("file") Object file,
                        @Advice.FieldValue("followLinks") boolean followLinks) {
        return MoatBridge.checkFile(FileApi.ATTRIBUTE_VIEW, method, file, Boolean.valueOf(followLinks), null, null);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
        thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
    }
}

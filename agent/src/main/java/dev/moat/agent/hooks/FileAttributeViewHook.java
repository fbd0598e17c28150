package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.enforce.FileGate;
import dev.moat.core.enforce.FileOperation;
import dev.moat.core.enforce.FileOperations;
import java.nio.file.Path;
import net.bytebuddy.asm.Advice;

/**
 * Attribute changes through the default provider's views ({@code setTimes}, {@code setPermissions},
 * {@code setOwner}, {@code setGroup}, the DOS flags), decided as {@code write} on the view's file.
 */
public final class FileAttributeViewHook extends Hook {

    static final String ID = "file-attribute-views";

    public FileAttributeViewHook() {
        super(ID, "sun.nio.fs.UnixFileAttributeViews$Basic/$Posix/LinuxDosFileAttributeView#set*",
                namedOneOf("sun.nio.fs.UnixFileAttributeViews$Basic", "sun.nio.fs.UnixFileAttributeViews$Posix",
                        "sun.nio.fs.LinuxDosFileAttributeView"),
                namedOneOf("setTimes", "setPermissions", "setOwner", "setGroup", "setReadOnly", "setHidden",
                        "setArchive", "setSystem").and(isPublic()),
                FileAttributeViewAdvice.class,
                "sun.nio.fs.UnixFileAttributeViews$Basic", "sun.nio.fs.UnixFileAttributeViews$Posix",
                "sun.nio.fs.LinuxDosFileAttributeView");
    }

    @Override
    protected Object check(HookContext context, String method, Object self, Object file, Object followLinks,
                           Object unused) {
        FileOperation op = FileOperations.ATTRIBUTE_VIEW.get(method);
        FileGate files = context.enforcement().files();
        if (op == null || !files.decidesNow() || !files.decides(file)) {
            return null;
        }
        return files.check(op, (Path) file, followLinks, file.toString());
    }

    @Override
    protected void warmUp(HookContext context) {
        check(context, "setTimes", null, Path.of(System.getProperty("java.home")), Boolean.TRUE, null);
    }

    /** Deny as data: the enter advice returns the denial, the exit advice throws it. */
    public static final class FileAttributeViewAdvice {
        private FileAttributeViewAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        static Object enter(@Advice.Origin("#m") String method, @Advice.FieldValue("file") Object file,
                            @Advice.FieldValue("followLinks") boolean followLinks) {
            return MoatBridge.check(ID, method, null, file, Boolean.valueOf(followLinks), null);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
        }
    }
}

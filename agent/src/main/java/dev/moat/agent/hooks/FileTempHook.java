package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.enforce.FileGate;
import dev.moat.core.enforce.FileOperation;
import dev.moat.core.enforce.FileOperations;
import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import net.bytebuddy.asm.Advice;

/**
 * {@code File.createTempFile(prefix, suffix, directory)}: decided as creating a file in the directory
 * (the JDK's default temporary directory when none is given); a denied one throws {@code IOException}.
 */
public final class FileTempHook extends Hook {

    static final String ID = "file-temp";

    private static final FileOperation CREATE_TEMP = FileOperations.FILE.get("createTempFile");

    public FileTempHook() {
        super(ID, "java.io.File#createTempFile", named("java.io.File"),
                named("createTempFile").and(isStatic()).and(takesArguments(String.class, String.class, File.class)),
                FileTempAdvice.class, "java.io.File");
    }

    @Override
    protected Object check(HookContext context, String method, Object self, Object prefix, Object suffix,
                           Object directory) {
        FileGate files = context.enforcement().files();
        if (!files.decidesNow()) {
            return null;
        }
        String dir = directory instanceof File d ? d.getPath() : System.getProperty("java.io.tmpdir");
        Path path = files.javaIoPath(dir);
        if (path == null || prefix == null) {
            return null;
        }
        Path file;
        try {
            file = path.resolve(prefix + "0" + (suffix == null ? ".tmp" : suffix));
        } catch (InvalidPathException e) {
            return null;
        }
        return files.check(CREATE_TEMP, file, null, file.toString());
    }

    @Override
    protected void warmUp(HookContext context) {
        check(context, "createTempFile", null, "moat", null, new File(System.getProperty("java.home")));
    }

    /** Deny as data: the enter advice returns the denial, the exit advice throws it. */
    public static final class FileTempAdvice {
        private FileTempAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        static Object enter(@Advice.Argument(0) String prefix, @Advice.Argument(1) String suffix,
                            @Advice.Argument(2) File directory) {
            return MoatBridge.check(ID, "createTempFile", null, prefix, suffix, directory);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
        }
    }
}

package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.enforce.FileGate;
import dev.moat.core.enforce.FileOperation;
import dev.moat.core.enforce.FileOperations;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The private {@code open(name)}, {@code open(name, append)} and {@code open(name, mode)} of
 * {@code FileInputStream}, {@code FileOutputStream} and {@code RandomAccessFile} (wrappers over the native
 * {@code open0}, identical on JDK 17 and 25): a denied open is skipped and throws {@code FileNotFoundException}.
 */
public final class FileStreamOpenHook extends Hook {

    static final String ID = "file-open";

    /** The three lines of the table, looked up once. */
    private static final FileOperation INPUT = FileOperations.STREAM.get("FileInputStream");
    private static final FileOperation OUTPUT = FileOperations.STREAM.get("FileOutputStream");
    private static final FileOperation RANDOM_ACCESS = FileOperations.STREAM.get("RandomAccessFile");

    public FileStreamOpenHook() {
        super(ID, "java.io.FileInputStream/FileOutputStream/RandomAccessFile#open",
                namedOneOf("java.io.FileInputStream", "java.io.FileOutputStream", "java.io.RandomAccessFile"),
                named("open").and(isPrivate()).and(takesArguments(String.class)
                        .or(takesArguments(String.class, boolean.class)).or(takesArguments(String.class, int.class))),
                FileStreamOpenAdvice.class,
                "java.io.FileInputStream", "java.io.FileOutputStream", "java.io.RandomAccessFile");
    }

    @Override
    protected Object check(HookContext context, String method, Object stream, Object name, Object mode, Object unused) {
        FileGate files = context.enforcement().files();
        if (!files.decidesNow()) {
            return null;
        }
        FileOperation op = stream instanceof FileOutputStream ? OUTPUT
                : stream instanceof RandomAccessFile ? RANDOM_ACCESS : INPUT;
        return files.check(op, files.javaIoPath((String) name), mode, (String) name);
    }

    @Override
    protected void warmUp(HookContext context) {
        check(context, "open", new Object(), System.getProperty("java.home") + "/release", null, null);
    }

    /** Deny as data: the enter advice returns the denial, the exit advice throws it. */
    public static final class FileStreamOpenAdvice {
        private FileStreamOpenAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        static Object enter(@Advice.This Object stream, @Advice.Argument(0) String name,
                            @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object mode) {
            return MoatBridge.check(ID, "open", stream, name, mode, null);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
        }
    }
}

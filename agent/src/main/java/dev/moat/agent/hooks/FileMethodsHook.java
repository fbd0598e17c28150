package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.enforce.FileGate;
import dev.moat.core.enforce.FileOperation;
import dev.moat.core.enforce.FileOperations;
import java.io.File;
import java.nio.file.Path;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code java.io.File}'s operations on the file system ({@code delete}, {@code renameTo}, {@code mkdir},
 * {@code list}/{@code listFiles} via {@code normalizedList}, {@code createNewFile}, {@code exists},
 * {@code length}, {@code set*}...; identical on JDK 17 and 25): a denied one is skipped and throws, or for
 * inspections returns false/0 (the {@link FileOperations#FILE} lines say which).
 */
public final class FileMethodsHook extends Hook {

    static final String ID = "file-java-io";

    public FileMethodsHook() {
        super(ID, "java.io.File#delete/renameTo/mkdir/list/createNewFile/exists/length/set*...",
                named("java.io.File"),
                not(isStatic()).and(namedOneOf("exists", "isFile", "isDirectory", "isHidden", "canRead", "canWrite",
                                "canExecute", "length", "lastModified", "delete", "deleteOnExit", "normalizedList",
                                "mkdir", "createNewFile", "setReadOnly").and(takesArguments(0))
                        .or(named("setLastModified").and(takesArguments(long.class)))
                        .or(namedOneOf("setWritable", "setReadable", "setExecutable")
                                .and(takesArguments(boolean.class, boolean.class)))
                        .or(named("renameTo").and(takesArguments(File.class)))),
                FileMethodAdvice.class, "java.io.File");
    }

    @Override
    protected Object check(HookContext context, String method, Object self, Object arg, Object a1, Object a2) {
        FileOperation op = FileOperations.FILE.get(method);
        FileGate files = context.enforcement().files();
        if (op == null || !files.decidesNow()) {
            return null;
        }
        String given = ((File) self).getPath();
        Path path = files.javaIoPath(given);
        if (arg instanceof File target) {
            return files.check(op, path, null, null, given, files.javaIoPath(target.getPath()), target.getPath());
        }
        return files.check(op, path, null, given);
    }

    @Override
    protected void warmUp(HookContext context) {
        File home = new File(System.getProperty("java.home"));
        check(context, "exists", home, null, null, null);
        check(context, "renameTo", new File(home, "moat-warm-up"), new File(home, "moat-warm-up-2"), null, null);
    }

    /** Deny as data: the enter advice returns the denial, the exit advice throws it. */
    public static final class FileMethodAdvice {
        private FileMethodAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        static Object enter(@Advice.This File file, @Advice.Origin("#m") String method,
                            @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg) {
            return MoatBridge.check(ID, method, file, arg, null, null);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
        }
    }
}

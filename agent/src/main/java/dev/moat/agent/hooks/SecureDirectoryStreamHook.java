package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.enforce.FileGate;
import dev.moat.core.enforce.FileOperation;
import dev.moat.core.enforce.FileOperations;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code SecureDirectoryStream} operations on paths relative to the stream's directory
 * ({@code newByteChannel}, {@code newDirectoryStream}, {@code deleteFile}, {@code deleteDirectory},
 * {@code move}, {@code getFileAttributeView}; the synthetic bridges left out): decided on the directory's
 * path (read from the JDK's private fields, {@code sun.nio.fs} opened to the agent at start) plus the
 * relative path. A path whose directory cannot be read is denied in enforce mode.
 */
public final class SecureDirectoryStreamHook extends Hook {

    static final String ID = "file-secure-directory-stream";

    private Field secureStreamDirectory;
    private Field directoryStreamPath;

    public SecureDirectoryStreamHook() {
        super(ID, "sun.nio.fs.UnixSecureDirectoryStream#newByteChannel/delete*/move...",
                named("sun.nio.fs.UnixSecureDirectoryStream"),
                namedOneOf("newByteChannel", "newDirectoryStream", "deleteFile", "deleteDirectory", "move",
                        "getFileAttributeView").and(isPublic()).and(not(isBridge())).and(takesArgument(0, Path.class)),
                SecureDirectoryAdvice.class, "sun.nio.fs.UnixSecureDirectoryStream");
    }

    @Override
    protected void prepare(HookContext context) {
        try {
            Module javaBase = Object.class.getModule();
            context.instrumentation().redefineModule(javaBase, Set.of(), Map.of(),
                    Map.of("sun.nio.fs", Set.of(SecureDirectoryStreamHook.class.getModule())), Set.of(), Map.of());
            Field ds = Class.forName("sun.nio.fs.UnixSecureDirectoryStream").getDeclaredField("ds");
            ds.setAccessible(true);
            Field dir = Class.forName("sun.nio.fs.UnixDirectoryStream").getDeclaredField("dir");
            dir.setAccessible(true);
            secureStreamDirectory = ds;
            directoryStreamPath = dir;
        } catch (ReflectiveOperationException | RuntimeException e) {
            context.diagnostics().println("moat: note: relative paths of SecureDirectoryStream are denied: " + e);
        }
    }

    @Override
    protected Object check(HookContext context, String method, Object stream, Object a0, Object a1, Object a2) {
        FileOperation op = FileOperations.SECURE_DIRECTORY.get(method);
        if (op == null || !(a0 instanceof Path relative)) {
            return null;
        }
        FileGate files = context.enforcement().files();
        if (!files.decidesNow()) {
            return null;
        }
        Path path = inDirectory(files, stream, relative);
        if (path == null) {
            return files.unplaceable(op, relative);
        }
        if (op.second() != null) {
            if (!(a2 instanceof Path to)) {
                return files.check(op, path, null, relative.toString());
            }
            Path target = inDirectory(files, a1 == null ? stream : a1, to);
            if (target == null) {
                Object denied = files.check(op, path, null, relative.toString());
                return denied != null ? denied : files.unplaceable(op, to);
            }
            return files.check(op, path, null, null, relative.toString(), target, to.toString());
        }
        Object options = method.equals("getFileAttributeView") ? a2 : a1;
        return files.check(op, path, options, relative.toString());
    }

    /** {@code relative} against the directory of a SecureDirectoryStream (absolute paths stand alone). */
    private Path inDirectory(FileGate files, Object stream, Path relative) {
        if (relative.isAbsolute()) {
            return files.decides(relative) ? relative : null;
        }
        if (secureStreamDirectory == null || !(stream instanceof SecureDirectoryStream)) {
            return null;
        }
        try {
            Object ds = secureStreamDirectory.get(stream);
            Object dir = ds == null ? null : directoryStreamPath.get(ds);
            return dir instanceof Path d ? d.resolve(relative.toString()) : null;
        } catch (IllegalAccessException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    protected void warmUp(HookContext context) {
        Path home = Path.of(System.getProperty("java.home"));
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(home)) {
            check(context, "deleteFile", stream, Path.of("release"), null, null);
            check(context, "move", stream, Path.of("release"), null, Path.of("x"));
        } catch (IOException e) {
            // no directory stream: nothing to warm up
        }
    }

    /** Deny as data: the enter advice returns the denial, the exit advice throws it. */
    public static final class SecureDirectoryAdvice {
        private SecureDirectoryAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        static Object enter(@Advice.This Object stream, @Advice.Origin("#m") String method,
                            @Advice.Argument(0) Object path,
                            @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object a1,
                            @Advice.Argument(value = 2, optional = true, typing = Assigner.Typing.DYNAMIC) Object a2) {
            return MoatBridge.check(ID, method, stream, path, a1, a2);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
        }
    }
}

package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.enforce.FileGate;
import dev.moat.core.enforce.FileOperation;
import dev.moat.core.enforce.FileOperations;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The default NIO {@code FileSystemProvider}'s operations on paths ({@code newByteChannel},
 * {@code newFileChannel}, {@code newDirectoryStream}, {@code implDelete}, {@code copy}, {@code move}, links,
 * attributes, the {@code exists}/{@code is*} tests); {@code Files.*} and the channels all end here. JDK 17 has
 * {@code exists(Path)}, {@code isDirectory(Path)}, {@code isRegularFile(Path)}; JDK 25 has
 * {@code exists(Path, LinkOption...)}, {@code readAttributesIfExists}, {@code isReadable/isWritable/isExecutable}.
 */
public final class FileProviderHook extends Hook {

    static final String ID = "file-nio";

    public FileProviderHook() {
        super(ID, "sun.nio.fs.UnixFileSystemProvider/LinuxFileSystemProvider/AbstractFileSystemProvider"
                        + "#newByteChannel/newFileChannel/newDirectoryStream/implDelete/copy/move/create*/read*...",
                namedOneOf("sun.nio.fs.UnixFileSystemProvider", "sun.nio.fs.LinuxFileSystemProvider",
                        "sun.nio.fs.AbstractFileSystemProvider"),
                namedOneOf("newByteChannel", "newFileChannel", "copy", "move", "createSymbolicLink")
                        .and(takesArguments(3))
                        .or(named("newAsynchronousFileChannel").and(takesArguments(4)))
                        .or(namedOneOf("newDirectoryStream", "implDelete", "createDirectory", "createLink",
                                "checkAccess", "isSameFile").and(takesArguments(2)))
                        .or(namedOneOf("readSymbolicLink", "getFileStore", "isDirectory", "isRegularFile",
                                "isReadable", "isWritable", "isExecutable", "isHidden").and(takesArguments(1)))
                        .or(namedOneOf("readAttributes", "readAttributesIfExists", "getFileAttributeView")
                                .and(takesArguments(3)))
                        .or(named("setAttribute").and(takesArguments(4)))
                        .or(named("exists").and(takesArguments(1).or(takesArguments(2))))
                        .and(takesArgument(0, Path.class)).and(not(isAbstract())).and(not(isBridge())),
                FileProviderAdvice.class,
                "sun.nio.fs.UnixFileSystemProvider", "sun.nio.fs.LinuxFileSystemProvider",
                "sun.nio.fs.AbstractFileSystemProvider");
    }

    @Override
    protected Object check(HookContext context, String method, Object self, Object a0, Object a1, Object a2) {
        FileOperation op = FileOperations.PROVIDER.get(method);
        FileGate files = context.enforcement().files();
        if (op == null || !files.decidesNow() || !files.decides(a0)) {
            return null;
        }
        Path path = (Path) a0;
        // Where the method keeps its options: open options second, link/copy options third (exists: second).
        Object options = op.link() == FileOperation.LinkRule.OPEN_OPTIONS || method.equals("exists") ? a1 : a2;
        Path second = op.second() != null && files.decides(a1) ? (Path) a1 : null;
        return files.check(op, path, options, a2, path.toString(), second, second == null ? null : second.toString());
    }

    @Override
    protected void warmUp(HookContext context) {
        Path home = Path.of(System.getProperty("java.home"));
        check(context, "newByteChannel", null, home.resolve("release"), Set.of(StandardOpenOption.READ), null);
        check(context, "readAttributes", null, home, null, new LinkOption[] {LinkOption.NOFOLLOW_LINKS});
        check(context, "move", null, home.resolve("moat-warm-up"), home.resolve("x"), new Object[0]);
    }

    /** Deny as data: the enter advice returns the denial, the exit advice throws it. */
    public static final class FileProviderAdvice {
        private FileProviderAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        static Object enter(@Advice.Origin("#m") String method, @Advice.Argument(0) Object path,
                            @Advice.Argument(value = 1, optional = true, typing = Assigner.Typing.DYNAMIC) Object a1,
                            @Advice.Argument(value = 2, optional = true, typing = Assigner.Typing.DYNAMIC) Object a2) {
            return MoatBridge.check(ID, method, null, path, a1, a2);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            thrown = denial instanceof Throwable ? (Throwable) denial : thrown;
        }
    }
}

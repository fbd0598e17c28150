package dev.moat.agent;

import static net.bytebuddy.matcher.ElementMatchers.declaresField;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.files.FileHookMatchers;
import dev.moat.agent.hooks.ExecutorCallableAdvice;
import dev.moat.agent.hooks.ExecutorRunnableAdvice;
import dev.moat.agent.hooks.FileAttributeViewAdvice;
import dev.moat.agent.hooks.FileMethodAdvice;
import dev.moat.agent.hooks.FileProviderAdvice;
import dev.moat.agent.hooks.FileStreamOpenAdvice;
import dev.moat.agent.hooks.FileTempAdvice;
import dev.moat.agent.hooks.PoolWorkerStartAdvice;
import dev.moat.agent.hooks.ProcessStartAdvice;
import dev.moat.agent.hooks.SecureDirectoryStreamAdvice;
import dev.moat.agent.hooks.ThreadRunAdvice;
import dev.moat.agent.hooks.ThreadStartAdvice;
import dev.moat.agent.hooks.ToolCallHandlerAdvice;
import dev.moat.agent.hooks.TransportContextAdvice;
import java.util.List;
import java.util.concurrent.Callable;

/** Every hook the agent installs, in one place. Adding a hook is one advice class and one line here. */
public final class Hooks {

    private static final String THREAD_POOL = "java.util.concurrent.ThreadPoolExecutor";
    private static final String SCHEDULED_POOL = "java.util.concurrent.ScheduledThreadPoolExecutor";
    private static final String FORK_JOIN_POOL = "java.util.concurrent.ForkJoinPool";

    private Hooks() {
    }

    /** The hooks, in installation order. */
    public static List<Hook> all() {
        return List.of(
                // Every tools/call of the official MCP Java SDK (0.17 -> 2.1), stateful and stateless.
                new Hook("mcp-tool-call", "McpAsyncServer/McpStatelessAsyncServer#toolsCallRequestHandler",
                        namedOneOf("io.modelcontextprotocol.server.McpAsyncServer",
                                "io.modelcontextprotocol.server.McpStatelessAsyncServer"),
                        named("toolsCallRequestHandler").and(takesArguments(0)).and(isPrivate()),
                        ToolCallHandlerAdvice.class.getName()),
                // ProcessBuilder.start and Runtime.exec both end here (JDK 17 -> 25).
                new Hook("process-start", "java.lang.ProcessImpl#start",
                        named("java.lang.ProcessImpl"),
                        named("start").and(isStatic()).and(takesArguments(5)).and(takesArgument(0, String[].class)),
                        ProcessStartAdvice.class.getName(),
                        "java.lang.ProcessImpl"),
                // Files, java.io: the private opens of the streams (wrappers over native open0) and java.io.File's
                // file-system operations; NIO: the default provider, SecureDirectoryStream and the attribute views
                // (matchers and the JDK 17/25 differences in FileHookMatchers).
                new Hook("file-open", "java.io.FileInputStream/FileOutputStream/RandomAccessFile#open",
                        namedOneOf(FileHookMatchers.FILE_INPUT_STREAM, FileHookMatchers.FILE_OUTPUT_STREAM,
                                FileHookMatchers.RANDOM_ACCESS_FILE),
                        FileHookMatchers.STREAM_OPEN, FileStreamOpenAdvice.class.getName(),
                        FileHookMatchers.FILE_INPUT_STREAM, FileHookMatchers.FILE_OUTPUT_STREAM,
                        FileHookMatchers.RANDOM_ACCESS_FILE),
                new Hook("file-java-io", "java.io.File#delete/renameTo/mkdir/list/createNewFile/exists/length/set*...",
                        named(FileHookMatchers.FILE), FileHookMatchers.FILE_METHODS, FileMethodAdvice.class.getName(),
                        FileHookMatchers.FILE),
                new Hook("file-temp", "java.io.File#createTempFile",
                        named(FileHookMatchers.FILE), FileHookMatchers.FILE_TEMP, FileTempAdvice.class.getName(),
                        FileHookMatchers.FILE),
                new Hook("file-nio", "sun.nio.fs.UnixFileSystemProvider/LinuxFileSystemProvider/AbstractFileSystemProvider"
                        + "#newByteChannel/newFileChannel/newDirectoryStream/implDelete/copy/move/create*/read*...",
                        namedOneOf(FileHookMatchers.UNIX_PROVIDER, FileHookMatchers.LINUX_PROVIDER,
                                FileHookMatchers.ABSTRACT_PROVIDER),
                        FileHookMatchers.PROVIDER_METHODS, FileProviderAdvice.class.getName(),
                        FileHookMatchers.UNIX_PROVIDER, FileHookMatchers.LINUX_PROVIDER,
                        FileHookMatchers.ABSTRACT_PROVIDER),
                new Hook("file-secure-directory-stream", "sun.nio.fs.UnixSecureDirectoryStream#newByteChannel/delete*/move...",
                        named(FileHookMatchers.SECURE_DIRECTORY_STREAM), FileHookMatchers.SECURE_DIRECTORY_METHODS,
                        SecureDirectoryStreamAdvice.class.getName(), FileHookMatchers.SECURE_DIRECTORY_STREAM),
                new Hook("file-attribute-views", "sun.nio.fs.UnixFileAttributeViews$Basic/$Posix/LinuxDosFileAttributeView#set*",
                        namedOneOf(FileHookMatchers.BASIC_VIEW, FileHookMatchers.POSIX_VIEW, FileHookMatchers.DOS_VIEW),
                        FileHookMatchers.VIEW_SETTERS, FileAttributeViewAdvice.class.getName(),
                        FileHookMatchers.BASIC_VIEW, FileHookMatchers.POSIX_VIEW, FileHookMatchers.DOS_VIEW),
                // HTTP caller identity: the SDK's servlet, WebMVC and WebFlux server transports (0.17 -> 2.x).
                new Hook("mcp-http-caller", "contextExtractor of the SDK's HTTP server transports",
                        nameStartsWith("io.modelcontextprotocol.server.transport.")
                                .or(nameStartsWith("org.springframework.ai.mcp.server."))
                                .and(declaresField(named("contextExtractor"))),
                        isConstructor(),
                        TransportContextAdvice.class.getName()),
                // Tasks handed to executors run in the submitter's tool call (signatures identical on JDK 17 and 25;
                // ForkJoinPool.schedule* exists from JDK 25 on).
                new Hook("executor-context", "ThreadPoolExecutor#execute, ScheduledThreadPoolExecutor and "
                        + "ForkJoinPool#execute/submit/schedule* (Runnable)",
                        namedOneOf(THREAD_POOL, SCHEDULED_POOL, FORK_JOIN_POOL),
                        isPublic().and(not(isBridge())).and(takesArgument(0, Runnable.class))
                                .and(named("execute").and(takesArguments(1))
                                        .or(named("submit").and(takesArguments(1).or(takesArguments(2))))
                                        .or(namedOneOf("schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay"))),
                        ExecutorRunnableAdvice.class.getName(),
                        THREAD_POOL, SCHEDULED_POOL, FORK_JOIN_POOL),
                new Hook("executor-context-callable", "ScheduledThreadPoolExecutor/ForkJoinPool#submit/schedule (Callable)",
                        namedOneOf(SCHEDULED_POOL, FORK_JOIN_POOL),
                        isPublic().and(not(isBridge())).and(takesArgument(0, Callable.class))
                                .and(namedOneOf("submit", "schedule")),
                        ExecutorCallableAdvice.class.getName(),
                        SCHEDULED_POOL, FORK_JOIN_POOL),
                // A pool worker started on demand during a call is the pool's, not the call's.
                new Hook("executor-worker-start", "ThreadPoolExecutor#addWorker",
                        named(THREAD_POOL),
                        named("addWorker").and(isPrivate()).and(takesArguments(Runnable.class, boolean.class)),
                        PoolWorkerStartAdvice.class.getName(),
                        THREAD_POOL),
                // Threads a tool call starts itself run in it: start() on 17 and 25, start(ThreadContainer) on 21+.
                new Hook("thread-start-context", "Thread#start",
                        named("java.lang.Thread"),
                        named("start").and(takesArguments(0).or(takesArguments(1)
                                .and(takesArgument(0, named("jdk.internal.vm.ThreadContainer"))))),
                        ThreadStartAdvice.class.getName(),
                        "java.lang.Thread"),
                new Hook("thread-run-context", "Thread#run",
                        named("java.lang.Thread"),
                        named("run").and(isPublic()).and(takesArguments(0)),
                        ThreadRunAdvice.class.getName(),
                        "java.lang.Thread"));
    }
}

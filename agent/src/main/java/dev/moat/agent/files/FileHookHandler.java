package dev.moat.agent.files;

import dev.moat.core.audit.AuditEvent;
import dev.moat.core.audit.AuditLog;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.context.Touch;
import dev.moat.core.decision.Decision;
import dev.moat.core.files.AgentIo;
import dev.moat.core.files.FileAccesses;
import dev.moat.core.files.JvmNeeds;
import dev.moat.core.files.PathGuard;
import dev.moat.core.files.ResolvedPath;
import dev.moat.core.policy.Access;
import dev.moat.core.policy.Mode;
import dev.moat.core.policy.Policy;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the file hooks do: map each hooked JDK method to the accesses it asks for
 * ({@link FileAccesses}), resolve its path(s) ({@link PathGuard#resolved}), decide, record, and hand
 * back a denial the advice turns into the exception that API's callers already handle.
 *
 * <p>Answers of {@link #check}: {@code null} (go ahead), a {@link Throwable} (the exit advice throws
 * it: {@link FileNotFoundException} for the java.io streams, {@link AccessDeniedException} where the
 * method declares {@code IOException}, {@link SecurityException} where it declares nothing but
 * changes or lists something), or {@link #SKIP} (the method is skipped and returns its default:
 * {@code false}/{@code 0} for the inspections {@code File.exists/isFile/length/...} and
 * {@code Files.exists/isDirectory/isReadable/...}, the way an unreadable file already answers).
 *
 * <p>Recorded: every decision made inside a tool call is a {@link Touch} of that call (kind
 * {@code file}, the access kind, the resolved path, the decision; an immediate repeat is not added
 * twice, and the JVM's own reads of its runtime image and class path are left out); every {@code deny} and {@code would-deny} is an audit event {@code file-access}. An allowed
 * access outside tool calls is not recorded (one event per open would drown the trail).
 *
 * <p>Re-entrancy: while a thread is inside this handler, or resolves a path for the agent anywhere
 * ({@link AgentIo}), its file I/O is not checked (resolving a path reads attributes and links), and
 * the agent's own threads ({@code moat-*}, such as the audit writer rotating its files) are never
 * checked. The work per access: one {@code realpath} of the path
 * (one system call per path element), string prefix matches against precompiled rules, no lock, no
 * allocation on the allowed path beyond the path objects.
 */
public final class FileHookHandler {

    /** Skip the method; it returns its default value. */
    public static final Object SKIP = Boolean.FALSE;

    private static final int INSPECT = 0;
    /** How soon a provider method must hand an operation on to count as the same operation. */
    private static final long HANDED_ON_NANOS = 50_000;
    private static final int OPEN = 1;
    private static final int INSPECTION = 2;
    private static final int MAX_REPORTED_FAILURES = 10;

    /** How a denial is reported to the caller. */
    private enum Report { NOT_FOUND, ACCESS_DENIED, SECURITY, SKIP }

    private final PathGuard guard;
    private final boolean enforce;
    private final boolean decidesOutsideCalls;
    private final AuditLog audit;
    private final PrintStream diagnostics;
    private final Thread[] agentThreads;
    private final FileSystem defaultFileSystem;
    private final Path ioBase;
    private final Field secureStreamDirectory;
    private final Field directoryStreamPath;
    private final ThreadLocal<State> state = ThreadLocal.withInitial(State::new);
    private final AtomicLong failures = new AtomicLong();

    /**
     * Per-thread: warm-up mode, the last touch (to drop immediate repeats), and the last provider call
     * allowed (to recognise the same operation handed on to another hooked method).
     */
    private static final class State {
        boolean dry;
        Object handedOnPath;
        Object handedOnOptions;
        Object handedOnOpenOptions;
        int handedOnFamily;
        long handedOnAt;
        ToolCallContext lastCall;
        String lastAccess;
        Path lastPath;
        String lastOutcome;
    }

    private FileHookHandler(Policy policy, JvmNeeds needs, AuditLog audit, PrintStream diagnostics,
                            Field secureStreamDirectory, Field directoryStreamPath) {
        this.guard = new PathGuard(policy, needs);
        this.enforce = policy.mode() == Mode.ENFORCE;
        this.decidesOutsideCalls = guard.decidesOutsideToolCalls();
        this.audit = audit;
        this.diagnostics = diagnostics;
        this.agentThreads = agentThreads();
        this.defaultFileSystem = FileSystems.getDefault();
        this.ioBase = ioBase();
        this.secureStreamDirectory = secureStreamDirectory;
        this.directoryStreamPath = directoryStreamPath;
    }

    /**
     * The handler for {@code policy}, ready before the hooks go live: rules compiled, the JVM's needs
     * computed, every code path run once (so no hook triggers class loading or lazy initialisation).
     * Opens {@code sun.nio.fs} to the agent to read the directory of a {@code SecureDirectoryStream}.
     */
    public static FileHookHandler create(Instrumentation inst, Policy policy, AuditLog audit, PrintStream diagnostics) {
        Field ds = null;
        Field dir = null;
        try {
            Module javaBase = Object.class.getModule();
            inst.redefineModule(javaBase, Set.of(), Map.of(),
                    Map.of("sun.nio.fs", Set.of(FileHookHandler.class.getModule())), Set.of(), Map.of());
            ds = Class.forName("sun.nio.fs.UnixSecureDirectoryStream").getDeclaredField("ds");
            ds.setAccessible(true);
            dir = Class.forName("sun.nio.fs.UnixDirectoryStream").getDeclaredField("dir");
            dir.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            diagnostics.println("moat: note: relative paths of SecureDirectoryStream are denied: " + e);
            ds = null;
            dir = null;
        }
        FileHookHandler handler = new FileHookHandler(policy, JvmNeeds.current(agentJar()), audit, diagnostics, ds, dir);
        handler.warmUp();
        return handler;
    }

    private static Path agentJar() {
        try {
            CodeSource source = FileHookHandler.class.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The agent's own threads at start (the audit writer and its sinks). */
    private static Thread[] agentThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        List<Thread> agent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (all[i].getName().startsWith("moat-")) {
                agent.add(all[i]);
            }
        }
        return agent.toArray(new Thread[0]);
    }

    /**
     * Relative java.io paths are opened against the process's working directory, relative NIO paths
     * against {@code user.dir}; they differ only when the JVM was started with {@code -Duser.dir}.
     */
    private static Path ioBase() {
        try {
            Path cwd = Path.of("/proc/self/cwd").toRealPath();
            Path userDir = Path.of("").toAbsolutePath().toRealPath();
            return cwd.equals(userDir) ? null : cwd;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- entry point

    /**
     * Decides one hooked call.
     *
     * @param api    a {@link FileApi} constant
     * @param method the hooked method's name
     * @param self   the receiver (stream, File, SecureDirectoryStream, attribute view's path), or null
     * @param a0     the first argument, or null
     * @param a1     the second argument, or null
     * @param a2     the third argument, or null
     * @return null, a Throwable to throw, or {@link #SKIP}
     */
    public Object check(int api, String method, Object self, Object a0, Object a1, Object a2) {
        boolean[] busy = AgentIo.flag();
        if (busy[0]) {
            return null;
        }
        Thread current = Thread.currentThread();
        for (Thread t : agentThreads) {
            if (t == current) {
                return null;
            }
        }
        ToolCallContext call = ToolCallContext.current();
        if (call == null && !decidesOutsideCalls) {
            return null;
        }
        busy[0] = true;
        try {
            return dispatch(api, method, self, a0, a1, a2, call, state.get());
        } catch (Throwable t) {
            return failed(method, t);
        } finally {
            busy[0] = false;
        }
    }

    private Object dispatch(int api, String method, Object self, Object a0, Object a1, Object a2,
                            ToolCallContext call, State s) {
        switch (api) {
            case FileApi.STREAM:
                return stream(self, (String) a0, a1, call, s);
            case FileApi.FILE:
                return file(method, (File) self, a0, call, s);
            case FileApi.FILE_TEMP:
                return temp((String) a0, (String) a1, (File) a2, call, s);
            case FileApi.PROVIDER:
                return provider(method, a0, a1, a2, call, s);
            case FileApi.SECURE_DIRECTORY:
                return secureDirectory(method, self, a0, a1, a2, call, s);
            case FileApi.ATTRIBUTE_VIEW:
                return attributeView(method, self, a0, call, s);
            default:
                return null;
        }
    }

    // ---------------------------------------------------------------- java.io

    private Object stream(Object stream, String name, Object mode, ToolCallContext call, State s) {
        Path path = ioPath(name);
        if (path == null) {
            return null;
        }
        ResolvedPath r = PathGuard.resolved(path, false);
        int access;
        String operation;
        if (stream instanceof FileOutputStream) {
            access = FileAccesses.forOutputStream(r.exists());
            operation = "FileOutputStream.open";
        } else if (stream instanceof RandomAccessFile) {
            access = FileAccesses.forRandomAccess(mode instanceof Integer m ? m : 0, r.exists());
            operation = "RandomAccessFile.open";
        } else {
            access = FileAccesses.READ;
            operation = stream instanceof FileInputStream ? "FileInputStream.open" : stream.getClass().getName() + ".open";
        }
        return decide(r, access, operation, name, Report.NOT_FOUND, call, s);
    }

    private Object file(String method, File file, Object a0, ToolCallContext call, State s) {
        switch (method) {
            case "exists", "isFile", "isDirectory", "isHidden", "canRead", "canWrite", "canExecute", "length",
                    "lastModified":
                return onIoPath(file, false, INSPECT, method, Report.SKIP, call, s);
            case "delete", "deleteOnExit":
                return onIoPath(file, true, FileAccesses.DELETE, method, Report.SECURITY, call, s);
            case "normalizedList":
                return onIoPath(file, false, FileAccesses.LIST, "list", Report.SECURITY, call, s);
            case "mkdir":
                return onIoPath(file, true, FileAccesses.CREATE, method, Report.SECURITY, call, s);
            case "createNewFile":
                return onIoPath(file, true, FileAccesses.CREATE, method, Report.ACCESS_DENIED, call, s);
            case "setLastModified", "setReadOnly", "setWritable", "setReadable", "setExecutable":
                return onIoPath(file, false, FileAccesses.WRITE, method, Report.SECURITY, call, s);
            case "renameTo": {
                Object denied = onIoPath(file, true, FileAccesses.DELETE, method, Report.SECURITY, call, s);
                if (denied != null || !(a0 instanceof File target)) {
                    return denied;
                }
                Path to = ioPath(target.getPath());
                if (to == null) {
                    return null;
                }
                ResolvedPath r = PathGuard.resolved(to, true);
                return decide(r, FileAccesses.forTarget(r.exists()), "File.renameTo", target.getPath(),
                        Report.SECURITY, call, s);
            }
            default:
                return null;
        }
    }

    private Object onIoPath(File file, boolean noFollowLast, int access, String method, Report report,
                            ToolCallContext call, State s) {
        Path path = ioPath(file.getPath());
        if (path == null) {
            return null;
        }
        return decide(PathGuard.resolved(path, noFollowLast), access, "File." + method, file.getPath(), report, call, s);
    }

    private Object temp(String prefix, String suffix, File directory, ToolCallContext call, State s) {
        String dir = directory != null ? directory.getPath() : System.getProperty("java.io.tmpdir");
        Path path = ioPath(dir);
        if (path == null || prefix == null) {
            return null;
        }
        String name = prefix + "0" + (suffix == null ? ".tmp" : suffix);
        Path file;
        try {
            file = path.resolve(name);
        } catch (InvalidPathException e) {
            return null;
        }
        return decide(PathGuard.resolved(file, true), FileAccesses.CREATE, "File.createTempFile", file.toString(),
                Report.ACCESS_DENIED, call, s);
    }

    /** A java.io path string as the kernel will see it, or null when it names nothing (the JDK refuses it). */
    private Path ioPath(String name) {
        if (name == null) {
            return null;
        }
        try {
            Path p = Path.of(name);
            return ioBase == null || p.isAbsolute() ? p : ioBase.resolve(p);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- NIO: the default provider

    /**
     * The default provider hands one operation on between its own hooked methods with the very same
     * arguments: {@code newByteChannel} calls {@code newFileChannel} (JDK 25), {@code readAttributes}
     * calls {@code getFileAttributeView}, Linux's overrides call Unix's. Such a call, made on the same
     * thread right after the outer one was decided (same path object, same option arrays and, for opens,
     * the same open-option set; same kind of operation; within {@value #HANDED_ON_NANOS} ns), is not
     * decided again: one operation, one
     * decision, reported with the exception the outer (public) method declares.
     */
    private Object provider(String method, Object a0, Object a1, Object a2, ToolCallContext call, State s) {
        int family = family(method);
        if (family != 0 && a2 != null && s.handedOnPath == a0 && s.handedOnOptions == a2 && s.handedOnFamily == family
                && (family != OPEN || s.handedOnOpenOptions == a1) && System.nanoTime() - s.handedOnAt < HANDED_ON_NANOS) {
            return null;
        }
        s.handedOnPath = null;
        Object answer = provider0(method, a0, a1, a2, call, s);
        if (answer == null && family != 0 && a2 != null) {
            s.handedOnPath = a0;
            s.handedOnOptions = a2;
            s.handedOnOpenOptions = a1;
            s.handedOnFamily = family;
            s.handedOnAt = System.nanoTime();
        }
        return answer;
    }

    private static int family(String method) {
        switch (method) {
            case "newByteChannel", "newFileChannel", "newAsynchronousFileChannel":
                return OPEN;
            case "readAttributes", "readAttributesIfExists", "getFileAttributeView":
                return INSPECTION;
            default:
                return 0;
        }
    }

    private Object provider0(String method, Object a0, Object a1, Object a2, ToolCallContext call, State s) {
        if (!(a0 instanceof Path path) || path.getFileSystem() != defaultFileSystem) {
            return null;
        }
        String operation = "FileSystemProvider." + method;
        switch (method) {
            case "newByteChannel", "newFileChannel", "newAsynchronousFileChannel":
                return open(path, a1 instanceof Set<?> options ? options : Set.of(), operation, call, s);
            case "newDirectoryStream":
                return decide(PathGuard.resolved(path, false), FileAccesses.LIST, operation, path.toString(),
                        Report.ACCESS_DENIED, call, s);
            case "implDelete":
                return decide(PathGuard.resolved(path, true), FileAccesses.DELETE, operation, path.toString(),
                        Report.ACCESS_DENIED, call, s);
            case "createDirectory", "createSymbolicLink":
                return decide(PathGuard.resolved(path, true), FileAccesses.CREATE, operation, path.toString(),
                        Report.ACCESS_DENIED, call, s);
            case "createLink": {
                Object denied = decide(PathGuard.resolved(path, true), FileAccesses.CREATE, operation,
                        path.toString(), Report.ACCESS_DENIED, call, s);
                return denied != null ? denied : other(a1, true, FileAccesses.READ | FileAccesses.WRITE, false,
                        operation, call, s);
            }
            case "copy": {
                Object[] options = a2 instanceof Object[] o ? o : null;
                Object denied = decide(PathGuard.resolved(path, FileAccesses.noFollow(options)), FileAccesses.READ,
                        operation, path.toString(), Report.ACCESS_DENIED, call, s);
                return denied != null ? denied : other(a1, true, 0, true, operation, call, s);
            }
            case "move": {
                Object denied = decide(PathGuard.resolved(path, true), FileAccesses.DELETE, operation,
                        path.toString(), Report.ACCESS_DENIED, call, s);
                return denied != null ? denied : other(a1, true, 0, true, operation, call, s);
            }
            case "isSameFile": {
                Object denied = decide(PathGuard.resolved(path, false), INSPECT, operation, path.toString(),
                        Report.ACCESS_DENIED, call, s);
                return denied != null ? denied : other(a1, false, INSPECT, false, operation, call, s);
            }
            case "readSymbolicLink":
                return decide(PathGuard.resolved(path, true), INSPECT, operation, path.toString(),
                        Report.ACCESS_DENIED, call, s);
            case "checkAccess", "getFileStore":
                return decide(PathGuard.resolved(path, false), INSPECT, operation, path.toString(),
                        Report.ACCESS_DENIED, call, s);
            case "readAttributes", "readAttributesIfExists":
                return decide(PathGuard.resolved(path, FileAccesses.noFollow(a2 instanceof Object[] o ? o : null)),
                        INSPECT, operation, path.toString(), Report.ACCESS_DENIED, call, s);
            case "getFileAttributeView":
                return decide(PathGuard.resolved(path, FileAccesses.noFollow(a2 instanceof Object[] o ? o : null)),
                        INSPECT, operation, path.toString(), Report.SECURITY, call, s);
            case "setAttribute":
                return decide(PathGuard.resolved(path, false), FileAccesses.WRITE, operation, path.toString(),
                        Report.ACCESS_DENIED, call, s);
            case "exists":
                return decide(PathGuard.resolved(path, FileAccesses.noFollow(a1 instanceof Object[] o ? o : null)),
                        INSPECT, operation, path.toString(), Report.SKIP, call, s);
            case "isDirectory", "isRegularFile", "isReadable", "isWritable", "isExecutable", "isHidden":
                return decide(PathGuard.resolved(path, false), INSPECT, operation, path.toString(), Report.SKIP,
                        call, s);
            default:
                return null;
        }
    }

    private Object open(Path path, Set<?> options, String operation, ToolCallContext call, State s) {
        ResolvedPath r = PathGuard.resolved(path, FileAccesses.opensLinkItself(options));
        return decide(r, FileAccesses.forOpenOptions(options, r.exists()), operation, path.toString(),
                Report.ACCESS_DENIED, call, s);
    }

    /** The second path of a two-path operation; {@code target}: access is create or write by existence. */
    private Object other(Object second, boolean noFollowLast, int access, boolean target, String operation,
                         ToolCallContext call, State s) {
        if (!(second instanceof Path p) || p.getFileSystem() != defaultFileSystem) {
            return null;
        }
        ResolvedPath r = PathGuard.resolved(p, noFollowLast);
        return decide(r, target ? FileAccesses.forTarget(r.exists()) : access, operation, p.toString(),
                Report.ACCESS_DENIED, call, s);
    }

    // ---------------------------------------------------------------- NIO: SecureDirectoryStream, attribute views

    private Object secureDirectory(String method, Object stream, Object a0, Object a1, Object a2,
                                   ToolCallContext call, State s) {
        if (!(a0 instanceof Path relative)) {
            return null;
        }
        String operation = "SecureDirectoryStream." + method;
        Path path = inDirectory(stream, relative);
        if (path == null) {
            return unknownDirectory(relative, operation, call);
        }
        switch (method) {
            case "newByteChannel":
                return open(path, a1 instanceof Set<?> options ? options : Set.of(), operation, call, s);
            case "newDirectoryStream":
                return decide(PathGuard.resolved(path, FileAccesses.noFollow(a1 instanceof Object[] o ? o : null)),
                        FileAccesses.LIST, operation, relative.toString(), Report.ACCESS_DENIED, call, s);
            case "deleteFile", "deleteDirectory":
                return decide(PathGuard.resolved(path, true), FileAccesses.DELETE, operation, relative.toString(),
                        Report.ACCESS_DENIED, call, s);
            case "getFileAttributeView":
                return decide(PathGuard.resolved(path, FileAccesses.noFollow(a2 instanceof Object[] o ? o : null)),
                        INSPECT, operation, relative.toString(), Report.SECURITY, call, s);
            case "move": {
                Object denied = decide(PathGuard.resolved(path, true), FileAccesses.DELETE, operation,
                        relative.toString(), Report.ACCESS_DENIED, call, s);
                if (denied != null || !(a2 instanceof Path to)) {
                    return denied;
                }
                Path target = inDirectory(a1 == null ? stream : a1, to);
                if (target == null) {
                    return unknownDirectory(to, operation, call);
                }
                ResolvedPath r = PathGuard.resolved(target, true);
                return decide(r, FileAccesses.forTarget(r.exists()), operation, to.toString(), Report.ACCESS_DENIED,
                        call, s);
            }
            default:
                return null;
        }
    }

    /** {@code relative} against the directory of a SecureDirectoryStream (absolute paths stand alone). */
    private Path inDirectory(Object stream, Path relative) {
        if (relative.isAbsolute()) {
            return relative.getFileSystem() == defaultFileSystem ? relative : null;
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

    private Object unknownDirectory(Path relative, String operation, ToolCallContext call) {
        if (!enforce) {
            return null;
        }
        Decision d = Decision.deny(true, "builtin:files.secure-directory-stream",
                "cannot tell which directory a SecureDirectoryStream path is relative to");
        record(d, "unknown", relative, relative.toString(), operation, call);
        return denial(Report.ACCESS_DENIED, relative.toString(), d);
    }

    private Object attributeView(String method, Object file, Object followLinks, ToolCallContext call, State s) {
        if (!(file instanceof Path path) || path.getFileSystem() != defaultFileSystem) {
            return null;
        }
        boolean noFollow = Boolean.FALSE.equals(followLinks);
        return decide(PathGuard.resolved(path, noFollow), FileAccesses.WRITE, "FileAttributeView." + method,
                path.toString(), Report.ACCESS_DENIED, call, s);
    }

    // ---------------------------------------------------------------- deciding and recording

    /** Decides each access kind in {@code access} (0: an inspection); the first that blocks is the answer. */
    private Object decide(ResolvedPath r, int access, String operation, String given, Report report,
                          ToolCallContext call, State s) {
        String tool = call == null ? null : call.tool();
        if (access == INSPECT) {
            return outcome(guard.decideInspect(r, tool), "inspect", r, operation, given, report, call, s);
        }
        for (int i = 0; i < FileAccesses.kinds(); i++) {
            if ((access & (1 << i)) != 0) {
                Access kind = FileAccesses.kind(i);
                Object denied = outcome(guard.decide(kind, r, tool), kind.keyword(), r, operation, given, report,
                        call, s);
                if (denied != null) {
                    return denied;
                }
            }
        }
        return null;
    }

    private Object outcome(Decision d, String access, ResolvedPath r, String operation, String given, Report report,
                           ToolCallContext call, State s) {
        if (call != null && !s.dry && d != PathGuard.JVM) {
            touch(call, access, r.path(), d, s);
        }
        if (d.action() == Decision.Action.ALLOW) {
            return null;
        }
        if (!s.dry) {
            record(d, access, r.path(), given, operation, call);
        }
        return d.blocks() ? denial(report, given, d) : null;
    }

    private static void touch(ToolCallContext call, String access, Path path, Decision d, State s) {
        String outcome = d.label();
        if (s.lastCall == call && s.lastAccess == access && s.lastOutcome.equals(outcome) && s.lastPath.equals(path)) {
            return;
        }
        call.touched(new Touch("file", access, path.toString(), d));
        s.lastCall = call;
        s.lastAccess = access;
        s.lastPath = path;
        s.lastOutcome = outcome;
    }

    private void record(Decision d, String access, Path path, String given, String operation, ToolCallContext call) {
        audit.record(AuditEvent.of("file-access", "file")
                .put("event.type", d.blocks() ? "denied" : "allowed")
                .put("event.outcome", d.blocks() ? "failure" : "success")
                .put("file.path", path.toString())
                .put("moat.file.requested", given)
                .put("moat.file.access", access)
                .put("moat.file.operation", operation)
                .put("moat.decision", d.label())
                .put("rule.id", d.ruleId())
                .put("event.reason", d.reason())
                .put("mcp.tool.name", call == null ? null : call.tool())
                .put("moat.call.id", call == null ? null : call.callId()));
    }

    private static Object denial(Report report, String given, Decision d) {
        String reason = "denied by Moat (rule " + d.ruleId() + "): " + d.reason();
        Throwable t;
        switch (report) {
            case NOT_FOUND:
                t = new FileNotFoundException(given + " (" + reason + ")");
                break;
            case ACCESS_DENIED:
                t = new AccessDeniedException(given, null, reason);
                break;
            case SECURITY:
                t = new SecurityException(given + ": " + reason);
                break;
            default:
                return SKIP;
        }
        StackTraceElement[] trace = t.getStackTrace();
        int first = 0;
        while (first < trace.length - 1 && trace[first].getClassName().startsWith("dev.moat.")) {
            first++;
        }
        t.setStackTrace(Arrays.copyOfRange(trace, first, trace.length));
        return t;
    }

    /**
     * The check itself failed (a bug, or a JVM error such as a stack overflow in the host's deep
     * recursion): reported, and decided closed in enforce mode.
     */
    private Object failed(String method, Throwable t) {
        long n = failures.incrementAndGet();
        if (n <= MAX_REPORTED_FAILURES) {
            try {
                diagnostics.println("moat: ERROR: file check of " + method + " failed (" + n + "): " + t);
                audit.record(AuditEvent.of("file-check-failure", "configuration").put("event.outcome", "failure")
                        .put("error.message", String.valueOf(t)).put("moat.file.operation", method));
            } catch (Throwable ignored) {
                // the count is the record of last resort
            }
        }
        return enforce ? new SecurityException("Moat could not decide on this file access (" + t + ")") : null;
    }

    /** Failed checks since start. */
    public long failures() {
        return failures.get();
    }

    // ---------------------------------------------------------------- warm-up

    /**
     * Runs every path of the handler once, recording nothing, before the hooks go live: classes are
     * loaded and initialised now, not on a hook path.
     */
    private void warmUp() {
        State s = state.get();
        s.dry = true;
        try {
            guard.warmUp();
            Path home = Path.of(System.getProperty("java.home"));
            Path missing = home.resolve("moat-warm-up-" + System.nanoTime());
            File homeFile = home.toFile();
            ToolCallContext probe = new ToolCallContext("moat-warm-up", "moat-warm-up", null);
            for (ToolCallContext call : new ToolCallContext[] {null, probe}) {
                stream(new Object(), home.resolve("release").toString(), null, call, s);
                file("exists", homeFile, null, call, s);
                file("normalizedList", homeFile, null, call, s);
                file("delete", new File(missing.toString()), null, call, s);
                file("renameTo", new File(missing.toString()), new File(missing + "x"), call, s);
                temp("moat", null, homeFile, call, s);
                provider("newByteChannel", home.resolve("release"), Set.of(StandardOpenOption.READ), null, call, s);
                provider("newByteChannel", missing, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE), null,
                        call, s);
                provider("readAttributes", home, null, new LinkOption[] {LinkOption.NOFOLLOW_LINKS}, call, s);
                provider("exists", home, new LinkOption[0], null, call, s);
                provider("move", missing, home.resolve("x"), new Object[0], call, s);
                provider("createLink", missing, home, null, call, s);
                attributeView("setTimes", home, Boolean.TRUE, call, s);
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(home)) {
                    secureDirectory("deleteFile", stream, Path.of("release"), null, null, call, s);
                } catch (IOException e) {
                    // no directory stream: nothing to warm up
                }
            }
            probe.end();
            Decision d = Decision.deny(true, "warm-up", "warm-up");
            for (Report r : Report.values()) {
                denial(r, "warm-up", d);
            }
            PathGuard.resolved(missing.resolve("a/../b"), false);
            touchWarmUp(s);
        } catch (RuntimeException e) {
            diagnostics.println("moat: note: file hook warm-up: " + e);
        } finally {
            s.dry = false;
            s.lastCall = null;
            s.handedOnPath = null;
        }
    }

    private static void touchWarmUp(State s) {
        ToolCallContext probe = new ToolCallContext("moat-warm-up", "moat-warm-up", null);
        touch(probe, "read", Path.of("/"), Decision.allow("warm-up", "warm-up"), s);
        touch(probe, "read", Path.of("/"), Decision.allow("warm-up", "warm-up"), s);
        probe.end();
    }
}

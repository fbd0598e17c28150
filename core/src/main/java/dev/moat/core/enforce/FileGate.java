package dev.moat.core.enforce;

import dev.moat.core.audit.AuditEvent;
import java.util.function.Consumer;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.context.Touch;
import dev.moat.core.decision.Decision;
import dev.moat.core.enforce.FileOperation.Report;
import dev.moat.core.files.FileAccesses;
import dev.moat.core.files.JvmNeeds;
import dev.moat.core.files.PathGuard;
import dev.moat.core.files.ResolvedPath;
import dev.moat.core.policy.Access;
import dev.moat.core.policy.Mode;
import dev.moat.core.policy.Policy;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Files: the core API the JDK file hooks call. A hook translates the JDK method's arguments into a
 * path (or two), the method's line of the {@link FileOperations} table and its options; the gate
 * resolves the path ({@link PathGuard#resolved}), decides each access kind the line asks, records,
 * and answers: {@code null} (go ahead), a {@link Throwable} for the hook to throw (the exception
 * that API's callers already handle: {@link FileNotFoundException}, {@link AccessDeniedException} or
 * {@link SecurityException}), or {@link #SKIP} (the method is skipped and returns false/0).
 *
 * <p>Recorded: every decision made inside a tool call is a {@link Touch} of that call (an immediate
 * repeat is not added twice, and the JVM's own reads are left out); every {@code deny} and
 * {@code would-deny} is one {@link EnforcementEvent} {@code file-access}, with {@code file.path},
 * {@code moat.file.requested}, {@code moat.file.access} and {@code moat.file.operation}. An allowed access
 * outside tool calls is not recorded (one event per open would drown the trail).
 *
 * <p>The default provider hands one operation on between its own hooked methods with the very same
 * arguments ({@code newByteChannel} calls {@code newFileChannel} on JDK 25, {@code readAttributes}
 * calls {@code getFileAttributeView}, Linux's overrides call Unix's): a call on the same thread right
 * after an allowed one of the same {@linkplain FileOperation#handOn() family}, with the same path object
 * and the same option objects, within {@value #HANDED_ON_NANOS} ns, is not decided again.
 *
 * <p>Lock-free, with per-thread state only: one {@code realpath} per path, prefix matches
 * against precompiled rules, no allocation on the allowed path beyond the path objects.
 */
public final class FileGate {

    /** Skip the method; it returns its default value. */
    public static final Object SKIP = Boolean.FALSE;

    /** How soon a provider method must hand an operation on to count as the same operation. */
    private static final long HANDED_ON_NANOS = 50_000;

    private final PathGuard guard;
    private final boolean enforce;
    private final boolean decidesOutsideCalls;
    private final Consumer<AuditEvent> audit;
    private final FileSystem defaultFileSystem;
    private final Path ioBase;
    private final ThreadLocal<State> state = ThreadLocal.withInitial(State::new);

    /** Per thread: warm-up mode, the last touch (to drop repeats), the last hand-on candidate. */
    private static final class State {
        boolean dry;
        Object handedOnPath;
        Object handedOnOptions;
        Object handedOnKey;
        int handedOnFamily;
        long handedOnAt;
        ToolCallContext lastCall;
        String lastAccess;
        Path lastPath;
        String lastOutcome;
    }

    /** The gate of {@code policy}; {@code needs} are the JVM's own files. */
    public FileGate(Policy policy, JvmNeeds needs, Consumer<AuditEvent> audit) {
        this.guard = new PathGuard(policy, needs);
        this.enforce = policy.mode() == Mode.ENFORCE;
        this.decidesOutsideCalls = guard.decidesOutsideToolCalls();
        this.audit = audit;
        this.defaultFileSystem = FileSystems.getDefault();
        this.ioBase = ioBase();
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

    /**
     * Whether anything is decided on this thread now: false outside tool calls with
     * {@code files.scope: tool-calls}. Hooks ask first, before translating any argument.
     */
    public boolean decidesNow() {
        return decidesOutsideCalls || ToolCallContext.current() != null;
    }

    /** A java.io path string as the kernel will see it, or null when it names nothing (the JDK refuses it). */
    public Path javaIoPath(String name) {
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

    /** Whether {@code path} is on the default file system (the only one decided). */
    public boolean decides(Object path) {
        return path instanceof Path p && p.getFileSystem() == defaultFileSystem;
    }

    /** {@link #check(FileOperation, Path, Object, Object, String, Path, String)} of a one-path operation. */
    public Object check(FileOperation op, Path path, Object options, String given) {
        return check(op, path, options, null, given, null, null);
    }

    /**
     * Decides one hooked call.
     *
     * @param op          the method's line of the table
     * @param path        its (first) path, as the kernel will see it; null: nothing to decide
     * @param options     the options the line interprets (open options, link options, RandomAccessFile mode,
     *                    an attribute view's followLinks), or null
     * @param handOnKey   another argument object that identifies the same operation handed on (the
     *                    provider's third argument), or null
     * @param given       the path as the application gave it (for messages and {@code moat.file.requested})
     * @param second      the second path (target of a copy, move, rename, link), or null
     * @param givenSecond the second path as given
     * @return null, a Throwable to throw, or {@link #SKIP}
     */
    public Object check(FileOperation op, Path path, Object options, Object handOnKey, String given, Path second,
                        String givenSecond) {
        if (path == null) {
            return null;
        }
        ToolCallContext call = ToolCallContext.current();
        if (call == null && !decidesOutsideCalls) {
            return null;
        }
        State s = state.get();
        int family = op.handOn();
        boolean handsOn = family != FileOperation.NO_HAND_ON && handOnKey != null;
        if (handsOn && s.handedOnPath == path && s.handedOnKey == handOnKey && s.handedOnOptions == options
                && s.handedOnFamily == family && System.nanoTime() - s.handedOnAt < HANDED_ON_NANOS) {
            return null;
        }
        s.handedOnPath = null;
        Object answer = decide(op, path, options, given, second, givenSecond, call, s);
        if (answer == null && handsOn) {
            s.handedOnPath = path;
            s.handedOnOptions = options;
            s.handedOnKey = handOnKey;
            s.handedOnFamily = family;
            s.handedOnAt = System.nanoTime();
        }
        return answer;
    }

    private Object decide(FileOperation op, Path path, Object options, String given, Path second, String givenSecond,
                          ToolCallContext call, State s) {
        ResolvedPath r = PathGuard.resolved(path, op.link().noFollow(options));
        Object denied = decide(r, op.access().mask(options, r.exists()), op, given, call, s);
        if (denied != null || second == null || op.second() == null) {
            return denied;
        }
        ResolvedPath r2 = PathGuard.resolved(second, !op.secondFollows());
        return decide(r2, op.second().mask(null, r2.exists()), op, givenSecond, call, s);
    }

    /**
     * A path the hook cannot place (a {@code SecureDirectoryStream} whose directory it cannot read):
     * denied in enforce mode, since nothing can be decided about it.
     */
    public Object unplaceable(FileOperation op, Path relative) {
        if (!enforce) {
            return null;
        }
        Decision d = Decision.deny(true, "builtin:files.secure-directory-stream",
                "cannot tell which directory a SecureDirectoryStream path is relative to");
        ToolCallContext call = ToolCallContext.current();
        if (!state.get().dry) {
            record(d, "unknown", relative, relative.toString(), op, call);
        }
        return denial(Report.ACCESS_DENIED, relative.toString(), d);
    }

    /** Decides each access kind in {@code access} (0: an inspection); the first that blocks is the answer. */
    private Object decide(ResolvedPath r, int access, FileOperation op, String given, ToolCallContext call, State s) {
        String tool = call == null ? null : call.tool();
        if (access == 0) {
            return outcome(guard.decideInspect(r, tool), "inspect", r, op, given, call, s);
        }
        for (int i = 0; i < FileAccesses.kinds(); i++) {
            if ((access & (1 << i)) != 0) {
                Access kind = FileAccesses.kind(i);
                Object denied = outcome(guard.decide(kind, r, tool), kind.keyword(), r, op, given, call, s);
                if (denied != null) {
                    return denied;
                }
            }
        }
        return null;
    }

    private Object outcome(Decision d, String access, ResolvedPath r, FileOperation op, String given,
                           ToolCallContext call, State s) {
        if (call != null && !s.dry && d != PathGuard.JVM) {
            touch(call, access, r.path(), d, s);
        }
        if (d.action() == Decision.Action.ALLOW) {
            return null;
        }
        if (!s.dry) {
            record(d, access, r.path(), given, op, call);
        }
        return d.blocks() ? denial(op.report(), given, d) : null;
    }

    private static void touch(ToolCallContext call, String access, Path path, Decision d, State s) {
        String outcome = d.label();
        if (s.lastCall == call && s.lastAccess == access && s.lastOutcome.equals(outcome) && s.lastPath.equals(path)) {
            return;
        }
        call.touched(new Touch(Touch.FILE, access, path.toString(), d));
        s.lastCall = call;
        s.lastAccess = access;
        s.lastPath = path;
        s.lastOutcome = outcome;
    }

    private void record(Decision d, String access, Path path, String given, FileOperation op, ToolCallContext call) {
        audit.accept(EnforcementEvent.of("file-access", "file", new Touch(Touch.FILE, access, path.toString(), d), call)
                .put("file.path", path.toString())
                .put("moat.file.requested", given)
                .put("moat.file.access", access)
                .put("moat.file.operation", op.label()));
    }

    private static Object denial(Report report, String given, Decision d) {
        String reason = "denied by Moat (rule " + d.ruleId() + "): " + d.reason();
        switch (report) {
            case NOT_FOUND:
                return Denials.trimmed(new FileNotFoundException(given + " (" + reason + ")"));
            case ACCESS_DENIED:
                return Denials.trimmed(new AccessDeniedException(given, null, reason));
            case SECURITY:
                return Denials.trimmed(new SecurityException(given + ": " + reason));
            default:
                return SKIP;
        }
    }

    /**
     * Runs every line of the table once, recording nothing, before the hooks go live: classes are
     * loaded and initialised now, not on a hook path.
     */
    public void warmUp() {
        guard.warmUp();
        State s = state.get();
        s.dry = true;
        try {
            Path home = Path.of(System.getProperty("java.home"));
            Path missing = home.resolve("moat-warm-up-" + System.nanoTime());
            ToolCallContext probe = new ToolCallContext("moat-warm-up", "moat-warm-up", null);
            for (boolean inCall : new boolean[] {false, true}) {
                try (ToolCallContext.Scope ignored = inCall ? probe.attach() : null) {
                    for (FileOperation op : distinctShapes()) {
                        Object options = sampleOptions(op);
                        check(op, home.resolve("release"), options, null, "warm-up", missing, "warm-up");
                        check(op, missing, options, new Object(), "warm-up", home, "warm-up");
                        check(op, missing, options, new Object(), "warm-up", home, "warm-up");
                    }
                    unplaceable(FileOperations.SECURE_DIRECTORY.get("deleteFile"), Path.of("warm-up"));
                }
            }
            probe.end();
            Decision d = Decision.deny(true, "warm-up", "warm-up");
            for (Report r : Report.values()) {
                denial(r, "warm-up", d);
            }
            javaIoPath("warm-up");
            PathGuard.resolved(missing.resolve("a/../b"), false);
            ToolCallContext touched = new ToolCallContext("moat-warm-up", "moat-warm-up", null);
            touch(touched, "read", Path.of("/"), Decision.allow("warm-up", "warm-up"), s);
            touch(touched, "read", Path.of("/"), Decision.allow("warm-up", "warm-up"), s);
            touched.end();
        } finally {
            s.dry = false;
            s.lastCall = null;
            s.handedOnPath = null;
        }
    }

    /** Runs {@code work} on this thread with nothing recorded (a hook's own warm-up). */
    void dryRun(Runnable work) {
        State s = state.get();
        boolean was = s.dry;
        s.dry = true;
        try {
            work.run();
        } finally {
            s.dry = was;
            s.lastCall = null;
            s.handedOnPath = null;
        }
    }

    /** One line of the table per distinct way of deciding (the warm-up needs each code path once, not each line). */
    private static List<FileOperation> distinctShapes() {
        Map<List<Object>, FileOperation> shapes = new LinkedHashMap<>();
        for (FileOperation op : FileOperations.all()) {
            shapes.putIfAbsent(List.of(op.access(), op.link(), op.report(), String.valueOf(op.second()),
                    op.secondFollows(), op.handOn()), op);
        }
        return List.copyOf(shapes.values());
    }

    private static Object sampleOptions(FileOperation op) {
        switch (op.link()) {
            case LINK_OPTIONS:
                return new Object[] {LinkOption.NOFOLLOW_LINKS};
            case OPEN_OPTIONS:
                return Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE);
            case FOLLOW_FLAG:
                return Boolean.TRUE;
            default:
                return op.access() == FileOperation.AccessRule.RANDOM_ACCESS ? Integer.valueOf(2) : null;
        }
    }
}

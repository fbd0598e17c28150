package dev.moat.core.files;

import dev.moat.core.decision.Decision;
import dev.moat.core.policy.Access;
import dev.moat.core.policy.FileRule;
import dev.moat.core.policy.FileScope;
import dev.moat.core.policy.FilesPolicy;
import dev.moat.core.policy.Mode;
import dev.moat.core.policy.PathPattern;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.PolicyEnvironment;
import dev.moat.core.policy.ToolPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Decides file accesses on the path really touched. Callers (the JDK file hooks) pass the path as
 * the application gave it; the guard resolves it first ({@link #resolve}): relative paths against
 * the working directory, every symbolic link including symlinked parents, and {@code .}, {@code ..}
 * and repeated separators the way the kernel does (a {@code ..} after a symbolic link climbs out of
 * the link's target, not back to where the link is). A path that does not exist yet is decided on
 * its resolved parent plus its name, so creating {@code link-to-outside/new.txt} is decided outside;
 * a dangling symbolic link is decided on where it points, since creating through it creates there.
 *
 * <p>Order: the {@code files.scope} ({@code tool-calls}: nothing is decided outside a tool call);
 * explicit deny entries and the built-in credential-store list (deny wins); then the allow-lists: the
 * global one when declared, and the tool's own {@code files.allow} when it has one, which narrows: an
 * access inside a tool call must be allowed by both. The JVM's own needs (read, list and inspect only)
 * are allowed where an allow-list is not ({@link JvmNeeds}): its runtime image, class path and agent
 * jar whoever reads them; a <em>system file</em> ({@link JvmNeeds#isSystemFile}: resolver
 * configuration, time zones, {@code /proc/self}, the places the runtime image's links lead to) only
 * when the JDK itself reads it, which is found out by walking the stack ({@link JdkCaller}), on that
 * slow path only: never on an access a rule or a root already allows. Application code reading a
 * system file is denied like any other path. Reading and writing {@code /dev/null} (what
 * {@code ProcessBuilder.Redirect.DISCARD} opens) is always allowed. With no allow-list at all the
 * access is allowed (no confinement). In monitor mode a denial is returned as {@code would-deny} and
 * does not block.
 *
 * <p>An <em>inspection</em> ({@code access == null}: attributes, existence, access checks, reading a
 * link) is allowed where any access kind is allowed, and denied only where {@code read} is denied by a
 * deny entry: a tool that may write into a directory may see whether a file there exists.
 *
 * <p>Rules are compiled once: every rule whose path (up to its first glob element) is itself reached
 * through a symbolic link at start also covers the link's target, so that {@code deny: [/srv/app/secrets]}
 * still covers {@code /vault} when {@code secrets -> /vault}. Decisions that allow are preallocated.
 */
public final class PathGuard {

    /** Symbolic links followed before a path counts as a loop (the kernel's limit, ELOOP). */
    static final int MAX_LINKS = 40;

    private static final int ALL = (1 << Access.values().length) - 1;
    private static final int READ = bit(Access.READ);
    private static final String INSPECT = "inspect";

    private static final Decision OUTSIDE_CALLS = Decision.allow("files.scope",
            "outside tool calls (files.scope: tool-calls)");
    /** The decision that allows the JVM's own needs ({@link JvmNeeds}); one instance, compare by identity. */
    public static final Decision JVM = Decision.allow("builtin:jvm",
            "the JVM's own needs: its runtime, class path and agent jar, and system files the JDK reads for itself");
    private static final Decision NOT_CONFINED = Decision.allow("default", "no files section: not confined");
    private static final Decision DISCARD = Decision.allow("builtin:dev-null", "/dev/null is always readable and writable");
    private static final String DEV_NULL = "/dev/null";

    private final boolean enforce;
    private final boolean toolCallsOnly;
    private final JvmNeeds jvmNeeds;
    /** Whether the current access is the JDK's own request ({@link JdkCaller}, or a test's stand-in). */
    private final BooleanSupplier jdkRequest;
    private final boolean declared;
    private final Rule[] allow;
    private final Rule[] deny;
    private final BuiltIn[] builtIn;
    private final Map<String, ToolRules> tools;
    /** First path elements of every global deny and built-in rule; null when one starts with a glob. */
    private final Set<String> denyFirstElements;

    /** A guard for a loaded policy; system files are readable when the stack shows the JDK asking ({@link JdkCaller}). */
    public PathGuard(Policy policy, JvmNeeds jvmNeeds) {
        this(policy, jvmNeeds, JdkCaller.onThisStack());
    }

    /**
     * A guard for a loaded policy that asks {@code jdkRequest} whether an access to a system file that
     * no rule allows is the JDK's own request (asked on that slow path only).
     */
    public PathGuard(Policy policy, JvmNeeds jvmNeeds, BooleanSupplier jdkRequest) {
        this.enforce = policy.mode() == Mode.ENFORCE;
        this.jvmNeeds = jvmNeeds;
        this.jdkRequest = jdkRequest;
        FilesPolicy files = policy.files();
        this.toolCallsOnly = files.scope() == FileScope.TOOL_CALLS;
        this.declared = files.declared();
        this.allow = compile(files.allow());
        this.deny = compile(files.deny());
        List<BuiltIn> builtIns = new ArrayList<>();
        for (Rule b : compile(files.builtInDeny())) {
            List<Rule> lifting = new ArrayList<>();
            for (Rule a : allow) {
                if (b.pattern.matches(a.pattern.literalPrefix())) {
                    lifting.add(a);
                }
            }
            builtIns.add(new BuiltIn(b, lifting.toArray(new Rule[0])));
        }
        this.builtIn = builtIns.toArray(new BuiltIn[0]);
        Map<String, ToolRules> own = new HashMap<>();
        for (ToolPolicy tool : policy.tools().values()) {
            tool.files().ifPresent(f -> own.put(tool.name(), new ToolRules(compile(f.allow()), compile(f.deny()))));
        }
        this.tools = Map.copyOf(own);
        Set<String> first = new HashSet<>();
        for (Rule r : deny) {
            first.add(r.firstElement());
        }
        for (BuiltIn b : builtIn) {
            first.add(b.rule.firstElement());
        }
        this.denyFirstElements = first.contains(null) ? null : Set.copyOf(first);
    }

    // ---------------------------------------------------------------- resolving

    /**
     * The path to decide on: absolute, normalised, every symbolic link resolved. For a path that does
     * not exist, the nearest existing ancestor is resolved and the rest appended, so a symlinked
     * parent cannot smuggle a new file out of the roots. With {@code noFollowLast} the last element
     * itself is not followed (operations on a link, not its target: delete, rename, lstat), but its
     * parent still is.
     */
    public static Path resolve(Path path, boolean noFollowLast) {
        return resolved(path, noFollowLast).path();
    }

    /** As {@link #resolve(Path, boolean)}, also telling whether the resolved path exists. */
    public static ResolvedPath resolved(Path path, boolean noFollowLast) {
        boolean[] io = AgentIo.flag();
        if (io[0]) {
            return resolve0(path, noFollowLast);
        }
        io[0] = true;
        try {
            return resolve0(path, noFollowLast);
        } finally {
            io[0] = false;
        }
    }

    private static ResolvedPath resolve0(Path path, boolean noFollowLast) {
        Path requested = path.toAbsolutePath();
        if (noFollowLast) {
            Path parent = requested.getParent();
            Path name = requested.getFileName();
            String n = name == null ? "" : name.toString();
            if (parent != null && !n.equals(".") && !n.equals("..")) {
                ResolvedPath dir = resolve0(parent, false);
                Path resolved = dir.path().resolve(name);
                return new ResolvedPath(requested, resolved, dir.exists() && lexists(resolved));
            }
        }
        try {
            return new ResolvedPath(requested, requested.toRealPath(), true);
        } catch (IOException | SecurityException missing) {
            return walk(requested);
        }
    }

    /** Whether the path exists without following a final symlink (for create vs write). */
    public static boolean exists(Path resolved) {
        boolean[] io = AgentIo.flag();
        boolean outer = !io[0];
        io[0] = true;
        try {
            return lexists(resolved);
        } finally {
            if (outer) {
                io[0] = false;
            }
        }
    }

    private static boolean lexists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Resolves element by element, as the kernel does, when the path (or part of it) does not exist:
     * links are followed where they are met (dangling ones included), {@code ..} climbs from the
     * resolved directory, and whatever follows the first missing element is appended as written.
     */
    private static ResolvedPath walk(Path requested) {
        Path root = requested.getRoot();
        Path current = root;
        ArrayDeque<String> todo = new ArrayDeque<>();
        for (Path name : requested) {
            todo.addLast(name.toString());
        }
        boolean exists = true;
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                Path up = current.getParent();
                current = up == null ? root : up;
                continue;
            }
            Path next = current.resolve(name);
            if (!exists) {
                current = next;
                continue;
            }
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | SecurityException e) {
                exists = false;
                current = next;
                continue;
            }
            if (attributes.isSymbolicLink() && links++ < MAX_LINKS) {
                Path target;
                try {
                    target = Files.readSymbolicLink(next);
                } catch (IOException | SecurityException e) {
                    current = next;
                    continue;
                }
                List<String> names = new ArrayList<>();
                for (Path t : target) {
                    names.add(t.toString());
                }
                for (int i = names.size() - 1; i >= 0; i--) {
                    todo.addFirst(names.get(i));
                }
                if (target.isAbsolute()) {
                    current = root;
                }
                continue;
            }
            current = next;
        }
        return new ResolvedPath(requested, current.normalize(), exists);
    }

    // ---------------------------------------------------------------- deciding

    /**
     * The decision for {@code access} to {@code resolved} (already {@link #resolve resolved}) during a
     * call of {@code tool}, or outside tool calls when {@code tool} is null.
     */
    public Decision decide(Access access, Path resolved, String tool) {
        return decide(access, resolved, null, tool);
    }

    /** The decision for an {@link #resolved(Path, boolean) resolved} path. */
    public Decision decide(Access access, ResolvedPath path, String tool) {
        return decide(access, path.path(), path.requested(), tool);
    }

    /** The decision for inspecting (attributes, existence, access checks, link text) a resolved path. */
    public Decision decideInspect(ResolvedPath path, String tool) {
        return decide(null, path.path(), path.requested(), tool);
    }

    /** Whether decisions are made outside tool calls at all ({@code files.scope: process}). */
    public boolean decidesOutsideToolCalls() {
        return !toolCallsOnly;
    }

    /**
     * The decision for {@code access} (null: an inspection) to {@code resolved}, named
     * {@code requested} by the application (null when unknown), during a call of {@code tool} (null:
     * outside tool calls).
     */
    public Decision decide(Access access, Path resolved, Path requested, String tool) {
        if (toolCallsOnly && tool == null) {
            return OUTSIDE_CALLS;
        }
        String path = resolved.toString();
        ToolRules own = tool == null || tools.isEmpty() ? null : tools.get(tool);
        int needDenied = access == null ? READ : bit(access);
        boolean mayBeDenied = denyFirstElements == null || denyFirstElements.contains(firstElement(path));
        for (int i = 0; mayBeDenied && i < deny.length; i++) {
            Rule r = deny[i];
            if (r.covers(path, resolved, needDenied)) {
                return deny(r.id, label(access) + " of " + resolved + " is denied by " + r.id);
            }
        }
        if (own != null) {
            for (Rule r : own.deny) {
                if (r.covers(path, resolved, needDenied)) {
                    return deny(r.id, label(access) + " of " + resolved + " is denied by " + r.id);
                }
            }
        }
        for (int i = 0; mayBeDenied && i < builtIn.length; i++) {
            BuiltIn b = builtIn[i];
            if (b.rule.covers(path, resolved, needDenied) && !b.liftedFor(path, resolved, needDenied)) {
                return deny(b.rule.id, label(access) + " of " + resolved + " is denied by " + b.rule.id);
            }
        }
        if (path.equals(DEV_NULL) && (access == null || access == Access.READ || access == Access.WRITE)) {
            return DISCARD;
        }
        int wanted = access == null ? ALL : bit(access);
        if (declared) {
            Rule allowed = first(allow, path, resolved, wanted);
            if (allowed == null) {
                return jvmNeed(access, resolved, requested) ? JVM
                        : deny("files.allow", label(access) + " of " + resolved + " is outside every files.allow root");
            }
            if (own == null) {
                return allowed.allowed;
            }
        }
        if (own != null) {
            Rule allowed = first(own.allow, path, resolved, wanted);
            if (allowed == null) {
                return jvmNeed(access, resolved, requested) ? JVM
                        : deny("tools." + tool + ".files.allow",
                        label(access) + " of " + resolved + " is outside the roots of tool '" + tool + "'");
            }
            return allowed.allowed;
        }
        return NOT_CONFINED;
    }

    /**
     * Whether an access no rule allows is the JVM's own need: read, list or inspect of a root anyone may
     * read, or of a system file when the JDK itself asks (the stack is walked only then).
     */
    private boolean jvmNeed(Access access, Path resolved, Path requested) {
        if (access != null && access != Access.READ && access != Access.LIST) {
            return false;
        }
        if (jvmNeeds.covers(resolved) || jvmNeeds.coversAsNamed(requested)) {
            return true;
        }
        return jvmNeeds.isSystemFile(resolved) && jdkRequest.getAsBoolean();
    }

    /**
     * Runs the slow path once (a system file that no rule allows, decided with a stack walk), so that
     * what it needs is loaded and initialised before the file hooks go live. Call once at start, from
     * the agent's warm-up; records nothing and changes nothing.
     */
    public void warmUp() {
        JdkCaller.warmUp();
        Path probe = jvmNeeds.systemFiles().isEmpty() ? Path.of("/") : jvmNeeds.systemFiles().get(0);
        jvmNeed(Access.READ, probe, probe);
        jvmNeed(null, probe, null);
    }

    /** The first element of an absolute path string ("" for "/"). */
    private static String firstElement(String path) {
        int end = path.indexOf('/', 1);
        return path.substring(1, end < 0 ? path.length() : end);
    }

    private static Rule first(Rule[] rules, String path, Path resolved, int wanted) {
        for (Rule r : rules) {
            if (r.covers(path, resolved, wanted)) {
                return r;
            }
        }
        return null;
    }

    private static String label(Access access) {
        return access == null ? INSPECT : access.keyword();
    }

    private Decision deny(String ruleId, String reason) {
        return Decision.deny(enforce, ruleId, reason);
    }

    private static int bit(Access access) {
        return 1 << access.ordinal();
    }

    // ---------------------------------------------------------------- compiled rules

    private static Rule[] compile(List<FileRule> rules) {
        List<Rule> out = new ArrayList<>();
        for (FileRule rule : rules) {
            out.add(new Rule(rule, rule.path()));
            realised(rule.path()).ifPresent(p -> out.add(new Rule(rule, p)));
        }
        return out.toArray(new Rule[0]);
    }

    /**
     * The pattern with its literal prefix replaced by where that prefix really leads, when that is
     * somewhere else (a symbolic link on the way); empty when it leads nowhere else or does not exist.
     */
    private static Optional<PathPattern> realised(PathPattern pattern) {
        Path prefix = pattern.literalPrefix();
        Path real;
        try {
            real = prefix.toRealPath();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        if (real.equals(prefix)) {
            return Optional.empty();
        }
        String prefixText = prefix.toString();
        String rest = pattern.pattern().length() > prefixText.length() && !prefixText.equals("/")
                ? pattern.pattern().substring(prefixText.length()) : "";
        try {
            return Optional.of(PathPattern.compile(real + rest, new PolicyEnvironment(Path.of("/"), Path.of("/"))));
        } catch (IllegalArgumentException cannotBeWrittenAsAPattern) {
            return Optional.empty();
        }
    }

    /** One rule, compiled for fast matching against resolved paths given as strings. */
    private static final class Rule {
        final String id;
        final PathPattern pattern;
        final int access;
        final String prefix;
        final boolean literal;
        final Decision allowed;

        Rule(FileRule rule, PathPattern pattern) {
            this.id = rule.id();
            this.pattern = pattern;
            int mask = 0;
            for (Access a : rule.access()) {
                mask |= bit(a);
            }
            this.access = mask;
            this.prefix = pattern.literalPrefix().toString();
            this.literal = !pattern.hasGlob();
            this.allowed = Decision.allow(id, "allowed by " + id);
        }

        /** The first element of the rule's path ("" for "/"), or null when that element is a glob. */
        String firstElement() {
            if (prefix.length() <= 1) {
                return pattern.pattern().length() <= 1 ? "" : null;
            }
            return PathGuard.firstElement(prefix);
        }

        /** Whether this rule covers one of the {@code wanted} access kinds of {@code path}. */
        boolean covers(String path, Path resolved, int wanted) {
            if ((access & wanted) == 0 || !path.startsWith(prefix)) {
                return false;
            }
            int n = prefix.length();
            if (path.length() != n && n != 1 && path.charAt(n) != '/') {
                return false;
            }
            return literal || pattern.matches(resolved);
        }
    }

    /** A built-in credential-store rule and the allow rules that name a path at or beneath it. */
    private record BuiltIn(Rule rule, Rule[] lifting) {
        boolean liftedFor(String path, Path resolved, int wanted) {
            for (Rule a : lifting) {
                if (a.covers(path, resolved, wanted)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A tool's own roots. */
    private record ToolRules(Rule[] allow, Rule[] deny) {
    }
}

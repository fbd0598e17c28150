package dev.moat.core.files;

import dev.moat.core.decision.Decision;
import dev.moat.core.policy.Access;
import dev.moat.core.policy.FileRule;
import dev.moat.core.policy.FileScope;
import dev.moat.core.policy.FilesPolicy;
import dev.moat.core.policy.Mode;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.ToolPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decides file accesses on the path really touched. Callers (the JDK file hooks) pass the path as
 * the application gave it; the guard resolves it first: relative paths against the working
 * directory, {@code .}, {@code ..} and repeated separators, and every symbolic link, including
 * symlinked parents ({@link #resolve}). A path that does not exist yet is decided on its resolved
 * parent plus its name, so creating {@code link-to-outside/new.txt} is decided outside.
 *
 * <p>Order: the {@code files.scope} ({@code tool-calls}: nothing is decided outside a tool call);
 * explicit deny entries and the built-in credential-store list (deny wins); the JVM's own needs
 * (read and list only); then the allow-lists: the global one when declared, and the tool's own
 * {@code files.allow} when it has one, which narrows: an access inside a tool call must be allowed by
 * both. With no allow-list at all the access is allowed (no confinement). In monitor mode a denial
 * is returned as {@code would-deny} and does not block.
 */
public final class PathGuard {

    private final Policy policy;
    private final JvmNeeds jvmNeeds;
    private final boolean enforce;

    /** A guard for a loaded policy. */
    public PathGuard(Policy policy, JvmNeeds jvmNeeds) {
        this.policy = policy;
        this.jvmNeeds = jvmNeeds;
        this.enforce = policy.mode() == Mode.ENFORCE;
    }

    /**
     * The path to decide on: absolute, normalised, every symbolic link resolved. For a path that does
     * not exist, the nearest existing ancestor is resolved and the rest appended (normalised), so a
     * symlinked parent cannot smuggle a new file out of the roots. With {@code noFollowLast} the
     * last element itself is not followed (operations on a link, not its target: delete, rename,
     * lstat), but its parent still is.
     */
    public static Path resolve(Path path, boolean noFollowLast) {
        Path absolute = path.toAbsolutePath().normalize();
        if (noFollowLast) {
            Path parent = absolute.getParent();
            Path name = absolute.getFileName();
            return parent == null || name == null ? absolute : resolve(parent, false).resolve(name);
        }
        try {
            return absolute.toRealPath();
        } catch (IOException | SecurityException missing) {
            Path parent = absolute.getParent();
            Path name = absolute.getFileName();
            if (parent == null || name == null) {
                return absolute;
            }
            return resolve(parent, false).resolve(name).normalize();
        }
    }

    /** Whether the path exists without following a final symlink (for create vs write). */
    public static boolean exists(Path resolved) {
        return Files.exists(resolved, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The decision for {@code access} to {@code resolved} (already {@link #resolve resolved}) during a
     * call of {@code tool}, or outside tool calls when {@code tool} is null.
     */
    public Decision decide(Access access, Path resolved, String tool) {
        FilesPolicy global = policy.files();
        if (global.scope() == FileScope.TOOL_CALLS && tool == null) {
            return Decision.allow("files.scope", "outside tool calls (files.scope: tool-calls)");
        }
        Optional<FilesPolicy> own = tool == null ? Optional.empty()
                : policy.tool(tool).flatMap(ToolPolicy::files);
        Optional<FileRule> denied = global.denying(resolved, access)
                .or(() -> own.flatMap(f -> f.deny().stream().filter(r -> r.covers(resolved, access)).findFirst()));
        if (denied.isPresent()) {
            return deny(denied.get().id(), access + " of " + resolved + " is denied by " + denied.get().id());
        }
        if ((access == Access.READ || access == Access.LIST) && jvmNeeds.covers(resolved)) {
            return Decision.allow("builtin:jvm", "the JVM's own files are always readable");
        }
        if (global.declared()) {
            Optional<FileRule> allowed = global.allowing(resolved, access);
            if (allowed.isEmpty()) {
                return deny("files.allow", access + " of " + resolved + " is outside every files.allow root");
            }
            if (own.isEmpty()) {
                return Decision.allow(allowed.get().id(), "allowed by " + allowed.get().id());
            }
        }
        if (own.isPresent()) {
            Optional<FileRule> allowed = own.get().allowing(resolved, access);
            if (allowed.isEmpty()) {
                return deny("tools." + tool + ".files.allow",
                        access + " of " + resolved + " is outside the roots of tool '" + tool + "'");
            }
            return Decision.allow(allowed.get().id(), "allowed by " + allowed.get().id());
        }
        return Decision.allow("default", "no files section: not confined");
    }

    private Decision deny(String ruleId, String reason) {
        return Decision.deny(enforce, ruleId, reason);
    }
}

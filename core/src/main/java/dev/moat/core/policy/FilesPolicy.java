package dev.moat.core.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code files} section, or a tool's {@code files} (which narrows the global one: see
 * {@code dev.moat.core.files.PathGuard}).
 *
 * <p>Declared: an allow-list. An access is allowed when an {@link #allow()} rule covers it and no
 * {@link #deny()} rule does ({@code deny} wins). Not declared: no confinement. In both cases the
 * {@link #builtInDeny()} credential-store rules apply, except where an explicit allow rule names a
 * path at or beneath the built-in entry (an operator who writes {@code ~/.aws/config} under
 * {@code allow} means it). The JVM's own needs (runtime image, class path, agent files) are
 * always allowed by the guard, not listed here.
 *
 * @param declared    whether the policy has this section
 * @param scope       where the rules apply (default {@code process})
 * @param allow       allow rules, in file order
 * @param deny        deny rules, in file order
 * @param builtInDeny the built-in credential-store rules ({@link BuiltInDefaults#CREDENTIAL_STORES})
 */
public record FilesPolicy(boolean declared, FileScope scope, List<FileRule> allow, List<FileRule> deny,
                          List<FileRule> builtInDeny) {

    public FilesPolicy {
        Objects.requireNonNull(scope, "scope");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        builtInDeny = List.copyOf(builtInDeny);
    }

    /** The first allow rule covering {@code kind} of access to {@code path}. */
    public Optional<FileRule> allowing(Path path, Access kind) {
        return allow.stream().filter(r -> r.covers(path, kind)).findFirst();
    }

    /**
     * The first deny rule covering {@code kind} of access to {@code path}: an explicit {@link #deny()}
     * rule, else a {@link #builtInDeny()} rule that no covering allow rule lifts. An allow rule lifts a
     * built-in entry when it names a path at or beneath it ({@code ~/.aws/config} lifts
     * {@code ~/.aws} for that file; {@code /} lifts nothing).
     */
    public Optional<FileRule> denying(Path path, Access kind) {
        for (FileRule r : deny) {
            if (r.covers(path, kind)) {
                return Optional.of(r);
            }
        }
        for (FileRule builtIn : builtInDeny) {
            if (builtIn.covers(path, kind) && !liftedFor(builtIn, path, kind)) {
                return Optional.of(builtIn);
            }
        }
        return Optional.empty();
    }

    private boolean liftedFor(FileRule builtIn, Path path, Access kind) {
        for (FileRule a : allow) {
            if (a.covers(path, kind) && builtIn.path().matches(a.path().literalPrefix())) {
                return true;
            }
        }
        return false;
    }
}

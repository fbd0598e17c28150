package dev.moat.core.policy;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code files} allow or deny entry.
 *
 * @param id     where the rule comes from, for decisions and audit: its key path
 *               ({@code files.allow[0]}, {@code tools.read_file.files.allow[0]}) or
 *               {@code builtin:files.deny[~/.ssh]} for the built-in credential-store list
 * @param path   the path pattern; the rule covers it and everything beneath it
 * @param access the access kinds the rule covers (never empty)
 */
public record FileRule(String id, PathPattern path, Set<Access> access) {

    public FileRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        access = Set.copyOf(access);
        if (access.isEmpty()) {
            throw new IllegalArgumentException("a file rule needs at least one access kind");
        }
    }

    /** Whether this rule covers {@code kind} of access to {@code absolutePath}. */
    public boolean covers(Path absolutePath, Access kind) {
        return access.contains(kind) && path.matches(absolutePath);
    }
}

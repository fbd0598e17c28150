package dev.moat.core.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code process.allow} entry.
 *
 * @param id         its key path, such as {@code process.allow[0]}
 * @param executable absolute path (globs allowed) of the program, matched exactly against the
 *                   program really started (a bare command name is resolved through PATH first)
 * @param args       when present, must match the arguments after the program, joined with single
 *                   spaces, in full; absent means any arguments
 */
public record ProcessRule(String id, PathPattern executable, Optional<CompiledRegex> args) {

    public ProcessRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(args, "args");
    }

    /** Whether this rule allows running {@code program} (absolute) with {@code arguments}. */
    public boolean allows(Path program, List<String> arguments) {
        return executable.matchesExactly(program)
                && args.map(r -> r.matches(String.join(" ", arguments))).orElse(true);
    }
}

package dev.moat.core.process;

import dev.moat.core.decision.Decision;
import dev.moat.core.policy.Mode;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.ProcessPolicy;
import dev.moat.core.policy.ProcessRule;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decides whether a process may start (POLICY.md, {@code process}). With a {@code process} section,
 * only the programs it lists may be started, anywhere in the JVM; without one, no process may be
 * started from inside a tool call, and outside tool calls processes are allowed and audited.
 *
 * <p>The program is decided on its absolute path: a name with a slash is taken relative to the
 * process's working directory, a bare name is looked up in the JVM's {@code PATH} the way the JDK
 * does. A rule matches that path or, when it is a symbolic link, the file it really is (so a rule for
 * {@code /bin/sh} and a rule for {@code /usr/bin/dash} both admit {@code /bin/sh}). A rule's
 * {@code args} must match the arguments after the program, joined by single spaces, in full. In
 * monitor mode a denial is returned as {@code would-deny} and does not block.
 */
public final class ProcessGuard {

    /** Rule id of the decisions made without a {@code process} section. */
    public static final String DEFAULT_RULE = "process.default";

    private final ProcessPolicy policy;
    private final boolean enforce;
    private final List<Path> searchPath;
    private final Path workingDirectory;

    /**
     * @param policy           the {@code process} section
     * @param enforce          false in monitor mode
     * @param pathVariable     the JVM's {@code PATH} (null means none)
     * @param workingDirectory the JVM's working directory
     */
    public ProcessGuard(ProcessPolicy policy, boolean enforce, String pathVariable, Path workingDirectory) {
        this.policy = policy;
        this.enforce = enforce;
        List<Path> dirs = new ArrayList<>();
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                try {
                    dirs.add(Path.of(dir.isEmpty() ? "." : dir));
                } catch (InvalidPathException e) {
                    // the JDK would not find anything there either
                }
            }
        }
        this.searchPath = List.copyOf(dirs);
        this.workingDirectory = workingDirectory.toAbsolutePath();
    }

    /** The guard of a loaded policy, with this JVM's {@code PATH} and working directory. */
    public static ProcessGuard of(Policy policy) {
        return new ProcessGuard(policy.process(), policy.mode() == Mode.ENFORCE, System.getenv("PATH"),
                Path.of("").toAbsolutePath());
    }

    /**
     * The decision for starting {@code command} (program and arguments, as given to the JDK) in
     * {@code directory} (null: the JVM's), from inside a tool call or not.
     */
    public Decision decide(String[] command, String directory, boolean inToolCall) {
        if (!policy.declared()) {
            if (!inToolCall) {
                return Decision.allow(DEFAULT_RULE, "outside tool calls processes are allowed and audited");
            }
            return Decision.deny(enforce, DEFAULT_RULE,
                    "no process may be started from inside a tool call (the policy has no process section)");
        }
        if (command == null || command.length == 0 || command[0] == null) {
            return Decision.deny(enforce, "process.allow", "a process without a program");
        }
        List<Path> program = program(command[0], directory);
        List<String> arguments = Arrays.asList(command).subList(1, command.length);
        for (ProcessRule rule : policy.allow()) {
            for (Path candidate : program) {
                if (rule.allows(candidate, arguments)) {
                    return Decision.allow(rule.id(), "allowed by " + rule.id());
                }
            }
        }
        return Decision.deny(enforce, "process.allow", "no process.allow entry allows "
                + (program.isEmpty() ? command[0] : program.get(0)) + (arguments.isEmpty() ? "" : " with these arguments"));
    }

    /** The program's absolute path and, if it is a link, its real path; empty if it cannot be found. */
    List<Path> program(String name, String directory) {
        List<Path> out = new ArrayList<>(2);
        Path found;
        try {
            if (name.indexOf('/') >= 0) {
                Path base = directory == null ? workingDirectory : workingDirectory.resolve(directory);
                found = base.resolve(name).normalize();
            } else {
                found = null;
                for (Path dir : searchPath) {
                    Path p = workingDirectory.resolve(dir).resolve(name).normalize();
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        found = p;
                        break;
                    }
                }
            }
        } catch (InvalidPathException e) {
            return out;
        }
        if (found == null) {
            return out;
        }
        out.add(found);
        try {
            Path real = found.toRealPath();
            if (!real.equals(found)) {
                out.add(real);
            }
        } catch (IOException | SecurityException e) {
            // does not exist (the start will fail by itself): decide on the path as given
        }
        return out;
    }
}

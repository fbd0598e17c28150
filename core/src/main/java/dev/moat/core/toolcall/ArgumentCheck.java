package dev.moat.core.toolcall;

import dev.moat.core.decision.Decision;
import dev.moat.core.files.JvmNeeds;
import dev.moat.core.files.PathGuard;
import dev.moat.core.files.ResolvedPath;
import dev.moat.core.policy.ArgRule;
import dev.moat.core.policy.ArgType;
import dev.moat.core.policy.Mode;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.ToolPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a call's arguments against the tool's {@code args} rules before the tool runs
 * ({@code tools.NAME.args.ARG}): the JSON type, {@code maxLength}, {@code pattern},
 * {@code minimum}/{@code maximum} ({@link ArgRule#violation}), and for {@code type: path} that the
 * path, resolved as the file hooks resolve it (against the working directory, through every
 * symbolic link), lies inside the tool's file roots: not under a deny entry or a built-in credential
 * store, and inside the global and the tool's own {@code files.allow} roots for at least one access
 * kind. The JVM's own files do not count as the tool's roots here.
 *
 * <p>The first violation decides: rule {@code tools.NAME.args.ARG}, with a reason that names the
 * argument and why. In monitor mode the decision is a {@code would-deny}. Tools without argument
 * rules, and arguments without a rule, are not checked; a missing argument is not checked either.
 */
public final class ArgumentCheck {

    private static final Decision NO_RULES = Decision.allow("default", "no argument rule for this tool");
    private static final Decision CONFORM = Decision.allow("default", "the arguments conform to the tool's rules");

    private final boolean enforce;
    private final Map<String, List<ArgRule>> rules;
    private final PathGuard paths;

    private ArgumentCheck(boolean enforce, Map<String, List<ArgRule>> rules, PathGuard paths) {
        this.enforce = enforce;
        this.rules = rules;
        this.paths = paths;
    }

    /** The checks of a loaded policy (with its mode). */
    public static ArgumentCheck of(Policy policy) {
        Map<String, List<ArgRule>> rules = new HashMap<>();
        for (ToolPolicy tool : policy.tools().values()) {
            if (!tool.args().isEmpty()) {
                rules.put(tool.name(), List.copyOf(new java.util.TreeMap<>(tool.args()).values()));
            }
        }
        return new ArgumentCheck(policy.mode() == Mode.ENFORCE, Map.copyOf(rules),
                new PathGuard(policy, JvmNeeds.none()));
    }

    /** No argument rules at all. */
    public static ArgumentCheck none() {
        return new ArgumentCheck(true, Map.of(), null);
    }

    /**
     * The decision for the arguments of a call of {@code tool}.
     *
     * @param arguments the call's {@code arguments} as decoded from JSON (a Map), or null
     */
    public Decision decide(String tool, Object arguments) {
        List<ArgRule> toolRules = tool == null ? null : rules.get(tool);
        if (toolRules == null) {
            return NO_RULES;
        }
        Map<?, ?> args = arguments instanceof Map<?, ?> m ? m : Map.of();
        for (ArgRule rule : toolRules) {
            Object value = args.get(rule.name());
            String ruleId = "tools." + tool + ".args." + rule.name();
            var violation = rule.violation(value);
            if (violation.isPresent()) {
                return Decision.deny(enforce, ruleId, violation.get());
            }
            if (rule.type() == ArgType.PATH && value instanceof CharSequence text) {
                Decision d = decidePath(tool, rule.name(), text.toString(), ruleId);
                if (d != null) {
                    return d;
                }
            }
        }
        return CONFORM;
    }

    private Decision decidePath(String tool, String name, String value, String ruleId) {
        if (value.isEmpty()) {
            return null;
        }
        ResolvedPath resolved;
        try {
            resolved = PathGuard.resolved(Path.of(value), false);
        } catch (InvalidPathException e) {
            return Decision.deny(enforce, ruleId, "argument '" + name + "' is not a valid path: " + e.getReason());
        } catch (RuntimeException e) {
            return Decision.deny(enforce, ruleId, "argument '" + name + "' could not be resolved: " + e);
        }
        Decision d = paths.decideInspect(resolved, tool);
        if (d.action() == Decision.Action.ALLOW) {
            return null;
        }
        return Decision.deny(enforce, ruleId, "argument '" + name + "' (" + value + ") resolves to " + resolved.path()
                + ", outside the file roots of tool '" + tool + "' (" + d.ruleId() + ")");
    }
}

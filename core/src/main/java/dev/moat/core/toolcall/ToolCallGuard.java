package dev.moat.core.toolcall;

import dev.moat.core.decision.Decision;
import dev.moat.core.policy.Mode;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.ToolPolicy;
import java.util.HashSet;
import java.util.Set;

/**
 * Decides whether a tool may be called at all, whether its arguments conform to the tool's argument
 * rules ({@link ArgumentCheck}), and whether its arguments may be written down. Built once from the
 * policy's {@code tools:} section.
 */
public final class ToolCallGuard {

    private static final Decision NO_RULE = Decision.allow("default", "no rule denies this tool");

    private final boolean enforce;
    private final Set<String> deniedTools;
    private final Set<String> unrecordedTools;
    private final ArgumentCheck arguments;

    /**
     * @param enforce         false in monitor mode: denials are recorded, not applied
     * @param deniedTools     tools with {@code deny: true}
     * @param unrecordedTools tools with {@code recordArguments: false}
     */
    public ToolCallGuard(boolean enforce, Set<String> deniedTools, Set<String> unrecordedTools) {
        this(enforce, deniedTools, unrecordedTools, ArgumentCheck.none());
    }

    /** As above, with the argument rules to check before each call. */
    public ToolCallGuard(boolean enforce, Set<String> deniedTools, Set<String> unrecordedTools,
                         ArgumentCheck arguments) {
        this.enforce = enforce;
        this.deniedTools = Set.copyOf(deniedTools);
        this.unrecordedTools = Set.copyOf(unrecordedTools);
        this.arguments = arguments;
    }

    /** The guard for a loaded policy (with its mode). */
    public static ToolCallGuard of(Policy policy) {
        Set<String> denied = new HashSet<>();
        Set<String> unrecorded = new HashSet<>();
        for (ToolPolicy tool : policy.tools().values()) {
            if (tool.deny()) {
                denied.add(tool.name());
            }
            if (!tool.recordArguments()) {
                unrecorded.add(tool.name());
            }
        }
        return new ToolCallGuard(policy.mode() == Mode.ENFORCE, denied, unrecorded, ArgumentCheck.of(policy));
    }

    /** The decision for a call of {@code tool} (which may be null when the request carried no name). */
    public Decision decide(String tool) {
        if (tool != null && !deniedTools.isEmpty() && deniedTools.contains(tool)) {
            return Decision.deny(enforce, "tools." + tool + ".deny", "the policy denies every call of this tool");
        }
        return NO_RULE;
    }

    /**
     * The decision for the arguments of a call of {@code tool} (the request's {@code arguments}, a
     * Map or null): the first argument that breaks its rule, such as a {@code type: path} argument
     * outside the tool's file roots, denies the call before the tool runs.
     */
    public Decision decideArguments(String tool, Object arguments) {
        return this.arguments.decide(tool, arguments);
    }

    /** False for tools whose argument values must never be written. */
    public boolean recordArguments(String tool) {
        return unrecordedTools.isEmpty() || !unrecordedTools.contains(tool);
    }
}

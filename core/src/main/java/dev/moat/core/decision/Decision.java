package dev.moat.core.decision;

import java.util.Objects;

/**
 * The outcome of one policy check, as it goes into the audit trail.
 *
 * @param action   what the policy says
 * @param enforced whether the action takes effect ({@code false} in monitor mode: a denial is only recorded)
 * @param ruleId   the policy rule that decided, for example {@code tools.delete_file.deny}, or
 *                 {@code default} when no rule matched
 * @param reason   a sentence for the person reading the audit trail or the error message
 */
public record Decision(Action action, boolean enforced, String ruleId, String reason) {

    /** What a rule says about an operation. */
    public enum Action { ALLOW, DENY }

    public Decision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(reason, "reason");
    }

    /** An allowing decision. */
    public static Decision allow(String ruleId, String reason) {
        return new Decision(Action.ALLOW, true, ruleId, reason);
    }

    /** A denying decision; {@code enforced} is false in monitor mode. */
    public static Decision deny(boolean enforced, String ruleId, String reason) {
        return new Decision(Action.DENY, enforced, ruleId, reason);
    }

    /** True when the operation must not happen. */
    public boolean blocks() {
        return action == Action.DENY && enforced;
    }

    /** The value written as {@code moat.decision}: allow, deny, or would-deny (monitor mode). */
    public String label() {
        if (action == Action.ALLOW) {
            return "allow";
        }
        return enforced ? "deny" : "would-deny";
    }
}

package dev.moat.core.policy;

import java.util.List;

/**
 * The {@code process} section. Declared: only the listed programs may be started (anywhere in
 * the process). Not declared: no process may be started from inside a tool call; outside tool
 * calls, starting one is allowed and audited.
 *
 * @param declared whether the policy has this section
 * @param allow    the allowed programs, in file order
 */
public record ProcessPolicy(boolean declared, List<ProcessRule> allow) {

    public ProcessPolicy {
        allow = List.copyOf(allow);
    }
}

package dev.moat.core.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code output} section, or a tool's effective output settings.
 *
 * @param declared whether the section (the tool's own, for a tool) is written in the policy
 * @param sanitize the rewrites applied to text results (may be empty: none)
 * @param maxChars text results are cut to this many characters (default 1,000,000)
 */
public record OutputPolicy(boolean declared, Set<Sanitizer> sanitize, int maxChars) {

    public OutputPolicy {
        sanitize = Set.copyOf(sanitize);
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        }
    }

    /** The sanitizers in their fixed application order (html, terminal, unicode, secrets). */
    public List<Sanitizer> sanitizersInOrder() {
        EnumSet<Sanitizer> set = EnumSet.noneOf(Sanitizer.class);
        set.addAll(sanitize);
        return List.copyOf(set);
    }

    /** Whether {@code s} is applied. */
    public boolean applies(Sanitizer s) {
        return sanitize.contains(Objects.requireNonNull(s));
    }
}

package dev.moat.core.policy;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression from the policy, compiled once at load. Matching is always against the
 * whole input ({@link java.util.regex.Matcher#matches()}), so {@code ^} and {@code $} are optional.
 * Two instances are equal when their source text is equal.
 */
public final class CompiledRegex {

    private final String source;
    private final Pattern pattern;

    private CompiledRegex(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /**
     * Compiles {@code regex} (Java syntax).
     *
     * @throws IllegalArgumentException with a one-line description when the syntax is wrong
     */
    public static CompiledRegex compile(String regex) {
        Objects.requireNonNull(regex, "regex");
        try {
            return new CompiledRegex(regex, Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            String where = e.getIndex() >= 0 ? " at index " + e.getIndex() : "";
            throw new IllegalArgumentException("invalid regular expression '" + regex + "': "
                    + e.getDescription() + where, e);
        }
    }

    /** The expression as written in the policy. */
    public String source() {
        return source;
    }

    /** The compiled pattern. */
    public Pattern pattern() {
        return pattern;
    }

    /** Whether the whole of {@code input} matches. */
    public boolean matches(CharSequence input) {
        return pattern.matcher(input).matches();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompiledRegex other && other.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }
}

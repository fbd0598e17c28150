package dev.moat.core.policy;

import java.util.Locale;
import java.util.Objects;

import inet.ipaddr.IPAddressString;

/**
 * A host name from a {@code network} rule: either exact ({@code api.github.com}) or a wildcard over
 * every subdomain at any depth ({@code *.internal.example.com} matches {@code a.internal.example.com}
 * and {@code a.b.internal.example.com}, not {@code internal.example.com} itself). Names compare
 * case-insensitively and ignore one trailing dot. IP literals are refused here: they belong in a
 * {@code cidr} entry. Non-ASCII names must be written in their {@code xn--} form.
 */
public final class HostPattern implements NetworkTarget {

    private final String text;
    private final String suffix;
    private final boolean wildcard;

    private HostPattern(String text, String suffix, boolean wildcard) {
        this.text = text;
        this.suffix = suffix;
        this.wildcard = wildcard;
    }

    /**
     * Validates and compiles a host pattern.
     *
     * @throws IllegalArgumentException with a one-line description of what is wrong
     */
    public static HostPattern compile(String raw) {
        Objects.requireNonNull(raw, "raw");
        String s = normalise(raw);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        if (new IPAddressString(s).isIPAddress() || (s.startsWith("[") && s.endsWith("]"))) {
            throw new IllegalArgumentException("'" + raw + "' is an IP address: use a cidr entry (cidr: "
                    + s.replace("[", "").replace("]", "") + ") instead of host");
        }
        boolean wildcard = s.startsWith("*.");
        String name = wildcard ? s.substring(2) : s;
        if (s.equals("*")) {
            throw new IllegalArgumentException("'*' alone would match every host: use cidr entries"
                    + " (0.0.0.0/0, ::/0) to allow every address");
        }
        String problem = hostNameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid host name '" + raw + "': " + problem);
        }
        return new HostPattern(s, name, wildcard);
    }

    /**
     * Why {@code name} (lower case, no trailing dot) is not a valid DNS name, or null when it is.
     * Underscores are tolerated because internal names use them.
     */
    static String hostNameProblem(String name) {
        if (name.isEmpty()) {
            return "empty name";
        }
        if (name.length() > 253) {
            return "longer than 253 characters";
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) {
                return "empty label";
            }
            if (label.length() > 63) {
                return "label '" + label + "' is longer than 63 characters";
            }
            if (label.contains("*")) {
                return "'*' is only allowed as the whole leftmost label, as in *.example.com";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    return c > 127 ? "non-ASCII character '" + c + "' (write the name in its xn-- form)"
                            : "character '" + c + "' is not allowed in a host name";
                }
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return "label '" + label + "' starts or ends with '-'";
            }
        }
        return null;
    }

    private static String normalise(String host) {
        String s = host.trim().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Whether {@code hostName} (as resolved or requested) is matched by this pattern. */
    public boolean matches(String hostName) {
        if (hostName == null) {
            return false;
        }
        String h = normalise(hostName);
        return wildcard ? h.length() > suffix.length() + 1 && h.endsWith("." + suffix) : h.equals(suffix);
    }

    /** Whether the pattern starts with {@code *.}. */
    public boolean isWildcard() {
        return wildcard;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostPattern other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}

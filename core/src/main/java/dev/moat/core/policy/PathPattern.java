package dev.moat.core.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An absolute file path from the policy, optionally with glob elements, compiled at load.
 *
 * <h2>Syntax</h2>
 * <ul>
 *   <li>Absolute POSIX paths: {@code /srv/workspace}.</li>
 *   <li>{@code ~} or {@code ~/...} and {@code ${user.home}} expand to the home directory,
 *       {@code ${user.dir}} to the JVM's working directory ({@link PolicyEnvironment}).
 *       Other {@code ${...}} variables and {@code ~user} are errors.</li>
 *   <li>{@code .} and {@code ..} elements are resolved lexically at load ({@code ..} may not climb
 *       above {@code /} or out of a glob element).</li>
 *   <li>Within one element, {@code *} matches any run of characters and {@code ?} one character,
 *       never {@code /}: {@code /srv/*}{@code /data}, {@code /etc/ssh/ssh_host_*_key}.</li>
 *   <li>An element that is exactly {@code **} matches any number (zero or more) of elements:
 *       {@code /home/**}{@code /.env}.</li>
 * </ul>
 *
 * <h2>Meaning</h2>
 * {@link #matches(Path)} is true for a path the pattern names <em>and everything beneath it</em>,
 * compared element by element ({@code /srv/app} covers {@code /srv/app/x} but never
 * {@code /srv/app-secret}). {@link #matchesExactly(Path)} omits the "beneath" part (for executables).
 * Matching is case-sensitive and purely lexical: callers pass the path really opened (resolved).
 */
public final class PathPattern {

    private final String source;
    private final String pattern;
    private final List<String> elements;
    private final boolean glob;

    private PathPattern(String source, String pattern, List<String> elements, boolean glob) {
        this.source = source;
        this.pattern = pattern;
        this.elements = elements;
        this.glob = glob;
    }

    /**
     * Expands, validates and compiles {@code raw}.
     *
     * @throws IllegalArgumentException with a one-line description of what is wrong
     */
    public static PathPattern compile(String raw, PolicyEnvironment env) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(env, "env");
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path contains a NUL character");
        }
        String expanded = expand(raw, env);
        if (!expanded.startsWith("/")) {
            throw new IllegalArgumentException("relative path '" + raw + "': paths must be absolute"
                    + " (start with /, ~/, ${user.home} or ${user.dir})");
        }
        List<String> out = new ArrayList<>();
        boolean glob = false;
        for (String element : expanded.split("/")) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..")) {
                if (out.isEmpty()) {
                    throw new IllegalArgumentException("path '" + raw + "' climbs above / with '..'");
                }
                String last = out.get(out.size() - 1);
                if (isGlob(last)) {
                    throw new IllegalArgumentException("path '" + raw + "' uses '..' after the glob element '" + last + "'");
                }
                out.remove(out.size() - 1);
                continue;
            }
            if (element.contains("**") && !element.equals("**")) {
                throw new IllegalArgumentException("'**' must be a whole path element in '" + raw
                        + "' (use * to match within one element)");
            }
            glob |= isGlob(element);
            out.add(element);
        }
        String normalised = "/" + String.join("/", out);
        return new PathPattern(raw, normalised, List.copyOf(out), glob);
    }

    private static String expand(String raw, PolicyEnvironment env) {
        String s = raw;
        if (s.equals("~") || s.startsWith("~/")) {
            s = env.userHome().toString() + s.substring(1);
        } else if (s.startsWith("~")) {
            throw new IllegalArgumentException("'" + raw + "': the ~user form is not supported"
                    + " (use ~/, ${user.home} or an absolute path)");
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int start = s.indexOf("${", i);
            if (start < 0) {
                sb.append(s, i, s.length());
                break;
            }
            sb.append(s, i, start);
            int end = s.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed '${' in path '" + raw + "'");
            }
            String name = s.substring(start + 2, end);
            switch (name) {
                case "user.home" -> sb.append(env.userHome());
                case "user.dir" -> sb.append(env.userDir());
                default -> throw new IllegalArgumentException("unknown variable '${" + name + "}' in path '" + raw
                        + "' (known: ${user.home}, ${user.dir})");
            }
            i = end + 1;
        }
        return sb.toString();
    }

    private static boolean isGlob(String element) {
        return element.indexOf('*') >= 0 || element.indexOf('?') >= 0;
    }

    /** The path as written in the policy, before expansion. */
    public String source() {
        return source;
    }

    /** The expanded, normalised pattern, such as {@code /home/ann/.ssh} or {@code /proc/*}{@code /environ}. */
    public String pattern() {
        return pattern;
    }

    /** Whether any element is a glob. */
    public boolean hasGlob() {
        return glob;
    }

    /**
     * The longest leading part without glob elements, such as {@code /srv} for {@code /srv/*}{@code /data};
     * the whole pattern when it has no glob.
     */
    public Path literalPrefix() {
        StringBuilder sb = new StringBuilder();
        for (String e : elements) {
            if (isGlob(e)) {
                break;
            }
            sb.append('/').append(e);
        }
        return Path.of(sb.length() == 0 ? "/" : sb.toString());
    }

    /** Whether {@code path} (absolute) is named by this pattern or lies beneath what it names. */
    public boolean matches(Path path) {
        return match(split(path), true);
    }

    /** As {@link #matches(Path)} for an absolute path given as a string. */
    public boolean matches(String absolutePath) {
        return match(split(Path.of(absolutePath)), true);
    }

    /** Whether {@code path} (absolute) is named by this pattern itself, not beneath it. */
    public boolean matchesExactly(Path path) {
        return match(split(path), false);
    }

    private static List<String> split(Path path) {
        Path p = path.normalize();
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        List<String> parts = new ArrayList<>(p.getNameCount());
        for (Path name : p) {
            parts.add(name.toString());
        }
        return parts;
    }

    private boolean match(List<String> path, boolean beneath) {
        return match(0, path, 0, beneath);
    }

    private boolean match(int pi, List<String> path, int ei, boolean beneath) {
        if (pi == elements.size()) {
            return beneath || ei == path.size();
        }
        String p = elements.get(pi);
        if (p.equals("**")) {
            for (int j = ei; j <= path.size(); j++) {
                if (match(pi + 1, path, j, beneath)) {
                    return true;
                }
            }
            return false;
        }
        if (ei == path.size()) {
            return false;
        }
        return elementMatches(p, path.get(ei)) && match(pi + 1, path, ei + 1, beneath);
    }

    /** Glob match of one element: {@code *} any run, {@code ?} one character. */
    static boolean elementMatches(String glob, String name) {
        int g = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
                g++;
                n++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = n;
            } else if (star >= 0) {
                g = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern other && other.source.equals(source) && other.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, pattern);
    }

    @Override
    public String toString() {
        return pattern;
    }
}

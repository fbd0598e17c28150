package dev.moat.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The one-screen human summary of a policy printed by {@code check-policy} and the agent banner. */
public final class PolicySummary {

    private PolicySummary() {
    }

    /** The summary as lines (no trailing newline). */
    public static List<String> lines(Policy p) {
        List<String> out = new ArrayList<>();
        out.add("policy " + p.source() + " (version " + p.version() + ")");
        out.add(row("mode", p.mode().keyword() + (p.mode() == Mode.MONITOR ? " (decide and record, never deny)" : "")));
        out.add(row("failOpen", String.valueOf(p.failOpen())));
        out.add(row("audit", audit(p.audit())));
        out.add(row("files", files(p.files())));
        out.add(row("network", network(p.network())));
        ProcessPolicy proc = p.process();
        out.add(row("process", proc.declared()
                ? count(proc.allow().size(), "allowed program") + " (everything else denied)"
                : "not set: none from tool calls; outside tool calls allowed and audited"));
        NativeLibrariesPolicy nl = p.nativeLibraries();
        out.add(row("nativeLibraries", nl.declared()
                ? count(nl.allow().size(), "allowed location") + " (everything else denied)"
                : "not set: allowed and audited"));
        SecretsPolicy s = p.secrets();
        out.add(row("secrets", "hardcoded " + s.hardcoded().keyword() + ", "
                + count(s.fromEnv().size(), "fromEnv mapping") + (s.declared() ? "" : " (default)")));
        out.add(row("output", output(p.output()) + (p.output().declared() ? "" : " (default)")));
        if (p.tools().isEmpty()) {
            out.add(row("tools", "none listed: every tool allowed under the global rules"));
        } else {
            out.add(row("tools", String.valueOf(p.tools().size())));
            Map<String, ToolPolicy> sorted = new TreeMap<>(p.tools());
            int width = sorted.keySet().stream().mapToInt(String::length).max().orElse(0);
            for (ToolPolicy t : sorted.values()) {
                out.add("    " + pad(t.name(), width) + "  " + tool(t));
            }
        }
        return out;
    }

    /** The summary as one string. */
    public static String describe(Policy p) {
        return String.join(System.lineSeparator(), lines(p));
    }

    private static String row(String key, String value) {
        return "  " + pad(key + ":", 17) + value;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String audit(AuditConfig a) {
        List<String> sinks = new ArrayList<>();
        a.files().forEach(f -> sinks.add("file " + f + " (rotated at " + a.rotation() + ")"));
        if (a.stderr()) {
            sinks.add("stderr");
        }
        a.syslog().ifPresent(e -> sinks.add("syslog " + e));
        a.tcp().ifPresent(e -> sinks.add("tcp " + e));
        if (a.appLogger()) {
            sinks.add("app logger mcp.audit");
        }
        String to = sinks.isEmpty() ? "NO SINK (events are dropped)" : String.join(", ", sinks);
        return to + "; redacting " + (a.redactKeys().isEmpty() ? "nothing" : String.join(", ", a.redactKeys()));
    }

    private static String files(FilesPolicy f) {
        String builtIn = " + " + f.builtInDeny().size() + " built-in credential-store denies";
        if (!f.declared()) {
            return "not set: no confinement" + builtIn;
        }
        return "scope " + f.scope().keyword() + ", " + count(f.allow().size(), "allow rule") + ", "
                + count(f.deny().size(), "deny rule") + builtIn;
    }

    private static String network(NetworkPolicy n) {
        String builtIn = " + " + n.builtInDeny().size() + " built-in denied ranges";
        if (!n.declared()) {
            return "not set: public addresses allowed" + builtIn;
        }
        return count(n.allow().size(), "allow rule") + ", " + count(n.deny().size(), "deny rule") + builtIn;
    }

    private static String output(OutputPolicy o) {
        String s = o.sanitize().isEmpty() ? "no sanitizing"
                : "sanitize " + o.sanitizersInOrder().stream().map(Sanitizer::keyword).collect(Collectors.joining(", "));
        return s + ", maxChars " + o.maxChars();
    }

    private static String tool(ToolPolicy t) {
        if (t.deny()) {
            return "DENIED";
        }
        List<String> parts = new ArrayList<>();
        if (!t.args().isEmpty()) {
            parts.add("args " + new TreeMap<>(t.args()).values().stream()
                    .map(a -> a.name() + ":" + a.type().keyword()).collect(Collectors.joining(", ")));
        }
        t.files().ifPresent(f -> parts.add("files " + f.allow().size() + " allow/" + f.deny().size() + " deny"));
        t.network().ifPresent(n -> parts.add("network " + n.allow().size() + " allow/" + n.deny().size() + " deny"));
        t.output().ifPresent(o -> parts.add("output " + output(o)));
        if (!t.recordArguments()) {
            parts.add("arguments not recorded");
        }
        return parts.isEmpty() ? "allowed (no own rules)" : String.join("; ", parts);
    }
}

package dev.moat.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * The startup banner, written to standard error (never standard output: that is the stdio MCP
 * transport). It says what is protected and, as loudly, what is not.
 */
final class Banner {

    private Banner() {
    }

    /** The banner lines for a started agent. */
    static List<String> lines(String version, String mode, String policySource, List<String> sinks,
                              List<Hook> hooks, HookStatus status, long startMillis) {
        List<String> out = new ArrayList<>();
        out.add("moat: Moat " + version + " started in " + startMillis + " ms: mode " + mode + ", " + policySource);
        out.add("moat: audit -> " + String.join(", ", sinks));
        for (Hook hook : hooks) {
            out.add("moat: hook " + hook.id() + ": " + describe(hook, status));
        }
        return out;
    }

    static String describe(Hook hook, HookStatus status) {
        switch (status.state(hook.id())) {
            case APPLIED:
                return "applied (" + hook.target() + ")";
            case FAILED:
                return "FAILED: " + String.join("; ", status.failures(hook.id())) + " -- NOT PROTECTED";
            default:
                return "armed, applies when the classes load (" + hook.target() + ")";
        }
    }

    /** The banner of an agent that runs but protects nothing (failOpen). */
    static List<String> unprotected(String version, String reason) {
        String rule = "moat: " + "#".repeat(72);
        return List.of(rule,
                "moat: WARNING: Moat " + version + " is NOT protecting this JVM (failOpen=true)",
                "moat: reason: " + reason,
                "moat: no tool call is checked or audited, no file, socket or process is confined",
                rule);
    }
}

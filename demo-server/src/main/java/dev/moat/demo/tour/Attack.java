package dev.moat.demo.tour;

import java.util.Map;

/**
 * One attack of the tour: a tool call that exploits one of the demo server's mistakes.
 *
 * @param title what the attack is, e.g. {@code path traversal}
 * @param tool the tool called
 * @param arguments the call's arguments
 * @param leak a string the unprotected server's answer contains — its presence in the result means the
 *     attack went through untouched
 */
public record Attack(String title, String tool, Map<String, Object> arguments, String leak) {

    /** A compact rendering of the call, e.g. {@code read_file ../secret.txt}. */
    public String call() {
        return tool + " " + String.join(" ", arguments.values().stream().map(String::valueOf).toList());
    }
}

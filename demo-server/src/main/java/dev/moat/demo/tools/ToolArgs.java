package dev.moat.demo.tools;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Reads {@code tools/call} arguments. Only checks presence and type — never content: the demo server
 * is deliberately unsafe, so a path is not confined, a URL not checked, a command not filtered.
 */
public final class ToolArgs {

    private ToolArgs() {
    }

    /** The named argument as a string; fails when it is absent, null or not a string. */
    public static String string(Map<String, Object> arguments, String name) throws ToolException {
        Object value = arguments.get(name);
        if (value == null) {
            throw new ToolException("missing required argument '" + name + "'");
        }
        if (!(value instanceof String s)) {
            throw new ToolException("argument '" + name + "' must be a string");
        }
        return s;
    }

    /**
     * The named argument as a decimal number; accepts a JSON number or a numeric string (clients differ).
     */
    public static BigDecimal decimal(Map<String, Object> arguments, String name) throws ToolException {
        Object value = arguments.get(name);
        if (value == null) {
            throw new ToolException("missing required argument '" + name + "'");
        }
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number || value instanceof String) {
            try {
                return new BigDecimal(value.toString().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new ToolException("argument '" + name + "' must be a number, got: " + value);
    }
}

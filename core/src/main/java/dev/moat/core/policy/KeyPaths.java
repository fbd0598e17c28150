package dev.moat.core.policy;

import java.util.regex.Pattern;

/** Builds key paths such as {@code tools.read_file.args.path} and {@code files.allow[0]}. Package-private. */
final class KeyPaths {

    private static final Pattern SIMPLE = Pattern.compile("[A-Za-z0-9_$-]+");

    private KeyPaths() {
    }

    /** {@code parent.key}, or {@code parent["odd key"]} for keys that are not simple words. */
    static String child(String parent, String key) {
        if (SIMPLE.matcher(key).matches()) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        String quoted = "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        return parent + quoted;
    }

    /** {@code parent[index]}. */
    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}

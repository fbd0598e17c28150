package dev.moat.core.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key the policy parser accepts, by shape. The shape names are the {@code $defs} names of
 * {@code moat-policy.schema.json} ({@code Policy} is the document root), and a unit test holds the
 * schema and this table equal. The parser reads keys only through this table, so a key cannot be
 * accepted without being listed here.
 */
public final class PolicyKeys {

    /** The document root. */
    public static final String POLICY = "Policy";
    /** {@code audit}. */
    public static final String AUDIT = "Audit";
    /** {@code audit.syslog}, {@code audit.tcp}. */
    public static final String ENDPOINT = "Endpoint";
    /** {@code audit.rotation}. */
    public static final String ROTATION = "Rotation";
    /** {@code files}. */
    public static final String FILES = "Files";
    /** {@code tools.NAME.files}. */
    public static final String TOOL_FILES = "ToolFiles";
    /** An object entry of {@code files.allow} / {@code files.deny}. */
    public static final String FILE_ENTRY = "FileEntry";
    /** {@code network} and {@code tools.NAME.network}. */
    public static final String NETWORK = "Network";
    /** An object entry of {@code network.allow} / {@code network.deny}. */
    public static final String NETWORK_ENTRY = "NetworkEntry";
    /** {@code process}. */
    public static final String PROCESS = "Process";
    /** An object entry of {@code process.allow}. */
    public static final String PROCESS_ENTRY = "ProcessEntry";
    /** {@code nativeLibraries}. */
    public static final String NATIVE_LIBRARIES = "NativeLibraries";
    /** {@code secrets}. */
    public static final String SECRETS = "Secrets";
    /** {@code output} and {@code tools.NAME.output}. */
    public static final String OUTPUT = "Output";
    /** {@code tools.NAME}. */
    public static final String TOOL = "Tool";
    /** {@code tools.NAME.args.ARG}. */
    public static final String ARG_RULE = "ArgRule";

    private static final Map<String, List<String>> SHAPES;

    static {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(POLICY, List.of("version", "mode", "failOpen", "audit", "files", "network", "process",
                "nativeLibraries", "secrets", "output", "tools"));
        m.put(AUDIT, List.of("file", "rotation", "stderr", "syslog", "tcp", "appLogger", "redactKeys"));
        m.put(ENDPOINT, List.of("host", "port"));
        m.put(ROTATION, List.of("maxFileSize", "maxFiles"));
        m.put(FILES, List.of("scope", "allow", "deny"));
        m.put(TOOL_FILES, List.of("allow", "deny"));
        m.put(FILE_ENTRY, List.of("path", "access"));
        m.put(NETWORK, List.of("allow", "deny"));
        m.put(NETWORK_ENTRY, List.of("host", "cidr", "ports"));
        m.put(PROCESS, List.of("allow"));
        m.put(PROCESS_ENTRY, List.of("executable", "args"));
        m.put(NATIVE_LIBRARIES, List.of("allow"));
        m.put(SECRETS, List.of("hardcoded", "fromEnv"));
        m.put(OUTPUT, List.of("sanitize", "maxChars"));
        m.put(TOOL, List.of("deny", "args", "files", "network", "output", "recordArguments"));
        m.put(ARG_RULE, List.of("type", "maxLength", "pattern", "minimum", "maximum"));
        SHAPES = Collections.unmodifiableMap(m);
    }

    private PolicyKeys() {
    }

    /** Shape name to its keys, in documentation order. */
    public static Map<String, List<String>> shapes() {
        return SHAPES;
    }

    /** The keys of {@code shape}. */
    public static List<String> keys(String shape) {
        List<String> keys = SHAPES.get(shape);
        if (keys == null) {
            throw new IllegalArgumentException("unknown shape " + shape);
        }
        return keys;
    }
}

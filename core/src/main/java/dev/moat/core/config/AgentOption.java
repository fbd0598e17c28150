package dev.moat.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.moat.core.policy.Mode;
import dev.moat.core.policy.PolicyKeyword;

/**
 * Every agent option, declared once with its key, type, default and description. The system
 * property and environment variable names derive from the key:
 * {@code moat.KEY} and {@code MOAT_} + the key upper-cased with dots as underscores
 * ({@code audit.file} → {@code MOAT_AUDIT_FILE}, {@code failOpen} → {@code MOAT_FAILOPEN}).
 * A camel-case key also answers to the underscore-separated spelling ({@code MOAT_FAIL_OPEN}).
 */
public enum AgentOption {

    /** Path of the policy file. */
    POLICY("policy", ValueType.PATH, "none: the built-in default policy",
            "Path of the policy file (YAML or JSON). Without one, Moat runs its built-in default:"
                    + " monitor mode, audit events to stderr."),
    /** Overrides the policy's mode. */
    MODE("mode", ValueType.MODE, "the policy's `mode` (`monitor` without a policy file)",
            "Overrides the policy's `mode`: `enforce` denies what the policy does not allow,"
                    + " `monitor` decides and records but never denies."),
    /** Overrides the policy's failOpen. */
    FAIL_OPEN("failOpen", ValueType.BOOLEAN, "the policy's `failOpen` (`false`)",
            "Overrides the policy's `failOpen`: `true` lets a broken policy or agent start leave the server"
                    + " running, unprotected and loudly; `false` stops the JVM instead."),
    /** Adds an audit file sink. */
    AUDIT_FILE("audit.file", ValueType.PATH, "none",
            "Adds a JSON-lines audit file sink, in addition to the policy's sinks; works with no policy file.");

    /** The kinds of option values. */
    public enum ValueType {
        /** A file path; {@code ~/} expands to the home directory, relative paths stay relative. */
        PATH("a file path"),
        /** {@code enforce} or {@code monitor} (case-insensitive). */
        MODE("enforce or monitor"),
        /** {@code true} or {@code false} (case-insensitive). */
        BOOLEAN("true or false");

        private final String allowed;

        ValueType(String allowed) {
            this.allowed = allowed;
        }

        /** What the type accepts, for messages: "true or false". */
        public String allowed() {
            return allowed;
        }

        /**
         * Parses {@code raw} (already trimmed, non-empty).
         *
         * @param home home directory for {@code ~/} expansion, or null for none
         * @return the value, or empty when {@code raw} is not one of the allowed values
         */
        Optional<Object> parse(String raw, String home) {
            switch (this) {
                case PATH -> {
                    String s = raw;
                    if (home != null && (s.equals("~") || s.startsWith("~/"))) {
                        s = home + s.substring(1);
                    }
                    try {
                        return Optional.of(Path.of(s));
                    } catch (InvalidPathException e) {
                        return Optional.empty();
                    }
                }
                case MODE -> {
                    return PolicyKeyword.find(Mode.class, raw.toLowerCase(Locale.ROOT)).map(m -> m);
                }
                case BOOLEAN -> {
                    String b = raw.toLowerCase(Locale.ROOT);
                    return b.equals("true") ? Optional.of(Boolean.TRUE)
                            : b.equals("false") ? Optional.of(Boolean.FALSE) : Optional.empty();
                }
                default -> throw new IllegalStateException(name());
            }
        }
    }

    private final String key;
    private final ValueType type;
    private final String defaultDescription;
    private final String description;

    AgentOption(String key, ValueType type, String defaultDescription, String description) {
        this.key = key;
        this.type = type;
        this.defaultDescription = defaultDescription;
        this.description = description;
    }

    /** The key as written in the agent argument: {@code policy}, {@code audit.file}. */
    public String key() {
        return key;
    }

    /** The value type. */
    public ValueType type() {
        return type;
    }

    /** What applies when the option is not set (Markdown). */
    public String defaultDescription() {
        return defaultDescription;
    }

    /** What the option does (Markdown). */
    public String description() {
        return description;
    }

    /** The system property: {@code moat.} + key. */
    public String systemProperty() {
        return "moat." + key;
    }

    /** The canonical environment variable: {@code MOAT_} + key upper-cased, dots as underscores. */
    public String environmentVariable() {
        return "MOAT_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * All environment variable names read for this option, canonical first: for a camel-case key
     * also the spelling with an underscore at each case change ({@code MOAT_FAIL_OPEN}).
     */
    public List<String> environmentVariables() {
        List<String> names = new ArrayList<>();
        names.add(environmentVariable());
        String snake = "MOAT_" + key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        if (!names.contains(snake)) {
            names.add(snake);
        }
        return List.copyOf(names);
    }

    /** The option with this exact key. */
    public static Optional<AgentOption> byKey(String key) {
        for (AgentOption o : values()) {
            if (o.key.equals(key)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** All keys in declaration order. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (AgentOption o : values()) {
            keys.add(o.key);
        }
        return List.copyOf(keys);
    }
}

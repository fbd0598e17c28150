package dev.moat.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.moat.core.policy.Mode;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.PolicyEnvironment;
import dev.moat.core.policy.PolicyException;
import dev.moat.core.policy.PolicyLoader;
import dev.moat.core.util.Suggest;

/**
 * The resolved agent options ({@link AgentOption}), immutable. Sources, highest precedence first:
 * <ol>
 *   <li>the agent argument {@code KEY=VALUE,KEY=VALUE} (as passed to {@code premain}; null or blank
 *       means none; surrounding spaces are trimmed; an empty segment, as after a trailing comma, is
 *       ignored; values cannot contain a comma),</li>
 *   <li>system properties {@code moat.KEY},</li>
 *   <li>environment variables {@code MOAT_KEY} (upper case, dots as underscores; camel-case keys
 *       also answer to the underscore spelling, so {@code MOAT_FAILOPEN} and {@code MOAT_FAIL_OPEN}
 *       both set {@code failOpen}; if both are set they must agree).</li>
 * </ol>
 * Problems in any source (unknown key or malformed pair in the agent argument, a key given twice,
 * an empty or invalid value) are {@link OptionException}s. Unknown {@code moat.*} system properties
 * and {@code MOAT_*} environment variables are not errors (other tools may share the prefix); they
 * are listed in {@link #warnings()} for the banner.
 */
public final class AgentOptions {

    /**
     * One option's value and where it came from.
     *
     * @param option the option
     * @param value  the typed value: {@link Path}, {@link Mode} or {@link Boolean}
     * @param source the source that set it
     * @param name   the name it was set under: the key, {@code moat.KEY} or the environment variable
     * @param raw    the value as written (trimmed)
     */
    public record Setting(AgentOption option, Object value, OptionSource source, String name, String raw) {

        public Setting {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(raw, "raw");
        }

        /** For the banner: {@code policy=/x (agent argument)}, {@code mode=enforce (system property moat.mode)}. */
        public String describe() {
            String where = source == OptionSource.AGENT_ARGUMENT ? source.label() : source.label() + " " + name;
            return option.key() + "=" + value + " (" + where + ")";
        }
    }

    private static final AgentOptions NONE = new AgentOptions(new EnumMap<>(AgentOption.class), List.of());

    private final Map<AgentOption, Setting> settings;
    private final List<String> warnings;

    private AgentOptions(EnumMap<AgentOption, Setting> settings, List<String> warnings) {
        this.settings = Collections.unmodifiableMap(new EnumMap<>(settings));
        this.warnings = List.copyOf(warnings);
    }

    /** No option set anywhere. */
    public static AgentOptions none() {
        return NONE;
    }

    /** Resolves from {@code agentArgs}, the running JVM's system properties and environment. */
    public static AgentOptions resolve(String agentArgs) throws OptionException {
        Properties props = System.getProperties();
        Map<String, String> sys = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            sys.put(name, props.getProperty(name));
        }
        return resolve(agentArgs, sys, System.getenv());
    }

    /**
     * Resolves the options.
     *
     * @param agentArgs        the agent argument string, may be null or empty
     * @param systemProperties system properties ({@code user.home} is used for {@code ~/} expansion)
     * @param env              environment variables ({@code HOME} is the fallback for {@code ~/})
     */
    public static AgentOptions resolve(String agentArgs, Map<String, String> systemProperties, Map<String, String> env)
            throws OptionException {
        Objects.requireNonNull(systemProperties, "systemProperties");
        Objects.requireNonNull(env, "env");
        String home = systemProperties.getOrDefault("user.home", env.get("HOME"));
        EnumMap<AgentOption, Setting> result = new EnumMap<>(AgentOption.class);
        List<String> warnings = new ArrayList<>();

        // lowest precedence first; later sources overwrite
        for (AgentOption o : AgentOption.values()) {
            Setting fromEnv = null;
            for (String name : o.environmentVariables()) {
                String raw = env.get(name);
                if (raw == null) {
                    continue;
                }
                Setting s = setting(o, raw, OptionSource.ENVIRONMENT, name, home);
                if (fromEnv != null && !fromEnv.value().equals(s.value())) {
                    throw new OptionException("conflicting values for option " + o.key() + ": environment variable "
                            + fromEnv.name() + "=" + fromEnv.raw() + " but " + name + "=" + s.raw()
                            + " (set only one of " + String.join(", ", o.environmentVariables()) + ")",
                            o.key(), raw, OptionSource.ENVIRONMENT);
                }
                if (fromEnv == null) {
                    fromEnv = s;
                }
            }
            if (fromEnv != null) {
                result.put(o, fromEnv);
            }
            String prop = systemProperties.get(o.systemProperty());
            if (prop != null) {
                result.put(o, setting(o, prop, OptionSource.SYSTEM_PROPERTY, o.systemProperty(), home));
            }
        }
        result.putAll(parseAgentArgs(agentArgs, home));

        warnUnknown(systemProperties.keySet(), "moat.", "system property",
                AgentOption.keys().stream().map(k -> "moat." + k).toList(), warnings);
        List<String> envNames = new ArrayList<>();
        for (AgentOption o : AgentOption.values()) {
            envNames.addAll(o.environmentVariables());
        }
        warnUnknown(env.keySet(), "MOAT_", "environment variable", envNames, warnings);
        return new AgentOptions(result, warnings);
    }

    private static void warnUnknown(Iterable<String> names, String prefix, String what, List<String> known,
                                    List<String> warnings) {
        List<String> sorted = new ArrayList<>();
        names.forEach(sorted::add);
        Collections.sort(sorted);
        for (String name : sorted) {
            if (name.startsWith(prefix) && !known.contains(name)) {
                List<String> knownSuffixes = known.stream().map(k -> k.substring(prefix.length())).toList();
                String hint = Suggest.closest(name.substring(prefix.length()), knownSuffixes)
                        .map(s -> "; did you mean " + prefix + s + "?").orElse("");
                warnings.add("ignored unknown " + what + " " + name + " (known: " + String.join(", ", known) + ")" + hint);
            }
        }
    }

    private static Map<AgentOption, Setting> parseAgentArgs(String agentArgs, String home) throws OptionException {
        Map<AgentOption, Setting> out = new EnumMap<>(AgentOption.class);
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        String known = String.join(", ", AgentOption.keys());
        String[] pairs = agentArgs.split(",", -1);
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i].strip();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq).strip();
            if (eq < 0 || key.isEmpty()) {
                throw new OptionException("malformed agent argument '" + pair + "' (pair " + (i + 1) + " of '" + agentArgs
                        + "'): expected KEY=VALUE, with KEY one of: " + known,
                        eq < 0 ? null : key, pair, OptionSource.AGENT_ARGUMENT);
            }
            String raw = pair.substring(eq + 1);
            Optional<AgentOption> option = AgentOption.byKey(key);
            if (option.isEmpty()) {
                String hint = Suggest.closest(key, AgentOption.keys()).map(s -> "; did you mean '" + s + "'?").orElse("");
                throw new OptionException("unknown option '" + key + "' in agent argument '" + pair + "' (known options: "
                        + known + ")" + hint, key, raw, OptionSource.AGENT_ARGUMENT);
            }
            if (out.containsKey(option.get())) {
                throw new OptionException("option " + key + " is given twice in the agent argument '" + agentArgs + "'",
                        key, raw, OptionSource.AGENT_ARGUMENT);
            }
            out.put(option.get(), setting(option.get(), raw, OptionSource.AGENT_ARGUMENT, key, home));
        }
        return out;
    }

    private static Setting setting(AgentOption o, String rawValue, OptionSource source, String name, String home)
            throws OptionException {
        String raw = rawValue.strip();
        String where = source == OptionSource.AGENT_ARGUMENT ? source.label() : source.label() + " " + name;
        if (raw.isEmpty()) {
            throw new OptionException("empty value for option " + o.key() + " (" + where + "): expected "
                    + o.type().allowed(), o.key(), rawValue, source);
        }
        Optional<Object> value = o.type().parse(raw, home);
        if (value.isEmpty()) {
            throw new OptionException("invalid value '" + raw + "' for option " + o.key() + " (" + where + "): expected "
                    + o.type().allowed(), o.key(), raw, source);
        }
        return new Setting(o, value.get(), source, name, raw);
    }

    // ---- typed getters

    /** The policy file, when one is given. */
    public Optional<Path> policy() {
        return value(AgentOption.POLICY, Path.class);
    }

    /** The mode override, when given. */
    public Optional<Mode> mode() {
        return value(AgentOption.MODE, Mode.class);
    }

    /** The failOpen override, when given. */
    public Optional<Boolean> failOpen() {
        return value(AgentOption.FAIL_OPEN, Boolean.class);
    }

    /** The extra audit file, when given. */
    public Optional<Path> auditFile() {
        return value(AgentOption.AUDIT_FILE, Path.class);
    }

    private <T> Optional<T> value(AgentOption o, Class<T> type) {
        return setting(o).map(s -> type.cast(s.value()));
    }

    /** The setting of {@code option} with its source, when set. */
    public Optional<Setting> setting(AgentOption option) {
        return Optional.ofNullable(settings.get(option));
    }

    /** Every option that is set, in declaration order. */
    public List<Setting> settings() {
        return List.copyOf(settings.values());
    }

    /** Notes for the banner about ignored {@code moat.*} properties and {@code MOAT_*} variables. */
    public List<String> warnings() {
        return warnings;
    }

    /** One line per set option for the banner: {@code policy=/x (agent argument)}. */
    public List<String> describe() {
        return settings.values().stream().map(Setting::describe).toList();
    }

    // ---- applying to a policy

    /** {@code policy} with the {@code mode}, {@code failOpen} and {@code audit.file} options applied. */
    public Policy applyTo(Policy policy) {
        Policy p = policy;
        if (mode().isPresent()) {
            p = p.withMode(mode().get());
        }
        if (failOpen().isPresent()) {
            p = p.withFailOpen(failOpen().get());
        }
        if (auditFile().isPresent()) {
            p = p.withAdditionalAuditFile(auditFile().get());
        }
        return p;
    }

    /**
     * The effective policy: the policy file when {@code policy} is set, otherwise the built-in
     * default; then {@link #applyTo(Policy)}.
     */
    public Policy loadPolicy(PolicyEnvironment env) throws PolicyException {
        Policy base = policy().isPresent() ? PolicyLoader.load(policy().get(), env) : Policy.builtInDefault(null, env);
        return applyTo(base);
    }

    /** As {@link #loadPolicy(PolicyEnvironment)} with {@link PolicyEnvironment#current()}. */
    public Policy loadPolicy() throws PolicyException {
        return loadPolicy(PolicyEnvironment.current());
    }

    // ---- documentation

    /** The option table as Markdown, generated from {@link AgentOption}, for the README. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| Key (agent argument) | System property | Environment variable | Value | Default | Meaning |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (AgentOption o : AgentOption.values()) {
            sb.append("| `").append(o.key()).append("` | `-D").append(o.systemProperty()).append("` | ")
                    .append(o.environmentVariables().stream().map(n -> "`" + n + "`").collect(Collectors.joining(" or ")))
                    .append(" | ").append(cell(o.type().allowed()))
                    .append(" | ").append(cell(o.defaultDescription()))
                    .append(" | ").append(cell(o.description())).append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    @Override
    public String toString() {
        return new TreeMap<>(settings).values().stream().map(Setting::describe).collect(Collectors.joining(", ", "AgentOptions[", "]"));
    }
}

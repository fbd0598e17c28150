package dev.moat.core.policy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps the located tree onto the compiled {@link Policy}, validating every value on the way and
 * stopping at the first problem. Package-private: use {@link PolicyLoader}.
 */
final class PolicyMapper {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<Access> ALL_ACCESS = Set.copyOf(EnumSet.allOf(Access.class));
    private static final Set<Access> DEFAULT_ALLOW_ACCESS = Set.of(Access.READ, Access.LIST);

    private final String source;
    private final PolicyEnvironment env;
    private final List<FileRule> credentialStores;

    private PolicyMapper(String source, PolicyEnvironment env) {
        this.source = source;
        this.env = env;
        this.credentialStores = BuiltInDefaults.credentialStoreRules(env);
    }

    static Policy map(Node root, String source, PolicyEnvironment env) throws PolicyException {
        return new PolicyMapper(source, env).policy(Cursor.root(root, source));
    }

    private Policy policy(Cursor root) throws PolicyException {
        if (!root.isMap()) {
            throw root.error("the policy must be a map of keys (version, mode, audit, files, ...), got " + root.node.describe());
        }
        Cursor.Fields f = root.fields(PolicyKeys.POLICY);
        Cursor v = f.require("version");
        if (v.node.kind != Node.Kind.INTEGER) {
            throw v.error("expected the integer 1, got " + v.node.describe());
        }
        if (!v.node.integer.equals(java.math.BigInteger.ONE)) {
            throw v.error("unsupported version " + v.node.text + " (this Moat reads version 1)");
        }
        Mode mode = f.get("mode").isPresent() ? f.get("mode").get().keyword(Mode.class, "mode") : BuiltInDefaults.MODE;
        boolean failOpen = f.get("failOpen").isPresent() && f.get("failOpen").get().bool();
        AuditConfig audit = f.get("audit").isPresent() ? audit(f.get("audit").get()) : AuditConfig.absent();
        FilesPolicy files = f.get("files").isPresent() ? files(f.get("files").get()) : Policy.absentFiles(env);
        NetworkPolicy network = f.get("network").isPresent() ? network(f.get("network").get()) : Policy.absentNetwork();
        ProcessPolicy process = f.get("process").isPresent() ? process(f.get("process").get())
                : new ProcessPolicy(false, List.of());
        NativeLibrariesPolicy nativeLibraries = f.get("nativeLibraries").isPresent()
                ? nativeLibraries(f.get("nativeLibraries").get()) : new NativeLibrariesPolicy(false, List.of());
        SecretsPolicy secrets = f.get("secrets").isPresent() ? secrets(f.get("secrets").get()) : Policy.absentSecrets();
        OutputPolicy output = f.get("output").isPresent() ? output(f.get("output").get(), Policy.absentOutput())
                : Policy.absentOutput();
        Map<String, ToolPolicy> tools = f.get("tools").isPresent() ? tools(f.get("tools").get(), output) : Map.of();
        return new Policy(source, Policy.VERSION, mode, failOpen, audit, files, network, process, nativeLibraries,
                secrets, output, tools);
    }

    // ---- audit

    private AuditConfig audit(Cursor c) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.AUDIT);
        List<Path> files = new ArrayList<>();
        if (f.has("file")) {
            PathPattern p = path(f.get("file").get());
            if (p.hasGlob()) {
                throw f.get("file").get().error("the audit file must be a plain path, not a glob: '" + p.source() + "'");
            }
            files.add(Path.of(p.pattern()));
        }
        Optional<Endpoint> syslog = f.has("syslog") ? Optional.of(endpoint(f.get("syslog").get())) : Optional.empty();
        Optional<Endpoint> tcp = f.has("tcp") ? Optional.of(endpoint(f.get("tcp").get())) : Optional.empty();
        boolean appLogger = f.has("appLogger") && f.get("appLogger").get().bool();
        boolean otherSink = !files.isEmpty() || syslog.isPresent() || tcp.isPresent() || appLogger;
        boolean stderr = f.has("stderr") ? f.get("stderr").get().bool() : !otherSink;
        List<String> redactKeys = BuiltInDefaults.REDACT_KEYS;
        if (f.has("redactKeys")) {
            List<String> keys = new ArrayList<>();
            for (Cursor k : f.get("redactKeys").get().list()) {
                String key = k.nonEmptyString();
                if (keys.stream().anyMatch(key::equalsIgnoreCase)) {
                    throw k.error("duplicate redact key '" + key + "'");
                }
                keys.add(key);
            }
            redactKeys = keys;
        }
        AuditConfig.Rotation rotation = f.has("rotation") ? rotation(f.get("rotation").get()) : AuditConfig.Rotation.DEFAULT;
        return new AuditConfig(true, files, rotation, stderr, syslog, tcp, appLogger, redactKeys);
    }

    private static final java.util.regex.Pattern FILE_SIZE =
            java.util.regex.Pattern.compile("(?i)\\s*(\\d{1,12})\\s*(b|kb|mb|gb)?\\s*");

    private AuditConfig.Rotation rotation(Cursor c) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.ROTATION);
        long maxFileSize = AuditConfig.Rotation.DEFAULT_MAX_FILE_SIZE;
        if (f.has("maxFileSize")) {
            maxFileSize = fileSize(f.get("maxFileSize").get());
        }
        int maxFiles = f.has("maxFiles") ? f.get("maxFiles").get().integer(1, AuditConfig.Rotation.MAX_FILES)
                : AuditConfig.Rotation.DEFAULT_MAX_FILES;
        return new AuditConfig.Rotation(maxFileSize, maxFiles);
    }

    /** Bytes, or a string with a unit: {@code 100MB}, {@code 512 KB}, {@code 1GB} (units of 1024). */
    private static long fileSize(Cursor c) throws PolicyException {
        long bytes;
        if (c.node.kind == Node.Kind.INTEGER) {
            bytes = c.node.integer.bitLength() < 63 ? c.node.integer.longValue() : Long.MAX_VALUE;
        } else if (c.node.kind == Node.Kind.STRING) {
            java.util.regex.Matcher m = FILE_SIZE.matcher(c.node.text);
            if (!m.matches()) {
                throw c.error("expected a size such as 100MB, 512KB or a number of bytes, got '" + c.node.text + "'");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
            long factor = switch (unit) {
                case "kb" -> 1024L;
                case "mb" -> 1024L * 1024;
                case "gb" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            bytes = n > Long.MAX_VALUE / factor ? Long.MAX_VALUE : n * factor;
        } else {
            throw c.error("expected a size such as 100MB, 512KB or a number of bytes, got " + c.node.describe());
        }
        if (bytes < AuditConfig.Rotation.MIN_FILE_SIZE) {
            throw c.error("the file size must be at least 1KB, got " + c.node.text);
        }
        return bytes;
    }

    private Endpoint endpoint(Cursor c) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.ENDPOINT);
        Cursor hostCursor = f.require("host");
        String host = hostCursor.nonEmptyString().trim();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!new inet.ipaddr.IPAddressString(bare).isIPAddress()) {
            String problem = HostPattern.hostNameProblem(bare.toLowerCase(java.util.Locale.ROOT));
            if (problem != null) {
                throw hostCursor.error("invalid host '" + host + "': " + problem);
            }
        }
        int port = port(f.require("port"));
        return new Endpoint(bare, port);
    }

    private static int port(Cursor c) throws PolicyException {
        if (c.node.kind == Node.Kind.INTEGER) {
            java.math.BigInteger v = c.node.integer;
            if (v.signum() <= 0 || v.compareTo(java.math.BigInteger.valueOf(65535)) > 0) {
                throw c.error("port " + c.node.text + " is out of range (1 to 65535)");
            }
            return v.intValueExact();
        }
        throw c.error("expected a port number (1 to 65535), got " + c.node.describe());
    }

    // ---- files

    private FilesPolicy files(Cursor c) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.FILES);
        FileScope scope = f.has("scope") ? f.get("scope").get().keyword(FileScope.class, "file scope") : FileScope.PROCESS;
        List<FileRule> allow = f.has("allow") ? fileRules(f.get("allow").get(), DEFAULT_ALLOW_ACCESS) : List.of();
        List<FileRule> deny = f.has("deny") ? fileRules(f.get("deny").get(), ALL_ACCESS) : List.of();
        return new FilesPolicy(true, scope, allow, deny, credentialStores);
    }

    private FilesPolicy toolFiles(Cursor c) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.TOOL_FILES);
        List<FileRule> allow = f.has("allow") ? fileRules(f.get("allow").get(), DEFAULT_ALLOW_ACCESS) : List.of();
        List<FileRule> deny = f.has("deny") ? fileRules(f.get("deny").get(), ALL_ACCESS) : List.of();
        return new FilesPolicy(true, FileScope.TOOL_CALLS, allow, deny, credentialStores);
    }

    private List<FileRule> fileRules(Cursor c, Set<Access> defaultAccess) throws PolicyException {
        List<FileRule> rules = new ArrayList<>();
        for (Cursor item : c.list()) {
            if (item.isString()) {
                rules.add(new FileRule(item.path, path(item), defaultAccess));
                continue;
            }
            if (!item.isMap()) {
                throw item.error("expected a path or a map with the keys path, access, got " + item.node.describe());
            }
            Cursor.Fields f = item.fields(PolicyKeys.FILE_ENTRY);
            PathPattern path = path(f.require("path"));
            Set<Access> access = defaultAccess;
            if (f.has("access")) {
                Set<Access> kinds = new LinkedHashSet<>();
                for (Cursor k : f.get("access").get().nonEmptyList(" (list at least one of: " + PolicyKeyword.allowed(Access.class) + ")")) {
                    Access a = k.keyword(Access.class, "access kind");
                    if (!kinds.add(a)) {
                        throw k.error("duplicate access kind '" + a.keyword() + "'");
                    }
                }
                access = kinds;
            }
            rules.add(new FileRule(item.path, path, access));
        }
        return rules;
    }

    private PathPattern path(Cursor c) throws PolicyException {
        String raw = c.nonEmptyString();
        try {
            return PathPattern.compile(raw, env);
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }

    // ---- network

    private NetworkPolicy network(Cursor c) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.NETWORK);
        List<NetworkRule> allow = f.has("allow") ? networkRules(f.get("allow").get()) : List.of();
        List<NetworkRule> deny = f.has("deny") ? networkRules(f.get("deny").get()) : List.of();
        return new NetworkPolicy(true, allow, deny, BuiltInDefaults.deniedNetworkRules());
    }

    private List<NetworkRule> networkRules(Cursor c) throws PolicyException {
        List<NetworkRule> rules = new ArrayList<>();
        for (Cursor item : c.list()) {
            if (item.isString()) {
                String raw = item.nonEmptyString();
                NetworkTarget target = looksLikeAddress(raw) ? cidr(item, raw) : host(item, raw);
                rules.add(new NetworkRule(item.path, target, Set.of()));
                continue;
            }
            if (!item.isMap()) {
                throw item.error("expected a map with host or cidr (and optional ports), or a host/CIDR string, got "
                        + item.node.describe());
            }
            Cursor.Fields f = item.fields(PolicyKeys.NETWORK_ENTRY);
            boolean hasHost = f.has("host");
            boolean hasCidr = f.has("cidr");
            if (hasHost && hasCidr) {
                throw f.get("cidr").get().keyError("give either 'host' or 'cidr' in one entry, not both");
            }
            if (!hasHost && !hasCidr) {
                throw item.error("missing 'host' or 'cidr'");
            }
            NetworkTarget target;
            if (hasHost) {
                Cursor h = f.get("host").get();
                target = host(h, h.nonEmptyString());
            } else {
                Cursor r = f.get("cidr").get();
                target = cidr(r, r.nonEmptyString());
            }
            Set<Integer> ports = Set.of();
            if (f.has("ports")) {
                Set<Integer> list = new LinkedHashSet<>();
                for (Cursor p : f.get("ports").get().nonEmptyList(" (leave 'ports' out to cover every port)")) {
                    if (!list.add(port(p))) {
                        throw p.error("duplicate port " + p.node.text);
                    }
                }
                ports = list;
            }
            rules.add(new NetworkRule(item.path, target, ports));
        }
        return rules;
    }

    private static boolean looksLikeAddress(String s) {
        return s.contains("/") || s.contains(":") || s.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.');
    }

    private static HostPattern host(Cursor c, String raw) throws PolicyException {
        try {
            return HostPattern.compile(raw);
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }

    private static CidrBlock cidr(Cursor c, String raw) throws PolicyException {
        try {
            return CidrBlock.compile(raw);
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }

    // ---- process, native libraries, secrets, output

    private ProcessPolicy process(Cursor c) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.PROCESS);
        List<ProcessRule> rules = new ArrayList<>();
        if (f.has("allow")) {
            for (Cursor item : f.get("allow").get().list()) {
                if (item.isString()) {
                    rules.add(new ProcessRule(item.path, path(item), Optional.empty()));
                    continue;
                }
                if (!item.isMap()) {
                    throw item.error("expected a map with the keys executable, args, or an executable path, got "
                            + item.node.describe());
                }
                Cursor.Fields e = item.fields(PolicyKeys.PROCESS_ENTRY);
                PathPattern executable = path(e.require("executable"));
                Optional<CompiledRegex> args = e.has("args") ? Optional.of(regex(e.get("args").get())) : Optional.empty();
                rules.add(new ProcessRule(item.path, executable, args));
            }
        }
        return new ProcessPolicy(true, rules);
    }

    private static CompiledRegex regex(Cursor c) throws PolicyException {
        String raw = c.string();
        try {
            return CompiledRegex.compile(raw);
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage(), e);
        }
    }

    private NativeLibrariesPolicy nativeLibraries(Cursor c) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.NATIVE_LIBRARIES);
        List<PathPattern> allow = new ArrayList<>();
        if (f.has("allow")) {
            for (Cursor item : f.get("allow").get().list()) {
                allow.add(path(item));
            }
        }
        return new NativeLibrariesPolicy(true, allow);
    }

    private static SecretsPolicy secrets(Cursor c) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.SECRETS);
        HardcodedSecretAction hardcoded = f.has("hardcoded")
                ? f.get("hardcoded").get().keyword(HardcodedSecretAction.class, "hardcoded-secret action")
                : HardcodedSecretAction.REPORT;
        Map<String, String> fromEnv = new LinkedHashMap<>();
        if (f.has("fromEnv")) {
            for (Map.Entry<String, Cursor> e : f.get("fromEnv").get().entries().entrySet()) {
                Cursor value = e.getValue();
                if (e.getKey().isBlank() || e.getKey().chars().anyMatch(Character::isWhitespace)) {
                    throw value.keyError("invalid fingerprint '" + e.getKey() + "' (empty or contains whitespace)");
                }
                String var = value.nonEmptyString();
                if (!ENV_NAME.matcher(var).matches()) {
                    throw value.error("invalid environment variable name '" + var + "' (letters, digits and _, not starting with a digit)");
                }
                fromEnv.put(e.getKey(), var);
            }
        }
        return new SecretsPolicy(true, hardcoded, fromEnv);
    }

    private static OutputPolicy output(Cursor c, OutputPolicy inherited) throws PolicyException {
        Cursor.Fields f = c.fields(PolicyKeys.OUTPUT);
        Set<Sanitizer> sanitize = inherited.sanitize();
        if (f.has("sanitize")) {
            Set<Sanitizer> set = new LinkedHashSet<>();
            for (Cursor s : f.get("sanitize").get().list()) {
                Sanitizer one = s.keyword(Sanitizer.class, "sanitizer");
                if (!set.add(one)) {
                    throw s.error("duplicate sanitizer '" + one.keyword() + "'");
                }
            }
            sanitize = set;
        }
        int maxChars = f.has("maxChars") ? positive(f.get("maxChars").get()) : inherited.maxChars();
        return new OutputPolicy(true, sanitize, maxChars);
    }

    private static int positive(Cursor c) throws PolicyException {
        if (c.node.kind == Node.Kind.INTEGER && c.node.integer.signum() <= 0) {
            throw c.error("must be greater than 0, got " + c.node.text);
        }
        return c.integer(1, Integer.MAX_VALUE);
    }

    // ---- tools

    private Map<String, ToolPolicy> tools(Cursor c, OutputPolicy globalOutput) throws PolicyException {
        Map<String, ToolPolicy> tools = new LinkedHashMap<>();
        for (Map.Entry<String, Cursor> e : c.entries().entrySet()) {
            String name = e.getKey();
            Cursor t = e.getValue();
            if (name.isBlank()) {
                throw t.keyError("empty tool name");
            }
            if (!name.strip().equals(name)) {
                throw t.keyError("tool name '" + name + "' has leading or trailing whitespace");
            }
            Cursor.Fields f = t.fields(PolicyKeys.TOOL);
            boolean deny = f.has("deny") && f.get("deny").get().bool();
            Map<String, ArgRule> args = f.has("args") ? args(f.get("args").get()) : Map.of();
            Optional<FilesPolicy> files = f.has("files") ? Optional.of(toolFiles(f.get("files").get())) : Optional.empty();
            Optional<NetworkPolicy> network = f.has("network") ? Optional.of(network(f.get("network").get()))
                    : Optional.empty();
            Optional<OutputPolicy> output = f.has("output") ? Optional.of(output(f.get("output").get(), globalOutput))
                    : Optional.empty();
            boolean recordArguments = !f.has("recordArguments") || f.get("recordArguments").get().bool();
            tools.put(name, new ToolPolicy(name, deny, args, files, network, output, recordArguments));
        }
        return tools;
    }

    private static Map<String, ArgRule> args(Cursor c) throws PolicyException {
        Map<String, ArgRule> args = new LinkedHashMap<>();
        for (Map.Entry<String, Cursor> e : c.entries().entrySet()) {
            String name = e.getKey();
            Cursor a = e.getValue();
            if (name.isBlank()) {
                throw a.keyError("empty argument name");
            }
            Cursor.Fields f = a.fields(PolicyKeys.ARG_RULE);
            Cursor typeCursor = f.require("type");
            ArgType type = typeCursor.keyword(ArgType.class, "argument type");
            boolean text = type == ArgType.STRING || type == ArgType.PATH;
            boolean numeric = type == ArgType.INTEGER || type == ArgType.NUMBER;
            OptionalInt maxLength = OptionalInt.empty();
            if (f.has("maxLength")) {
                Cursor m = f.get("maxLength").get();
                if (!text) {
                    throw m.keyError("maxLength applies only to the types string and path, not " + type.keyword());
                }
                maxLength = OptionalInt.of(positive(m));
            }
            Optional<CompiledRegex> pattern = Optional.empty();
            if (f.has("pattern")) {
                Cursor p = f.get("pattern").get();
                if (!text) {
                    throw p.keyError("pattern applies only to the types string and path, not " + type.keyword());
                }
                pattern = Optional.of(regex(p));
            }
            Optional<BigDecimal> minimum = bound(f, "minimum", type, numeric);
            Optional<BigDecimal> maximum = bound(f, "maximum", type, numeric);
            if (minimum.isPresent() && maximum.isPresent() && minimum.get().compareTo(maximum.get()) > 0) {
                throw f.get("maximum").get().error("maximum " + maximum.get().toPlainString() + " is below minimum "
                        + minimum.get().toPlainString());
            }
            args.put(name, new ArgRule(name, type, maxLength, pattern, minimum, maximum));
        }
        return args;
    }

    private static Optional<BigDecimal> bound(Cursor.Fields f, String key, ArgType type, boolean numeric)
            throws PolicyException {
        if (!f.has(key)) {
            return Optional.empty();
        }
        Cursor b = f.get(key).get();
        if (!numeric) {
            throw b.keyError(key + " applies only to the types integer and number, not " + type.keyword());
        }
        BigDecimal v = b.number();
        if (type == ArgType.INTEGER && b.node.kind != Node.Kind.INTEGER) {
            throw b.error("expected an integer " + key + " for an integer argument, got " + b.node.describe());
        }
        return Optional.of(v);
    }
}

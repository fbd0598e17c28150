package dev.moat.core.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated and compiled policy (POLICY.md, version 1). Immutable: every list, set and
 * map is an unmodifiable copy and every pattern is compiled. Sections the file leaves out are
 * present with their documented defaults and {@code declared() == false}, so callers can both use
 * the values directly and tell "absent" from "written".
 *
 * <p>Obtain one from {@link PolicyLoader#load(Path)}, {@link PolicyLoader#parse(String, String)} or
 * {@link #builtInDefault(Path)}.
 *
 * @param source          the file name as given, or {@link BuiltInDefaults#BUILT_IN_SOURCE}
 * @param version         always 1
 * @param mode            enforce or monitor (default enforce; the built-in default uses monitor)
 * @param failOpen        whether a broken policy or agent start leaves the server running unprotected
 * @param audit           audit sinks and redaction
 * @param files           file rules
 * @param network         egress rules
 * @param process         process-start rules
 * @param nativeLibraries native-library rules
 * @param secrets         hardcoded-secret handling
 * @param output          default output sanitizing for every tool
 * @param tools           per-tool rules by tool name
 */
public record Policy(String source, int version, Mode mode, boolean failOpen, AuditConfig audit, FilesPolicy files,
                     NetworkPolicy network, ProcessPolicy process, NativeLibrariesPolicy nativeLibraries,
                     SecretsPolicy secrets, OutputPolicy output, Map<String, ToolPolicy> tools) {

    /** The only policy version this code reads. */
    public static final int VERSION = 1;

    public Policy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(nativeLibraries, "nativeLibraries");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(output, "output");
        tools = Map.copyOf(tools);
    }

    /**
     * POLICY.md's "no policy file" default: {@code mode: monitor}, audit events to stderr and, when
     * {@code auditFile} is not null, to that file; every other section absent (built-in deny lists,
     * default sanitizers). Paths expand against {@link PolicyEnvironment#current()}.
     */
    public static Policy builtInDefault(Path auditFile) {
        return builtInDefault(auditFile, PolicyEnvironment.current());
    }

    /** As {@link #builtInDefault(Path)}, expanding built-in paths against {@code env}. */
    public static Policy builtInDefault(Path auditFile, PolicyEnvironment env) {
        AuditConfig audit = AuditConfig.absent();
        if (auditFile != null) {
            audit = audit.withAdditionalFile(auditFile);
        }
        return new Policy(BuiltInDefaults.BUILT_IN_SOURCE, VERSION, BuiltInDefaults.MODE_WITHOUT_POLICY_FILE, false,
                audit, absentFiles(env), absentNetwork(), new ProcessPolicy(false, List.of()),
                new NativeLibrariesPolicy(false, List.of()), absentSecrets(), absentOutput(), Map.of());
    }

    static FilesPolicy absentFiles(PolicyEnvironment env) {
        return new FilesPolicy(false, FileScope.PROCESS, List.of(), List.of(), BuiltInDefaults.credentialStoreRules(env));
    }

    static NetworkPolicy absentNetwork() {
        return new NetworkPolicy(false, List.of(), List.of(), BuiltInDefaults.deniedNetworkRules());
    }

    static SecretsPolicy absentSecrets() {
        return new SecretsPolicy(false, HardcodedSecretAction.REPORT, Map.of());
    }

    static OutputPolicy absentOutput() {
        return new OutputPolicy(false, BuiltInDefaults.SANITIZERS, BuiltInDefaults.MAX_CHARS);
    }

    /** Whether this is the built-in default rather than a policy file. */
    public boolean isBuiltInDefault() {
        return BuiltInDefaults.BUILT_IN_SOURCE.equals(source);
    }

    /** The rules for {@code toolName}, when the policy has any. */
    public Optional<ToolPolicy> tool(String toolName) {
        return Optional.ofNullable(tools.get(toolName));
    }

    /** Whether every call of {@code toolName} is refused ({@code tools.NAME.deny: true}). */
    public boolean isDenied(String toolName) {
        return tool(toolName).map(ToolPolicy::deny).orElse(false);
    }

    /** Whether audit events of {@code toolName}'s calls carry their arguments. */
    public boolean recordsArguments(String toolName) {
        return tool(toolName).map(ToolPolicy::recordArguments).orElse(true);
    }

    /**
     * The network rules in force during a call of {@code toolName}: the tool's allow list replaces the
     * global one and both deny lists apply. (Files differ: a tool's file roots narrow the global ones,
     * see {@code dev.moat.core.files.PathGuard}.)
     */
    public NetworkPolicy networkFor(String toolName) {
        Optional<NetworkPolicy> own = tool(toolName).flatMap(ToolPolicy::network);
        if (own.isEmpty()) {
            return network;
        }
        List<NetworkRule> deny = new ArrayList<>(network.deny());
        deny.addAll(own.get().deny());
        return new NetworkPolicy(true, own.get().allow(), deny, network.builtInDeny());
    }

    /** The output settings for {@code toolName}'s results (the tool's own, else the global ones). */
    public OutputPolicy outputFor(String toolName) {
        return tool(toolName).flatMap(ToolPolicy::output).orElse(output);
    }

    /** A copy with {@code mode} replaced (the {@code mode} agent option). */
    public Policy withMode(Mode newMode) {
        return new Policy(source, version, newMode, failOpen, audit, files, network, process, nativeLibraries,
                secrets, output, tools);
    }

    /** A copy with {@code failOpen} replaced (the {@code failOpen} agent option). */
    public Policy withFailOpen(boolean newFailOpen) {
        return new Policy(source, version, mode, newFailOpen, audit, files, network, process, nativeLibraries,
                secrets, output, tools);
    }

    /** A copy with a further audit file sink (the {@code audit.file} agent option). */
    public Policy withAdditionalAuditFile(Path auditFile) {
        return new Policy(source, version, mode, failOpen, audit.withAdditionalFile(auditFile), files, network,
                process, nativeLibraries, secrets, output, tools);
    }

    /** A one-screen human summary, as printed by {@code check-policy}. */
    public String describe() {
        return PolicySummary.describe(this);
    }
}

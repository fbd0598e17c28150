package dev.moat.core.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The defaults POLICY.md promises for absent sections, as data: the credential stores that are
 * never readable unless allowed explicitly, the address ranges that are never reachable unless
 * allowed explicitly, and the default values of individual keys.
 */
public final class BuiltInDefaults {

    /** The source name of a policy that was not read from a file. */
    public static final String BUILT_IN_SOURCE = "<built-in default>";

    /** {@code mode} when a policy file does not set it. */
    public static final Mode MODE = Mode.ENFORCE;

    /** {@code mode} of the built-in policy used when there is no policy file. */
    public static final Mode MODE_WITHOUT_POLICY_FILE = Mode.MONITOR;

    /** {@code output.sanitize} when not set. */
    public static final Set<Sanitizer> SANITIZERS = Set.copyOf(EnumSet.allOf(Sanitizer.class));

    /** {@code output.maxChars} when not set. */
    public static final int MAX_CHARS = 1_000_000;

    /** {@code audit.redactKeys} when not set. */
    public static final List<String> REDACT_KEYS = List.of("password", "token", "secret", "key", "authorization");

    /**
     * Credential stores denied for every access kind whatever the {@code files} section says
     * (unless an allow rule names them explicitly). {@code ~/} is the home directory.
     */
    public static final List<String> CREDENTIAL_STORES = List.of(
            "~/.ssh",
            "~/.aws",
            "~/.azure",
            "~/.config/gcloud",
            "~/.kube",
            "~/.docker/config.json",
            "~/.netrc",
            "~/.git-credentials",
            "~/.config/git/credentials",
            "~/.config/gh/hosts.yml",
            "~/.gnupg",
            "~/.password-store",
            "~/.npmrc",
            "~/.pypirc",
            "~/.m2/settings-security.xml",
            "~/.gradle/gradle.properties",
            "~/.cargo/credentials",
            "~/.cargo/credentials.toml",
            "~/.vault-token",
            "~/.terraform.d/credentials.tfrc.json",
            "/etc/shadow",
            "/etc/shadow-",
            "/etc/gshadow",
            "/etc/gshadow-",
            "/etc/sudoers",
            "/etc/ssh/ssh_host_*_key",
            "/proc/*/environ",
            "/proc/*/mem",
            "/run/secrets",
            "/var/run/secrets");

    /**
     * One built-in denied address range.
     *
     * @param cidr   the block
     * @param reason what it is, for decisions: {@code "loopback"}, {@code "cloud metadata"}, ...
     */
    public record DeniedNetwork(String cidr, String reason) {
        public DeniedNetwork {
            Objects.requireNonNull(cidr, "cidr");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static final List<DeniedNetwork> IPV4 = List.of(
            new DeniedNetwork("0.0.0.0/8", "this network"),
            new DeniedNetwork("10.0.0.0/8", "private"),
            new DeniedNetwork("100.64.0.0/10", "carrier-grade NAT"),
            new DeniedNetwork("127.0.0.0/8", "loopback"),
            new DeniedNetwork("169.254.169.254/32", "cloud metadata"),
            new DeniedNetwork("169.254.0.0/16", "link-local"),
            new DeniedNetwork("172.16.0.0/12", "private"),
            new DeniedNetwork("192.0.0.0/24", "IETF protocol assignments"),
            new DeniedNetwork("192.168.0.0/16", "private"),
            new DeniedNetwork("198.18.0.0/15", "benchmarking"),
            new DeniedNetwork("224.0.0.0/4", "multicast"),
            new DeniedNetwork("240.0.0.0/4", "reserved and broadcast"));

    /**
     * The built-in deny set: the IPv4 ranges above; the IPv6 loopback, unspecified, unique-local
     * (which holds {@code fd00:ec2::254} metadata), link-local, site-local and multicast ranges; and
     * every IPv4 range again in its IPv4-mapped ({@code ::ffff:0:0/96}), NAT64 ({@code 64:ff9b::/96})
     * and 6to4 ({@code 2002::/16}) IPv6 forms.
     */
    public static final List<DeniedNetwork> DENIED_NETWORKS;

    static {
        List<DeniedNetwork> all = new ArrayList<>(IPV4);
        all.add(new DeniedNetwork("::/128", "unspecified"));
        all.add(new DeniedNetwork("::1/128", "loopback"));
        all.add(new DeniedNetwork("fc00::/7", "unique-local"));
        all.add(new DeniedNetwork("fe80::/10", "link-local"));
        all.add(new DeniedNetwork("fec0::/10", "site-local"));
        all.add(new DeniedNetwork("ff00::/8", "multicast"));
        for (DeniedNetwork v4 : IPV4) {
            String[] parts = v4.cidr().split("/");
            int prefix = Integer.parseInt(parts[1]);
            String[] octets = parts[0].split("\\.");
            int[] o = new int[4];
            for (int i = 0; i < 4; i++) {
                o[i] = Integer.parseInt(octets[i]);
            }
            all.add(new DeniedNetwork("::ffff:" + parts[0] + "/" + (96 + prefix), v4.reason() + " (IPv4-mapped)"));
            all.add(new DeniedNetwork("64:ff9b::" + parts[0] + "/" + (96 + prefix), v4.reason() + " (NAT64)"));
            String sixToFour = String.format("2002:%x:%x::/%d", (o[0] << 8) | o[1], (o[2] << 8) | o[3], 16 + prefix);
            all.add(new DeniedNetwork(CidrBlock.compile(sixToFour).text(), v4.reason() + " (6to4)"));
        }
        DENIED_NETWORKS = List.copyOf(all);
    }

    private static final List<NetworkRule> DENIED_NETWORK_RULES = DENIED_NETWORKS.stream()
            .map(d -> new NetworkRule("builtin:network.deny[" + d.cidr() + "]", CidrBlock.compile(d.cidr()), Set.of()))
            .toList();

    private BuiltInDefaults() {
    }

    /** {@link #CREDENTIAL_STORES} compiled against {@code env}'s home directory, denying every access kind. */
    public static List<FileRule> credentialStoreRules(PolicyEnvironment env) {
        Set<Access> all = EnumSet.allOf(Access.class);
        return CREDENTIAL_STORES.stream()
                .map(p -> new FileRule("builtin:files.deny[" + p + "]", PathPattern.compile(p, env), all))
                .toList();
    }

    /** {@link #DENIED_NETWORKS} compiled, covering every port. */
    public static List<NetworkRule> deniedNetworkRules() {
        return DENIED_NETWORK_RULES;
    }

    /** The reason recorded for the built-in rule {@code rule}, or "built-in deny set" when not one. */
    public static String reasonOf(NetworkRule rule) {
        for (DeniedNetwork d : DENIED_NETWORKS) {
            if (rule.id().equals("builtin:network.deny[" + d.cidr() + "]")) {
                return d.reason();
            }
        }
        return "built-in deny set";
    }
}

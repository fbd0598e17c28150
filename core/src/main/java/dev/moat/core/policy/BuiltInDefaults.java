package dev.moat.core.policy;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
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
     * and 6to4 ({@code 2002::/16}) IPv6 forms. Plain text in canonical form ({@link CidrBlock#text()}),
     * made without IPAddress: nothing here is parsed until {@link #compileDeniedNetworks()}.
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
            int[] groups = {0x2002, (o[0] << 8) | o[1], (o[2] << 8) | o[3], 0, 0, 0, 0, 0};
            all.add(new DeniedNetwork(canonicalIpv6(groups) + "/" + (16 + prefix), v4.reason() + " (6to4)"));
        }
        DENIED_NETWORKS = List.copyOf(all);
    }

    /**
     * RFC 5952 text of an IPv6 address (what IPAddress's canonical string is): lower-case hex without
     * leading zeros, the longest run of two or more zero groups (the first of equal runs) as {@code ::}.
     */
    static String canonicalIpv6(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups.length && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /**
     * {@link #DENIED_NETWORKS} as rules, covering every port, compiled with IPAddress only when first
     * needed: {@link #compileDeniedNetworks()} (or the first element read from
     * {@link #deniedNetworkRules()}) loads the holder class.
     */
    private static final class CompiledDeniedNetworks {
        static final List<NetworkRule> RULES = DENIED_NETWORKS.stream()
                .map(d -> new NetworkRule("builtin:network.deny[" + d.cidr() + "]", CidrBlock.compile(d.cidr()),
                        Set.of()))
                .toList();

        private CompiledDeniedNetworks() {
        }
    }

    /**
     * The built-in deny set as rules, compiled on first use. Its size is known without compiling; the
     * first element read compiles all of them (IPAddress, some tens of milliseconds and a few hundred
     * classes), which is why a policy's {@link NetworkPolicy#builtInDeny()} costs nothing at start while
     * no control enforces network egress. Immutable.
     */
    private static final class DeniedNetworkRules extends AbstractList<NetworkRule> implements RandomAccess {
        static final DeniedNetworkRules INSTANCE = new DeniedNetworkRules();

        @Override
        public NetworkRule get(int index) {
            return CompiledDeniedNetworks.RULES.get(index);
        }

        @Override
        public int size() {
            return DENIED_NETWORKS.size();
        }
    }

    private BuiltInDefaults() {
    }

    /** {@link #CREDENTIAL_STORES} compiled against {@code env}'s home directory, denying every access kind. */
    public static List<FileRule> credentialStoreRules(PolicyEnvironment env) {
        Set<Access> all = EnumSet.allOf(Access.class);
        return CREDENTIAL_STORES.stream()
                .map(p -> new FileRule("builtin:files.deny[" + p + "]", PathPattern.compile(p, env), all))
                .toList();
    }

    /**
     * {@link #DENIED_NETWORKS} as rules covering every port, <strong>compiled lazily</strong>: the list
     * knows its size at once, and the first element read from it compiles the whole set (once per JVM).
     * Code that reads it on a hook path (a network egress guard) must call
     * {@link #compileDeniedNetworks()} at its own start, so that no hook ever pays for, or takes the
     * class-initialisation lock of, the compilation.
     */
    public static List<NetworkRule> deniedNetworkRules() {
        return DeniedNetworkRules.INSTANCE;
    }

    /**
     * Compiles the built-in deny set now, if not done already, and returns it: the same rules, in the
     * same order, as {@link #deniedNetworkRules()}. For guards to call when they start.
     */
    public static List<NetworkRule> compileDeniedNetworks() {
        return CompiledDeniedNetworks.RULES;
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

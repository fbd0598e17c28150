package dev.moat.core.policy;

import java.util.List;

/**
 * The {@code network} section (or a tool's, see {@link Policy#networkFor(String)}). Decisions are
 * made on the address really connected to, with the host name it was resolved from where known.
 *
 * <p>Declared: an allow-list; a connection is allowed when an {@link #allow()} rule matches the
 * host name or the address and port, and no {@link #deny()} rule matches ({@code deny} wins). Not
 * declared: public addresses are allowed. In both cases the {@link #builtInDeny()} ranges (loopback,
 * private, link-local and metadata, CGNAT, unique-local, IPv4-mapped forms...) are denied, unless
 * an allow rule lifts them: a {@code cidr} allow entry lifts them only for addresses inside it and
 * only where it lies entirely inside the built-in range ({@code 127.0.0.1/32} lifts one loopback
 * address, {@code 0.0.0.0/0} lifts nothing); a {@code host} allow entry lifts them for the
 * addresses that host name resolved to.
 *
 * <p>{@link #builtInDeny()} is normally {@link BuiltInDefaults#deniedNetworkRules()}, which is
 * compiled on first use (see there): a guard that reads it on a hook path calls {@link #prepare()} at
 * its own start.
 *
 * @param declared    whether the policy has this section
 * @param allow       allow rules, in file order
 * @param deny        deny rules, in file order
 * @param builtInDeny the built-in deny set ({@link BuiltInDefaults#DENIED_NETWORKS})
 */
public record NetworkPolicy(boolean declared, List<NetworkRule> allow, List<NetworkRule> deny,
                            List<NetworkRule> builtInDeny) {

    public NetworkPolicy {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        // The built-in set is immutable already; copying it would compile it.
        builtInDeny = builtInDeny == BuiltInDefaults.deniedNetworkRules() ? builtInDeny : List.copyOf(builtInDeny);
    }

    /**
     * Compiles what this section compiles lazily (the built-in deny set, {@link
     * BuiltInDefaults#compileDeniedNetworks()}), so that deciding on a connection later compiles nothing.
     * Returns this section.
     */
    public NetworkPolicy prepare() {
        if (builtInDeny == BuiltInDefaults.deniedNetworkRules()) {
            BuiltInDefaults.compileDeniedNetworks();
        }
        return this;
    }
}

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
        builtInDeny = List.copyOf(builtInDeny);
    }
}

package dev.moat.core.policy;

/** What a network rule names: a host name pattern or an address block. */
public sealed interface NetworkTarget permits HostPattern, CidrBlock {

    /** The target as written in the policy (normalised). */
    String text();
}

package dev.moat.core.policy;

import java.net.InetAddress;
import java.util.Objects;
import java.util.regex.Pattern;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressNetwork.IPAddressGenerator;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv6.IPv6Address;

/**
 * An IPv4 or IPv6 address block ({@code 10.0.0.0/8}, {@code fc00::/7}) or single address
 * ({@code 127.0.0.1}, same as {@code /32}), validated and compiled with IPAddress at load.
 *
 * <p>Only unambiguous forms are accepted: no {@code inet_aton} shorthands ({@code 127.1},
 * {@code 0x7f.1}), no leading zeros ({@code 010.0.0.1}, octal to some parsers), no ranges or
 * wildcards, no zones, and no host bits beyond the prefix ({@code 10.0.0.1/8} is refused, write
 * {@code 10.0.0.0/8}). {@link #contains(InetAddress)} also matches the IPv4-mapped IPv6 form
 * ({@code ::ffff:a.b.c.d}) of an IPv4 address against IPv4 blocks.
 */
public final class CidrBlock implements NetworkTarget {

    private static final IPAddressStringParameters STRICT;

    static {
        IPAddressStringParameters.Builder b = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .allowAll(false)
                .allowSingleSegment(false)
                .allowMask(false)
                .allowPrefixOnly(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        b.getIPv4AddressParametersBuilder()
                .allowLeadingZeros(false)
                .allowPrefixesBeyondAddressSize(false)
                .allowBinary(false);
        b.getIPv6AddressParametersBuilder()
                .allowZone(false)
                .allowPrefixesBeyondAddressSize(false)
                .allowBinary(false);
        STRICT = b.toParams();
    }

    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

    private final String text;
    private final IPAddress block;

    private CidrBlock(String text, IPAddress block) {
        this.text = text;
        this.block = block;
    }

    /**
     * Validates and compiles an address or CIDR block.
     *
     * @throws IllegalArgumentException with a one-line description of what is wrong
     */
    public static CidrBlock compile(String raw) {
        Objects.requireNonNull(raw, "raw");
        String s = raw.trim();
        int slash = s.indexOf('/');
        if (slash >= 0 && !PREFIX.matcher(s.substring(slash + 1)).matches()) {
            throw new IllegalArgumentException("invalid CIDR '" + raw + "': the prefix length after '/' must be a"
                    + " number without leading zeros");
        }
        IPAddress address;
        try {
            address = new IPAddressString(s, STRICT).toAddress();
        } catch (AddressStringException e) {
            throw new IllegalArgumentException("invalid CIDR '" + raw + "': " + e.getMessage(), e);
        }
        if (address == null) {
            throw new IllegalArgumentException("invalid CIDR '" + raw + "'");
        }
        Integer prefix = address.getNetworkPrefixLength();
        if (prefix == null) {
            return new CidrBlock(address.toCanonicalString(), address.withoutPrefixLength());
        }
        IPAddress blockAddress = address.toPrefixBlock();
        if (!address.getLower().withoutPrefixLength().equals(blockAddress.getLower().withoutPrefixLength())) {
            throw new IllegalArgumentException("invalid CIDR '" + raw + "': host bits are set beyond /" + prefix
                    + " (did you mean " + blockAddress.toCanonicalString() + "?)");
        }
        return new CidrBlock(blockAddress.toCanonicalString(), blockAddress);
    }

    /** Whether {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        IPAddress a = new IPAddressGenerator().from(address);
        return contains(a);
    }

    /** Whether {@code other} lies entirely inside this block (same IP version). */
    public boolean contains(CidrBlock other) {
        return block.getIPVersion() == other.block.getIPVersion() && block.contains(other.block);
    }

    private boolean contains(IPAddress a) {
        if (block.isIPv4() && a.isIPv6()) {
            IPv6Address v6 = a.toIPv6();
            if (!v6.isIPv4Mapped()) {
                return false;
            }
            a = v6.getEmbeddedIPv4Address();
        }
        return block.getIPVersion() == a.getIPVersion() && block.contains(a);
    }

    /** Whether the block is IPv4. */
    public boolean isIPv4() {
        return block.isIPv4();
    }

    /** Prefix length: 32 or 128 for a single address. */
    public int prefixLength() {
        Integer p = block.getNetworkPrefixLength();
        return p == null ? block.getBitCount() : p;
    }

    /** Canonical text, such as {@code 10.0.0.0/8} or {@code fc00::/7}. */
    @Override
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.moat.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class NetworkTargetTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void exactHost() {
        HostPattern h = HostPattern.compile("API.GitHub.com.");
        assertThat(h.text()).isEqualTo("api.github.com");
        assertThat(h.isWildcard()).isFalse();
        assertThat(h.matches("api.github.com")).isTrue();
        assertThat(h.matches("API.GITHUB.COM.")).isTrue();
        assertThat(h.matches("evil-api.github.com")).isFalse();
        assertThat(h.matches("x.api.github.com")).isFalse();
        assertThat(h.matches(null)).isFalse();
    }

    @Test
    void wildcardHostMatchesSubdomainsOnly() {
        HostPattern h = HostPattern.compile("*.internal.example.com");
        assertThat(h.isWildcard()).isTrue();
        assertThat(h.matches("a.internal.example.com")).isTrue();
        assertThat(h.matches("a.b.internal.example.com")).isTrue();
        assertThat(h.matches("internal.example.com")).isFalse();
        assertThat(h.matches("xinternal.example.com")).isFalse();
    }

    @Test
    void hostErrors() {
        assertThatThrownBy(() -> HostPattern.compile("")).hasMessage("empty host name");
        assertThatThrownBy(() -> HostPattern.compile("*")).hasMessageContaining("would match every host");
        assertThatThrownBy(() -> HostPattern.compile("10.0.0.1")).hasMessageContaining("is an IP address");
        assertThatThrownBy(() -> HostPattern.compile("::1")).hasMessageContaining("is an IP address");
        assertThatThrownBy(() -> HostPattern.compile("[::1]")).hasMessageContaining("is an IP address");
        assertThatThrownBy(() -> HostPattern.compile("a..b")).hasMessageContaining("empty label");
        assertThatThrownBy(() -> HostPattern.compile("-a.com")).hasMessageContaining("starts or ends with '-'");
        assertThatThrownBy(() -> HostPattern.compile("bücher.de")).hasMessageContaining("xn--");
        assertThatThrownBy(() -> HostPattern.compile("a/b")).hasMessageContaining("character '/'");
        assertThatThrownBy(() -> HostPattern.compile("x".repeat(64) + ".com")).hasMessageContaining("longer than 63");
    }

    @Test
    void cidrBlocks() throws Exception {
        CidrBlock ten = CidrBlock.compile("10.0.0.0/8");
        assertThat(ten.text()).isEqualTo("10.0.0.0/8");
        assertThat(ten.isIPv4()).isTrue();
        assertThat(ten.prefixLength()).isEqualTo(8);
        assertThat(ten.contains(ip("10.1.2.3"))).isTrue();
        assertThat(ten.contains(ip("11.0.0.0"))).isFalse();
        assertThat(ten.contains(ip("::1"))).isFalse();
        assertThat(ten.contains((InetAddress) null)).isFalse();

        CidrBlock single = CidrBlock.compile("127.0.0.1");
        assertThat(single.prefixLength()).isEqualTo(32);
        assertThat(single.contains(ip("127.0.0.1"))).isTrue();
        assertThat(single.contains(ip("127.0.0.2"))).isFalse();
        assertThat(CidrBlock.compile("127.0.0.1/32")).isEqualTo(CidrBlock.compile("127.0.0.1/32"));

        CidrBlock ula = CidrBlock.compile("fc00::/7");
        assertThat(ula.isIPv4()).isFalse();
        assertThat(ula.contains(ip("fd00:ec2::254"))).isTrue();
        assertThat(ula.contains(ip("fe80::1"))).isFalse();

        CidrBlock all = CidrBlock.compile("0.0.0.0/0");
        assertThat(all.contains(ip("8.8.8.8"))).isTrue();
        assertThat(CidrBlock.compile("::/0").contains(ip("2001:db8::1"))).isTrue();

        assertThat(ten.contains(CidrBlock.compile("10.1.0.0/16"))).isTrue();
        assertThat(CidrBlock.compile("10.1.0.0/16").contains(ten)).isFalse();
        assertThat(CidrBlock.compile("127.0.0.0/8").contains(CidrBlock.compile("127.0.0.1/32"))).isTrue();
        assertThat(all.contains(CidrBlock.compile("::/0"))).isFalse();
    }

    @Test
    void ipv4BlocksMatchIpv4MappedIpv6() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 5;
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(CidrBlock.compile("10.0.0.0/8").contains(v6)).isTrue();
    }

    @Test
    void cidrErrors() {
        assertThatThrownBy(() -> CidrBlock.compile("10.0.0.1/8")).hasMessageContaining("did you mean 10.0.0.0/8?");
        assertThatThrownBy(() -> CidrBlock.compile("10.0.0.0/33")).hasMessageStartingWith("invalid CIDR '10.0.0.0/33'");
        assertThatThrownBy(() -> CidrBlock.compile("127.1")).hasMessageStartingWith("invalid CIDR '127.1'");
        assertThatThrownBy(() -> CidrBlock.compile("0x7f.0.0.1")).hasMessageStartingWith("invalid CIDR");
        assertThatThrownBy(() -> CidrBlock.compile("010.0.0.1")).hasMessageStartingWith("invalid CIDR");
        assertThatThrownBy(() -> CidrBlock.compile("10.0.0.*")).hasMessageStartingWith("invalid CIDR");
        assertThatThrownBy(() -> CidrBlock.compile("10.0.0.1-5")).hasMessageStartingWith("invalid CIDR");
        assertThatThrownBy(() -> CidrBlock.compile("")).hasMessageStartingWith("invalid CIDR");
        assertThatThrownBy(() -> CidrBlock.compile("example.com")).hasMessageStartingWith("invalid CIDR");
        assertThatThrownBy(() -> CidrBlock.compile("10.0.0.0/255.0.0.0")).hasMessageStartingWith("invalid CIDR");
        assertThatThrownBy(() -> CidrBlock.compile("fe80::1%eth0")).hasMessageStartingWith("invalid CIDR");
    }

    @Test
    void builtInDenySetCoversWhatPolicyMdPromises() throws Exception {
        String[] denied = {"127.0.0.1", "127.255.0.1", "10.1.1.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "169.254.1.1", "100.64.0.1", "100.100.100.200", "0.0.0.0", "::1", "::",
                "fc00::1", "fd00:ec2::254", "fe80::1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "255.255.255.255"};
        for (String a : denied) {
            InetAddress addr = ip(a);
            assertThat(BuiltInDefaults.deniedNetworkRules())
                    .as(a).anyMatch(r -> ((CidrBlock) r.target()).contains(addr));
        }
        String[] allowed = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "93.184.216.34"};
        for (String a : allowed) {
            InetAddress addr = ip(a);
            assertThat(BuiltInDefaults.deniedNetworkRules())
                    .as(a).noneMatch(r -> ((CidrBlock) r.target()).contains(addr));
        }
        InetAddress metadataAddress = ip("169.254.169.254");
        NetworkRule metadata = BuiltInDefaults.deniedNetworkRules().stream()
                .filter(r -> ((CidrBlock) r.target()).contains(metadataAddress))
                .findFirst().orElseThrow();
        assertThat(BuiltInDefaults.reasonOf(metadata)).isEqualTo("cloud metadata");
        assertThat(metadata.id()).isEqualTo("builtin:network.deny[169.254.169.254/32]");
        assertThat(BuiltInDefaults.DENIED_NETWORKS).extracting(BuiltInDefaults.DeniedNetwork::cidr)
                .contains("::ffff:127.0.0.0/104", "100.64.0.0/10", "0.0.0.0/8", "fe80::/10", "fc00::/7", "::1/128");
    }

    @Test
    void builtInDenySetIsValidAndItsSixToFourFormsCanonicalWithoutIpAddress() {
        for (BuiltInDefaults.DeniedNetwork d : BuiltInDefaults.DENIED_NETWORKS) {
            CidrBlock compiled = CidrBlock.compile(d.cidr());
            if (d.reason().endsWith("(6to4)")) {
                // made by hand, as IPAddress would write it
                assertThat(compiled.text()).as(d.cidr()).isEqualTo(d.cidr());
            }
        }
        assertThat(BuiltInDefaults.DENIED_NETWORKS).extracting(BuiltInDefaults.DeniedNetwork::cidr)
                .contains("2002::/24", "2002:a00::/24", "2002:a9fe:a9fe::/48", "2002:e000::/20");
        assertThat(BuiltInDefaults.canonicalIpv6(new int[] {0x2001, 0xdb8, 0, 0, 1, 0, 0, 1})).isEqualTo("2001:db8::1:0:0:1");
        assertThat(BuiltInDefaults.canonicalIpv6(new int[] {0x2001, 0xdb8, 0, 1, 1, 1, 1, 1})).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(BuiltInDefaults.canonicalIpv6(new int[] {0, 0, 0, 0, 0, 0, 0, 0})).isEqualTo("::");
        assertThat(BuiltInDefaults.canonicalIpv6(new int[] {1, 0, 0, 2, 0, 0, 0, 3})).isEqualTo("1:0:0:2::3");
    }

    @Test
    void builtInDenyRulesAreCompiledOnDemandAndKeptByNetworkPolicy() {
        List<NetworkRule> lazy = BuiltInDefaults.deniedNetworkRules();
        assertThat(lazy).hasSize(BuiltInDefaults.DENIED_NETWORKS.size());
        NetworkPolicy n = new NetworkPolicy(false, List.of(), List.of(), lazy);
        assertThat(n.builtInDeny()).isSameAs(lazy);
        assertThat(n.prepare()).isSameAs(n);
        assertThat(lazy).isEqualTo(BuiltInDefaults.compileDeniedNetworks());
        assertThat(lazy.get(0).id()).isEqualTo("builtin:network.deny[0.0.0.0/8]");
        assertThatThrownBy(() -> lazy.add(lazy.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> lazy.set(0, lazy.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> lazy.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }
}

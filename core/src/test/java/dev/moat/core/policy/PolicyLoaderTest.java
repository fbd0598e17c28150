package dev.moat.core.policy;

import static dev.moat.core.policy.TestPolicies.ENV;
import static dev.moat.core.policy.TestPolicies.FULL_YAML;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PolicyLoaderTest {

    private static Policy full() throws PolicyException {
        return PolicyLoader.parse(FULL_YAML, "full.yaml", ENV);
    }

    @Test
    void topLevelKeys() throws Exception {
        Policy p = full();
        assertThat(p.source()).isEqualTo("full.yaml");
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.mode()).isEqualTo(Mode.MONITOR);
        assertThat(p.failOpen()).isTrue();
        assertThat(p.isBuiltInDefault()).isFalse();
    }

    @Test
    void audit() throws Exception {
        AuditConfig a = full().audit();
        assertThat(a.declared()).isTrue();
        assertThat(a.files()).containsExactly(Path.of("/home/ann/moat/audit.jsonl"));
        assertThat(a.rotation()).isEqualTo(new AuditConfig.Rotation(50L * 1024 * 1024, 5));
        assertThat(a.stderr()).isFalse();
        assertThat(a.syslog()).contains(new Endpoint("127.0.0.1", 6514));
        assertThat(a.tcp()).contains(new Endpoint("logs.example.com", 5044));
        assertThat(a.appLogger()).isTrue();
        assertThat(a.redactKeys()).containsExactly("password", "apiKey");
    }

    @Test
    void files() throws Exception {
        FilesPolicy f = full().files();
        assertThat(f.declared()).isTrue();
        assertThat(f.scope()).isEqualTo(FileScope.TOOL_CALLS);
        assertThat(f.allow()).hasSize(3);
        assertThat(f.allow().get(0).id()).isEqualTo("files.allow[0]");
        assertThat(f.allow().get(0).path().pattern()).isEqualTo("/srv/workspace");
        assertThat(f.allow().get(0).access()).isEqualTo(EnumSet.allOf(Access.class));
        assertThat(f.allow().get(1).access()).containsExactly(Access.READ);
        assertThat(f.allow().get(2).path().pattern()).isEqualTo("/work/ws/data");
        assertThat(f.allow().get(2).path().source()).isEqualTo("${user.dir}/data");
        assertThat(f.allow().get(2).access()).containsExactlyInAnyOrder(Access.READ, Access.LIST);
        assertThat(f.deny()).hasSize(2);
        assertThat(f.deny().get(0).access()).isEqualTo(EnumSet.allOf(Access.class));
        assertThat(f.deny().get(1).id()).isEqualTo("files.deny[1]");
        assertThat(f.deny().get(1).access()).containsExactly(Access.READ);
        assertThat(f.builtInDeny()).hasSize(BuiltInDefaults.CREDENTIAL_STORES.size());

        assertThat(f.allowing(Path.of("/srv/workspace/a/b.txt"), Access.WRITE)).map(FileRule::id).contains("files.allow[0]");
        assertThat(f.allowing(Path.of("/srv/workspace-secret"), Access.READ)).isEmpty();
        assertThat(f.allowing(Path.of("/etc/myapp/conf"), Access.WRITE)).isEmpty();
        assertThat(f.denying(Path.of("/srv/workspace/.git/config"), Access.READ)).map(FileRule::id).contains("files.deny[0]");
        assertThat(f.denying(Path.of("/srv/x/secrets/k"), Access.READ)).map(FileRule::id).contains("files.deny[1]");
        assertThat(f.denying(Path.of("/srv/x/secrets/k"), Access.WRITE)).isEmpty();
        assertThat(f.denying(Path.of("/home/ann/.ssh/id_rsa"), Access.READ)).map(FileRule::id)
                .contains("builtin:files.deny[~/.ssh]");
        assertThat(f.denying(Path.of("/proc/123/environ"), Access.READ)).isPresent();
    }

    @Test
    void network() throws Exception {
        NetworkPolicy n = full().network();
        assertThat(n.declared()).isTrue();
        assertThat(n.allow()).hasSize(4);
        NetworkRule github = n.allow().get(0);
        assertThat(github.target()).isEqualTo(HostPattern.compile("api.github.com"));
        assertThat(github.ports()).containsExactly(443);
        assertThat(github.coversPort(443)).isTrue();
        assertThat(github.coversPort(80)).isFalse();
        NetworkRule internal = n.allow().get(1);
        assertThat(((HostPattern) internal.target()).matches("a.b.internal.example.com")).isTrue();
        assertThat(internal.ports()).isEmpty();
        assertThat(internal.coversPort(1)).isTrue();
        assertThat(n.allow().get(2).target()).isEqualTo(CidrBlock.compile("127.0.0.1/32"));
        assertThat(n.allow().get(2).ports()).containsExactlyInAnyOrder(8081, 8082);
        assertThat(n.allow().get(3).target()).isInstanceOf(CidrBlock.class);
        assertThat(n.allow().get(3).target().text()).isEqualTo("2001:db8::/32");
        assertThat(n.deny().get(0).target()).isInstanceOf(CidrBlock.class);
        assertThat(n.deny().get(1).target()).isInstanceOf(HostPattern.class);
        assertThat(n.deny().get(1).id()).isEqualTo("network.deny[1]");
        assertThat(n.builtInDeny()).isEqualTo(BuiltInDefaults.deniedNetworkRules());
    }

    @Test
    void processNativeSecretsOutput() throws Exception {
        Policy p = full();
        assertThat(p.process().declared()).isTrue();
        ProcessRule git = p.process().allow().get(0);
        assertThat(git.executable().pattern()).isEqualTo("/usr/bin/git");
        assertThat(git.args()).map(CompiledRegex::source).contains("^(status|log)( .*)?$");
        assertThat(git.allows(Path.of("/usr/bin/git"), List.of("status", "-s"))).isTrue();
        assertThat(git.allows(Path.of("/usr/bin/git"), List.of("push"))).isFalse();
        assertThat(git.allows(Path.of("/usr/bin/git/x"), List.of("status"))).isFalse();
        assertThat(p.process().allow().get(1).args()).isEmpty();
        assertThat(p.process().allow().get(1).allows(Path.of("/usr/bin/true"), List.of("anything"))).isTrue();

        assertThat(p.nativeLibraries().declared()).isTrue();
        assertThat(p.nativeLibraries().allow()).extracting(PathPattern::pattern)
                .containsExactly("/opt/app/lib", "/usr/lib/**/libfoo.so");

        assertThat(p.secrets().declared()).isTrue();
        assertThat(p.secrets().hardcoded()).isEqualTo(HardcodedSecretAction.BLOCK);
        assertThat(p.secrets().fromEnv()).containsExactly(Map.entry("sha256:ab12", "DB_PASSWORD"));

        assertThat(p.output().declared()).isTrue();
        assertThat(p.output().sanitize()).isEqualTo(EnumSet.allOf(Sanitizer.class));
        assertThat(p.output().maxChars()).isEqualTo(5000);
    }

    @Test
    void tools() throws Exception {
        Policy p = full();
        assertThat(p.tools()).containsOnlyKeys("delete_file", "read_file", "search", "get_env");
        assertThat(p.isDenied("delete_file")).isTrue();
        assertThat(p.isDenied("read_file")).isFalse();
        assertThat(p.isDenied("not_listed")).isFalse();

        ToolPolicy read = p.tool("read_file").orElseThrow();
        assertThat(read.args()).containsOnlyKeys("path", "count", "ratio", "verbose", "label");
        ArgRule path = read.args().get("path");
        assertThat(path.type()).isEqualTo(ArgType.PATH);
        assertThat(path.maxLength()).isEqualTo(OptionalInt.of(255));
        assertThat(path.pattern()).map(CompiledRegex::source).contains("/srv/.*");
        ArgRule count = read.args().get("count");
        assertThat(count.type()).isEqualTo(ArgType.INTEGER);
        assertThat(count.minimum()).contains(BigDecimal.ONE);
        assertThat(count.maximum()).contains(BigDecimal.TEN);
        assertThat(read.args().get("ratio").minimum()).contains(new BigDecimal("0.5"));
        assertThat(read.args().get("verbose").type()).isEqualTo(ArgType.BOOLEAN);
        assertThat(read.args().get("label").type()).isEqualTo(ArgType.STRING);
        assertThat(read.args().get("label").maxLength()).isEmpty();
        assertThat(read.recordArguments()).isTrue();

        assertThat(read.files()).isPresent();
        assertThat(read.files().get().allow().get(0).id()).isEqualTo("tools.read_file.files.allow[0]");
        NetworkPolicy net = p.networkFor("read_file");
        assertThat(net.allow()).extracting(NetworkRule::id).containsExactly("tools.read_file.network.allow[0]");
        assertThat(net.deny()).extracting(NetworkRule::id)
                .containsExactly("network.deny[0]", "network.deny[1]", "tools.read_file.network.deny[0]");
        assertThat(p.networkFor("search")).isSameAs(p.network());

        OutputPolicy searchOut = p.outputFor("search");
        assertThat(searchOut.declared()).isTrue();
        assertThat(searchOut.sanitizersInOrder()).containsExactly(Sanitizer.HTML, Sanitizer.UNICODE);
        assertThat(searchOut.maxChars()).as("inherited from the global output").isEqualTo(5000);
        assertThat(p.outputFor("get_env")).isSameAs(p.output());
        assertThat(p.recordsArguments("get_env")).isFalse();
        assertThat(p.recordsArguments("not_listed")).isTrue();
    }

    @Test
    void minimalPolicyHasEveryDefault() throws Exception {
        Policy p = PolicyLoader.parse("version: 1\n", "min.yaml", ENV);
        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.failOpen()).isFalse();
        assertThat(p.audit()).isEqualTo(AuditConfig.absent());
        assertThat(p.audit().stderr()).isTrue();
        assertThat(p.audit().redactKeys()).containsExactly("password", "token", "secret", "key", "authorization");
        assertThat(p.files().declared()).isFalse();
        assertThat(p.files().scope()).isEqualTo(FileScope.PROCESS);
        assertThat(p.files().allow()).isEmpty();
        assertThat(p.files().builtInDeny()).extracting(r -> r.path().pattern())
                .contains("/home/ann/.ssh", "/home/ann/.aws", "/home/ann/.config/gcloud", "/home/ann/.kube",
                        "/home/ann/.docker/config.json", "/etc/shadow", "/etc/gshadow", "/proc/*/environ",
                        "/home/ann/.netrc", "/home/ann/.git-credentials", "/home/ann/.gnupg");
        assertThat(p.network().declared()).isFalse();
        assertThat(p.network().builtInDeny()).isNotEmpty();
        assertThat(p.process().declared()).isFalse();
        assertThat(p.nativeLibraries().declared()).isFalse();
        assertThat(p.secrets().declared()).isFalse();
        assertThat(p.secrets().hardcoded()).isEqualTo(HardcodedSecretAction.REPORT);
        assertThat(p.output().declared()).isFalse();
        assertThat(p.output().sanitizersInOrder())
                .containsExactly(Sanitizer.HTML, Sanitizer.TERMINAL, Sanitizer.UNICODE, Sanitizer.SECRETS);
        assertThat(p.output().maxChars()).isEqualTo(1_000_000);
        assertThat(p.tools()).isEmpty();
    }

    @Test
    void auditOnlyPolicyIsAFewLines() throws Exception {
        Policy p = PolicyLoader.parse("version: 1\nmode: monitor\naudit:\n  file: /var/log/moat.jsonl\n", "a.yaml", ENV);
        assertThat(p.mode()).isEqualTo(Mode.MONITOR);
        assertThat(p.audit().files()).containsExactly(Path.of("/var/log/moat.jsonl"));
        assertThat(p.audit().stderr()).as("another sink is configured").isFalse();
        assertThat(p.audit().redactKeys()).isEqualTo(BuiltInDefaults.REDACT_KEYS);
        assertThat(p.audit().rotation()).isEqualTo(AuditConfig.Rotation.DEFAULT);
    }

    @Test
    void auditStderrDefaultsToTrueWhenNoOtherSink() throws Exception {
        Policy p = PolicyLoader.parse("version: 1\naudit:\n  redactKeys: []\n", "a.yaml", ENV);
        assertThat(p.audit().stderr()).isTrue();
        assertThat(p.audit().redactKeys()).isEmpty();
    }

    @Test
    void emptySectionsAreDeclared() throws Exception {
        Policy p = PolicyLoader.parse("""
                version: 1
                files: {}
                network: { allow: [] }
                process: { allow: [] }
                nativeLibraries: {}
                secrets: {}
                output: { sanitize: [] }
                tools: {}
                """, "e.yaml", ENV);
        assertThat(p.files().declared()).isTrue();
        assertThat(p.files().allow()).isEmpty();
        assertThat(p.network().declared()).isTrue();
        assertThat(p.process().declared()).isTrue();
        assertThat(p.process().allow()).isEmpty();
        assertThat(p.nativeLibraries().declared()).isTrue();
        assertThat(p.secrets().declared()).isTrue();
        assertThat(p.output().declared()).isTrue();
        assertThat(p.output().sanitize()).isEmpty();
        assertThat(p.output().maxChars()).isEqualTo(BuiltInDefaults.MAX_CHARS);
    }

    @Test
    void explicitAllowLiftsTheBuiltInCredentialStoreDenyOnlyWhereItNamesIt() throws Exception {
        FilesPolicy f = PolicyLoader.parse("""
                version: 1
                files:
                  allow:
                    - /
                    - ~/.aws/config
                    - { path: ~/.kube, access: [read] }
                """, "lift.yaml", ENV).files();
        assertThat(f.denying(Path.of("/home/ann/.aws/config"), Access.READ)).isEmpty();
        assertThat(f.denying(Path.of("/home/ann/.aws/credentials"), Access.READ)).map(FileRule::id)
                .contains("builtin:files.deny[~/.aws]");
        assertThat(f.denying(Path.of("/home/ann/.kube/config"), Access.READ)).isEmpty();
        assertThat(f.denying(Path.of("/home/ann/.kube/config"), Access.WRITE)).isPresent();
        assertThat(f.denying(Path.of("/home/ann/.ssh/id_rsa"), Access.READ)).as("'/' lifts nothing").isPresent();
        assertThat(f.denying(Path.of("/etc/shadow"), Access.READ)).isPresent();
    }

    @Test
    void builtInDefault() {
        Policy p = Policy.builtInDefault(Path.of("/tmp/audit.jsonl"), ENV);
        assertThat(p.isBuiltInDefault()).isTrue();
        assertThat(p.source()).isEqualTo(BuiltInDefaults.BUILT_IN_SOURCE);
        assertThat(p.mode()).isEqualTo(Mode.MONITOR);
        assertThat(p.failOpen()).isFalse();
        assertThat(p.audit().stderr()).isTrue();
        assertThat(p.audit().files()).containsExactly(Path.of("/tmp/audit.jsonl"));
        assertThat(p.files().declared()).isFalse();
        assertThat(p.network().declared()).isFalse();
        assertThat(p.output().sanitize()).isEqualTo(BuiltInDefaults.SANITIZERS);

        Policy noFile = Policy.builtInDefault(null, ENV);
        assertThat(noFile.audit().files()).isEmpty();
        assertThat(noFile.audit().stderr()).isTrue();
        assertThat(Policy.builtInDefault(null).mode()).isEqualTo(Mode.MONITOR);
    }

    @Test
    void overrides() throws Exception {
        Policy p = full();
        Policy q = p.withMode(Mode.ENFORCE).withFailOpen(false).withAdditionalAuditFile(Path.of("/tmp/extra.jsonl"));
        assertThat(q.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(q.failOpen()).isFalse();
        assertThat(q.audit().files()).containsExactly(Path.of("/home/ann/moat/audit.jsonl"), Path.of("/tmp/extra.jsonl"));
        assertThat(q.withAdditionalAuditFile(Path.of("/tmp/extra.jsonl")).audit().files()).hasSize(2);
        assertThat(p.mode()).as("original untouched").isEqualTo(Mode.MONITOR);
    }

    @Test
    void modelIsImmutable() throws Exception {
        Policy p = full();
        assertThatThrownBy(() -> p.tools().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.files().allow().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.files().allow().get(0).access().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.files().builtInDeny().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.network().allow().get(0).ports().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.audit().files().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.audit().redactKeys().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.output().sanitize().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.secrets().fromEnv().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.tool("read_file").orElseThrow().args().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.process().allow().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.nativeLibraries().allow().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> BuiltInDefaults.CREDENTIAL_STORES.clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> BuiltInDefaults.DENIED_NETWORKS.clear()).isInstanceOf(UnsupportedOperationException.class);

        // copies are taken on construction
        java.util.List<FileRule> list = new java.util.ArrayList<>(p.files().allow());
        FilesPolicy f = new FilesPolicy(true, FileScope.PROCESS, list, List.of(), List.of());
        list.clear();
        assertThat(f.allow()).hasSize(3);
        java.util.Set<Access> kinds = EnumSet.of(Access.READ);
        FileRule r = new FileRule("x", PathPattern.compile("/x", ENV), kinds);
        kinds.add(Access.WRITE);
        assertThat(r.access()).containsExactly(Access.READ);
    }

    @Test
    void parsingTwiceGivesEqualPolicies() throws Exception {
        assertThat(full()).isEqualTo(full());
        assertThat(full().hashCode()).isEqualTo(full().hashCode());
    }

    @Test
    void describeSummarisesOnOneScreen() throws Exception {
        String text = full().describe();
        assertThat(text.lines().count()).isLessThan(30);
        assertThat(text)
                .contains("policy full.yaml (version 1)")
                .contains("mode:            monitor")
                .contains("failOpen:        true")
                .contains("file /home/ann/moat/audit.jsonl (rotated at 50MB, 5 kept)")
                .contains("syslog 127.0.0.1:6514")
                .contains("tcp logs.example.com:5044")
                .contains("scope tool-calls, 3 allow rules, 2 deny rules")
                .contains("4 allow rules, 2 deny rules")
                .contains("2 allowed programs")
                .contains("hardcoded block, 1 fromEnv mapping")
                .contains("sanitize html, terminal, unicode, secrets, maxChars 5000")
                .contains("delete_file  DENIED")
                .contains("get_env      arguments not recorded")
                .contains("args count:integer, label:string, path:path, ratio:number, verbose:boolean");
        String min = Policy.builtInDefault(null, ENV).describe();
        assertThat(min).contains("policy <built-in default>")
                .contains("not set: no confinement")
                .contains("not set: public addresses allowed")
                .contains("none listed");
    }

    @Test
    void networkTargetsMatchAddresses() throws Exception {
        NetworkRule loopback = new NetworkRule("x", CidrBlock.compile("127.0.0.1/32"), Set.of());
        assertThat(((CidrBlock) loopback.target()).contains(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(Optional.of(loopback).map(NetworkRule::id)).contains("x");
    }
}

package dev.moat.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.core.policy.Mode;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.PolicyEnvironment;
import dev.moat.core.policy.PolicyException;

class AgentOptionsTest {

    private static final Map<String, String> NO_PROPS = Map.of("user.home", "/home/ann");
    private static final Map<String, String> NO_ENV = Map.of();

    private static AgentOptions resolve(String args, Map<String, String> props, Map<String, String> env)
            throws OptionException {
        return AgentOptions.resolve(args, props, env);
    }

    @Test
    void declarationsAreTheSingleSourceOfNames() {
        assertThat(AgentOption.keys()).containsExactly("policy", "mode", "failOpen", "audit.file");
        assertThat(AgentOption.POLICY.systemProperty()).isEqualTo("moat.policy");
        assertThat(AgentOption.AUDIT_FILE.systemProperty()).isEqualTo("moat.audit.file");
        assertThat(AgentOption.POLICY.environmentVariables()).containsExactly("MOAT_POLICY");
        assertThat(AgentOption.MODE.environmentVariables()).containsExactly("MOAT_MODE");
        assertThat(AgentOption.FAIL_OPEN.environmentVariables()).containsExactly("MOAT_FAILOPEN", "MOAT_FAIL_OPEN");
        assertThat(AgentOption.AUDIT_FILE.environmentVariables()).containsExactly("MOAT_AUDIT_FILE");
        assertThat(AgentOption.byKey("failOpen")).contains(AgentOption.FAIL_OPEN);
        assertThat(AgentOption.byKey("failopen")).isEmpty();
        for (AgentOption o : AgentOption.values()) {
            assertThat(o.description()).isNotBlank();
            assertThat(o.defaultDescription()).isNotBlank();
        }
    }

    @Test
    void nothingSet() throws Exception {
        AgentOptions o = resolve(null, NO_PROPS, NO_ENV);
        assertThat(o.policy()).isEmpty();
        assertThat(o.mode()).isEmpty();
        assertThat(o.failOpen()).isEmpty();
        assertThat(o.auditFile()).isEmpty();
        assertThat(o.settings()).isEmpty();
        assertThat(o.describe()).isEmpty();
        assertThat(o.warnings()).isEmpty();
        assertThat(resolve("", NO_PROPS, NO_ENV).settings()).isEmpty();
        assertThat(resolve("   ", NO_PROPS, NO_ENV).settings()).isEmpty();
        assertThat(AgentOptions.none().settings()).isEmpty();
    }

    @Test
    void agentArgumentSetsEveryOption() throws Exception {
        AgentOptions o = resolve("policy=/etc/moat.yaml, mode=enforce ,failOpen=TRUE,audit.file=~/audit.jsonl,",
                NO_PROPS, NO_ENV);
        assertThat(o.policy()).contains(Path.of("/etc/moat.yaml"));
        assertThat(o.mode()).contains(Mode.ENFORCE);
        assertThat(o.failOpen()).contains(true);
        assertThat(o.auditFile()).contains(Path.of("/home/ann/audit.jsonl"));
        assertThat(o.describe()).containsExactly(
                "policy=/etc/moat.yaml (agent argument)",
                "mode=enforce (agent argument)",
                "failOpen=true (agent argument)",
                "audit.file=/home/ann/audit.jsonl (agent argument)");
        assertThat(o.setting(AgentOption.MODE).orElseThrow().raw()).isEqualTo("enforce");
        assertThat(o.setting(AgentOption.MODE).orElseThrow().name()).isEqualTo("mode");
    }

    @Test
    void valuesMayContainEqualsSigns() throws Exception {
        assertThat(resolve("policy=/a=b/moat.yaml", NO_PROPS, NO_ENV).policy()).contains(Path.of("/a=b/moat.yaml"));
    }

    @Test
    void precedenceAgentArgumentThenSystemPropertyThenEnvironment() throws Exception {
        Map<String, String> props = Map.of("moat.policy", "/from/prop.yaml", "moat.mode", "monitor", "user.home", "/h");
        Map<String, String> env = Map.of("MOAT_POLICY", "/from/env.yaml", "MOAT_MODE", "enforce",
                "MOAT_FAILOPEN", "true", "MOAT_AUDIT_FILE", "/from/env.jsonl");
        AgentOptions o = resolve("policy=/from/arg.yaml", props, env);
        assertThat(o.policy()).contains(Path.of("/from/arg.yaml"));
        assertThat(o.setting(AgentOption.POLICY).orElseThrow().source()).isEqualTo(OptionSource.AGENT_ARGUMENT);
        assertThat(o.mode()).contains(Mode.MONITOR);
        assertThat(o.setting(AgentOption.MODE).orElseThrow().source()).isEqualTo(OptionSource.SYSTEM_PROPERTY);
        assertThat(o.failOpen()).contains(true);
        assertThat(o.setting(AgentOption.FAIL_OPEN).orElseThrow().source()).isEqualTo(OptionSource.ENVIRONMENT);
        assertThat(o.auditFile()).contains(Path.of("/from/env.jsonl"));
        assertThat(o.describe()).containsExactly(
                "policy=/from/arg.yaml (agent argument)",
                "mode=monitor (system property moat.mode)",
                "failOpen=true (environment variable MOAT_FAILOPEN)",
                "audit.file=/from/env.jsonl (environment variable MOAT_AUDIT_FILE)");
    }

    @Test
    void systemPropertyBeatsEnvironment() throws Exception {
        AgentOptions o = resolve(null, Map.of("moat.failOpen", "false"), Map.of("MOAT_FAILOPEN", "true"));
        assertThat(o.failOpen()).contains(false);
        assertThat(o.setting(AgentOption.FAIL_OPEN).orElseThrow().name()).isEqualTo("moat.failOpen");
    }

    @Test
    void failOpenAnswersToBothEnvironmentSpellings() throws Exception {
        AgentOptions a = resolve(null, NO_PROPS, Map.of("MOAT_FAIL_OPEN", "true"));
        assertThat(a.failOpen()).contains(true);
        assertThat(a.describe()).containsExactly("failOpen=true (environment variable MOAT_FAIL_OPEN)");
        AgentOptions both = resolve(null, NO_PROPS, Map.of("MOAT_FAIL_OPEN", "true", "MOAT_FAILOPEN", "TRUE"));
        assertThat(both.failOpen()).contains(true);
        assertThat(both.setting(AgentOption.FAIL_OPEN).orElseThrow().name()).isEqualTo("MOAT_FAILOPEN");
        assertThatThrownBy(() -> resolve(null, NO_PROPS, Map.of("MOAT_FAIL_OPEN", "true", "MOAT_FAILOPEN", "false")))
                .isInstanceOf(OptionException.class)
                .hasMessage("conflicting values for option failOpen: environment variable MOAT_FAILOPEN=false but"
                        + " MOAT_FAIL_OPEN=true (set only one of MOAT_FAILOPEN, MOAT_FAIL_OPEN)");
    }

    @Test
    void unknownKeyInAgentArgument() {
        OptionException e = catchThrowableOfType(OptionException.class, () -> resolve("polcy=/x.yaml", NO_PROPS, NO_ENV));
        assertThat(e).hasMessage("unknown option 'polcy' in agent argument 'polcy=/x.yaml' (known options: policy, mode,"
                + " failOpen, audit.file); did you mean 'policy'?");
        assertThat(e.key()).isEqualTo("polcy");
        assertThat(e.value()).isEqualTo("/x.yaml");
        assertThat(e.source()).isEqualTo(OptionSource.AGENT_ARGUMENT);
        assertThatThrownBy(() -> resolve("failopen=true", NO_PROPS, NO_ENV))
                .hasMessageEndingWith("did you mean 'failOpen'?");
        assertThatThrownBy(() -> resolve("verbose=true", NO_PROPS, NO_ENV))
                .hasMessage("unknown option 'verbose' in agent argument 'verbose=true' (known options: policy, mode,"
                        + " failOpen, audit.file)");
    }

    @Test
    void malformedPairs() {
        assertThatThrownBy(() -> resolve("/etc/moat.yaml", NO_PROPS, NO_ENV))
                .isInstanceOf(OptionException.class)
                .hasMessage("malformed agent argument '/etc/moat.yaml' (pair 1 of '/etc/moat.yaml'): expected KEY=VALUE,"
                        + " with KEY one of: policy, mode, failOpen, audit.file");
        assertThatThrownBy(() -> resolve("mode=enforce,=x", NO_PROPS, NO_ENV))
                .hasMessageStartingWith("malformed agent argument '=x' (pair 2 of 'mode=enforce,=x'): expected KEY=VALUE");
    }

    @Test
    void duplicateKeyInAgentArgument() {
        assertThatThrownBy(() -> resolve("mode=enforce,mode=monitor", NO_PROPS, NO_ENV))
                .hasMessage("option mode is given twice in the agent argument 'mode=enforce,mode=monitor'");
    }

    @Test
    void badValues() {
        OptionException bool = catchThrowableOfType(OptionException.class,
                () -> resolve(null, Map.of("moat.failOpen", "yes"), NO_ENV));
        assertThat(bool).hasMessage("invalid value 'yes' for option failOpen (system property moat.failOpen):"
                + " expected true or false");
        assertThat(bool.key()).isEqualTo("failOpen");
        assertThat(bool.value()).isEqualTo("yes");
        assertThat(bool.source()).isEqualTo(OptionSource.SYSTEM_PROPERTY);

        assertThatThrownBy(() -> resolve("mode=strict", NO_PROPS, NO_ENV))
                .hasMessage("invalid value 'strict' for option mode (agent argument): expected enforce or monitor");
        assertThatThrownBy(() -> resolve(null, NO_PROPS, Map.of("MOAT_MODE", "audit")))
                .hasMessage("invalid value 'audit' for option mode (environment variable MOAT_MODE): expected enforce or monitor");
        assertThatThrownBy(() -> resolve("policy=", NO_PROPS, NO_ENV))
                .hasMessage("empty value for option policy (agent argument): expected a file path");
        assertThatThrownBy(() -> resolve(null, NO_PROPS, Map.of("MOAT_POLICY", " ")))
                .hasMessage("empty value for option policy (environment variable MOAT_POLICY): expected a file path");
        assertThatThrownBy(() -> resolve("policy=/a\0b", NO_PROPS, NO_ENV))
                .hasMessageStartingWith("invalid value '/a\0b' for option policy (agent argument): expected a file path");
    }

    @Test
    void modeAndBooleansAreCaseInsensitive() throws Exception {
        AgentOptions o = resolve("mode=ENFORCE,failOpen=False", NO_PROPS, NO_ENV);
        assertThat(o.mode()).contains(Mode.ENFORCE);
        assertThat(o.failOpen()).contains(false);
    }

    @Test
    void unknownPrefixedPropertiesAndVariablesAreWarningsNotErrors() throws Exception {
        AgentOptions o = resolve(null, Map.of("moat.polcy", "/x", "java.version", "17"),
                Map.of("MOAT_HOME", "/opt/moat", "PATH", "/bin"));
        assertThat(o.settings()).isEmpty();
        assertThat(o.warnings()).containsExactly(
                "ignored unknown system property moat.polcy (known: moat.policy, moat.mode, moat.failOpen,"
                        + " moat.audit.file); did you mean moat.policy?",
                "ignored unknown environment variable MOAT_HOME (known: MOAT_POLICY, MOAT_MODE, MOAT_FAILOPEN,"
                        + " MOAT_FAIL_OPEN, MOAT_AUDIT_FILE)");
    }

    @Test
    void homeFallsBackToTheEnvironment() throws Exception {
        AgentOptions o = resolve("audit.file=~/a.jsonl", Map.of(), Map.of("HOME", "/home/bob"));
        assertThat(o.auditFile()).contains(Path.of("/home/bob/a.jsonl"));
        assertThat(resolve("policy=rel/moat.yaml", NO_PROPS, NO_ENV).policy()).contains(Path.of("rel/moat.yaml"));
    }

    @Test
    void resolveFromTheRunningJvm() throws Exception {
        assertThat(AgentOptions.resolve("mode=monitor").mode()).contains(Mode.MONITOR);
    }

    @Test
    void settingsAreImmutable() throws Exception {
        AgentOptions o = resolve("mode=monitor", NO_PROPS, NO_ENV);
        assertThatThrownBy(() -> o.settings().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> o.warnings().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> o.describe().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void appliesToPolicies(@TempDir Path dir) throws Exception {
        PolicyEnvironment env = new PolicyEnvironment(Path.of("/home/ann"), dir);
        Path file = dir.resolve("moat.yaml");
        Files.writeString(file, "version: 1\nmode: enforce\naudit:\n  file: /var/log/moat.jsonl\n");

        AgentOptions o = resolve("policy=" + file + ",mode=monitor,failOpen=true,audit.file=/tmp/extra.jsonl",
                NO_PROPS, NO_ENV);
        Policy p = o.loadPolicy(env);
        assertThat(p.source()).isEqualTo(file.toString());
        assertThat(p.mode()).isEqualTo(Mode.MONITOR);
        assertThat(p.failOpen()).isTrue();
        assertThat(p.audit().files()).containsExactly(Path.of("/var/log/moat.jsonl"), Path.of("/tmp/extra.jsonl"));

        Policy noFile = resolve("audit.file=/tmp/a.jsonl", NO_PROPS, NO_ENV).loadPolicy(env);
        assertThat(noFile.isBuiltInDefault()).isTrue();
        assertThat(noFile.mode()).isEqualTo(Mode.MONITOR);
        assertThat(noFile.audit().stderr()).isTrue();
        assertThat(noFile.audit().files()).containsExactly(Path.of("/tmp/a.jsonl"));

        Policy enforced = resolve("mode=enforce", NO_PROPS, NO_ENV).loadPolicy(env);
        assertThat(enforced.isBuiltInDefault()).isTrue();
        assertThat(enforced.mode()).isEqualTo(Mode.ENFORCE);

        assertThatThrownBy(() -> resolve("policy=" + dir.resolve("missing.yaml"), NO_PROPS, NO_ENV).loadPolicy(env))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(dir.resolve("missing.yaml") + ": no such file");
        assertThat(AgentOptions.none().applyTo(p)).isSameAs(p);
    }

    @Test
    void markdownTableComesFromTheDeclarations() {
        String table = AgentOptions.markdownTable();
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(2 + AgentOption.values().length);
        assertThat(lines.get(0)).isEqualTo("| Key (agent argument) | System property | Environment variable | Value | Default | Meaning |");
        assertThat(lines.get(4)).startsWith("| `failOpen` | `-Dmoat.failOpen` | `MOAT_FAILOPEN` or `MOAT_FAIL_OPEN` | true or false |");
        assertThat(lines.get(5)).startsWith("| `audit.file` | `-Dmoat.audit.file` | `MOAT_AUDIT_FILE` | a file path | none |");
        for (AgentOption o : AgentOption.values()) {
            assertThat(table).contains(o.description());
        }
    }

    @Test
    void toStringListsSettings() throws Exception {
        assertThat(resolve("mode=monitor", NO_PROPS, NO_ENV).toString())
                .isEqualTo("AgentOptions[mode=monitor (agent argument)]");
    }
}

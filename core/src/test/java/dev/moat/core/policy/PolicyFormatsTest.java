package dev.moat.core.policy;

import static dev.moat.core.policy.TestPolicies.ENV;
import static dev.moat.core.policy.TestPolicies.FULL_YAML;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** YAML and JSON are the same model. */
class PolicyFormatsTest {

    private static String toJson(String yaml) throws Exception {
        JsonNode tree = new YAMLMapper().readTree(yaml);
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    }

    @Test
    void fullPolicyIsEqualInYamlAndJson() throws Exception {
        String json = toJson(FULL_YAML);
        assertThat(json).startsWith("{");
        Policy fromYaml = PolicyLoader.parse(FULL_YAML, "policy", ENV);
        Policy fromJson = PolicyLoader.parse(json, "policy", ENV);
        assertThat(fromJson).isEqualTo(fromYaml);
    }

    @Test
    void handWrittenJson() throws Exception {
        String json = """
                {
                  "version": 1,
                  "mode": "enforce",
                  "files": { "allow": [ { "path": "/srv/workspace", "access": ["read", "list"] } ], "deny": ["/srv/workspace/.git"] },
                  "network": { "allow": [ { "host": "api.github.com", "ports": [443] } ] },
                  "tools": { "delete_file": { "deny": true }, "get_env": { "recordArguments": false } }
                }
                """;
        String yaml = """
                version: 1
                mode: enforce
                files:
                  allow:
                    - path: /srv/workspace
                      access: [read, list]
                  deny: [/srv/workspace/.git]
                network:
                  allow:
                    - host: api.github.com
                      ports: [443]
                tools:
                  delete_file: { deny: true }
                  get_env:
                    recordArguments: false
                """;
        assertThat(PolicyLoader.parse(json, "p", ENV)).isEqualTo(PolicyLoader.parse(yaml, "p", ENV));
    }

    @Test
    void formatIsChosenByExtensionThenContent() {
        assertThat(TreeReader.detect("a.json", "version: 1")).isEqualTo(TreeReader.Format.JSON);
        assertThat(TreeReader.detect("a.JSON", "")).isEqualTo(TreeReader.Format.JSON);
        assertThat(TreeReader.detect("a.yaml", "{}")).isEqualTo(TreeReader.Format.YAML);
        assertThat(TreeReader.detect("a.yml", "{}")).isEqualTo(TreeReader.Format.YAML);
        assertThat(TreeReader.detect("policy", "  \n{ \"version\": 1 }")).isEqualTo(TreeReader.Format.JSON);
        assertThat(TreeReader.detect("policy.conf", "version: 1")).isEqualTo(TreeReader.Format.YAML);
    }

    @Test
    void jsonExtensionUsesTheJsonParser() {
        assertThatThrownBy(() -> PolicyLoader.parse("version: 1\n", "p.json", ENV))
                .hasMessageStartingWith("p.json:1:")
                .hasMessageContaining("JSON syntax error");
    }

    @Test
    void jsonFlowStyleIsAlsoValidYaml() throws Exception {
        String json = "{\"version\": 1, \"mode\": \"monitor\"}";
        assertThat(PolicyLoader.parse(json, "p.yaml", ENV)).isEqualTo(PolicyLoader.parse(json, "p.yaml", ENV));
        assertThat(PolicyLoader.parse(json, "p.yaml", ENV).mode()).isEqualTo(Mode.MONITOR);
    }

    @Test
    void loadsJsonAndYamlFiles(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("moat.yaml");
        Path json = dir.resolve("moat.json");
        Files.writeString(yaml, FULL_YAML);
        Files.writeString(json, toJson(FULL_YAML));
        Policy a = PolicyLoader.load(yaml, ENV);
        Policy b = PolicyLoader.load(json, ENV);
        assertThat(a.source()).isEqualTo(yaml.toString());
        assertThat(b.source()).isEqualTo(json.toString());
        assertThat(b.files()).isEqualTo(a.files());
        assertThat(b.tools()).isEqualTo(a.tools());
        assertThat(b.network()).isEqualTo(a.network());
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        assertThat(PolicyLoader.parse("\uFEFFversion: 1\n", "bom.yaml", ENV).version()).isEqualTo(1);
    }

    @Test
    void yamlAliasesAreRefusedNotReadAsStrings() {
        assertThatThrownBy(() -> PolicyLoader.parse("""
                version: 1
                tools:
                  a: { args: { path: &pathRule { type: path, maxLength: 10 } } }
                  b: { args: { path: *pathRule } }
                """, "anchors.yaml", ENV))
                .hasMessage("anchors.yaml:4:22: tools.b.args.path: YAML aliases ('*pathRule') are not supported"
                        + " in a policy file: write the value out");
        assertThatThrownBy(() -> PolicyLoader.parse("version: 1\nmode: &m enforce\nfailOpen: *m\n", "s.yaml", ENV))
                .hasMessageStartingWith("s.yaml:3:11: failOpen: YAML aliases ('*m') are not supported");
    }
}

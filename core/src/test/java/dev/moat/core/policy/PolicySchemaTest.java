package dev.moat.core.policy;

import static dev.moat.core.policy.TestPolicies.ENV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Holds moat-policy.schema.json and the parser equal, so they cannot drift apart. */
class PolicySchemaTest {

    private static JsonNode schema;
    private static JsonNode defs;

    /** Where each object shape sits in a policy document: "X" is replaced by an unknown key. */
    private static final Map<String, String> SHAPE_LOCATIONS = new LinkedHashMap<>();

    static {
        SHAPE_LOCATIONS.put("Policy", "version: 1\nX: 1\n");
        SHAPE_LOCATIONS.put("Audit", "version: 1\naudit: { X: 1 }\n");
        SHAPE_LOCATIONS.put("Endpoint", "version: 1\naudit: { syslog: { X: 1 } }\n");
        SHAPE_LOCATIONS.put("Rotation", "version: 1\naudit: { rotation: { X: 1 } }\n");
        SHAPE_LOCATIONS.put("Files", "version: 1\nfiles: { X: 1 }\n");
        SHAPE_LOCATIONS.put("ToolFiles", "version: 1\ntools: { t: { files: { X: 1 } } }\n");
        SHAPE_LOCATIONS.put("FileEntry", "version: 1\nfiles: { allow: [ { X: 1 } ] }\n");
        SHAPE_LOCATIONS.put("Network", "version: 1\nnetwork: { X: 1 }\n");
        SHAPE_LOCATIONS.put("NetworkEntry", "version: 1\nnetwork: { deny: [ { X: 1 } ] }\n");
        SHAPE_LOCATIONS.put("Process", "version: 1\nprocess: { X: 1 }\n");
        SHAPE_LOCATIONS.put("ProcessEntry", "version: 1\nprocess: { allow: [ { X: 1 } ] }\n");
        SHAPE_LOCATIONS.put("NativeLibraries", "version: 1\nnativeLibraries: { X: 1 }\n");
        SHAPE_LOCATIONS.put("Secrets", "version: 1\nsecrets: { X: 1 }\n");
        SHAPE_LOCATIONS.put("Output", "version: 1\noutput: { X: 1 }\n");
        SHAPE_LOCATIONS.put("Tool", "version: 1\ntools: { t: { X: 1 } }\n");
        SHAPE_LOCATIONS.put("ArgRule", "version: 1\ntools: { t: { args: { a: { X: 1 } } } }\n");
    }

    private static final Map<String, Class<? extends PolicyKeyword>> ENUMS = Map.of(
            "Mode", Mode.class,
            "Access", Access.class,
            "Sanitizer", Sanitizer.class,
            "FileScope", FileScope.class,
            "HardcodedSecretAction", HardcodedSecretAction.class,
            "ArgType", ArgType.class);

    @BeforeAll
    static void readSchema() throws Exception {
        try (InputStream in = Policy.class.getResourceAsStream("moat-policy.schema.json")) {
            assertThat(in).as("schema resource").isNotNull();
            schema = new ObjectMapper().readTree(in);
        }
        defs = schema.get("$defs");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> objectDefs() {
        Set<String> names = new TreeSet<>();
        defs.fields().forEachRemaining(e -> {
            if (e.getValue().has("properties")) {
                names.add(e.getKey());
            }
        });
        return names;
    }

    @Test
    void schemaIsDraft202012AndRootIsPolicy() {
        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("$ref").asText()).isEqualTo("#/$defs/Policy");
    }

    @Test
    void everyObjectShapeOfTheSchemaIsAShapeOfTheParserAndBack() {
        assertThat(objectDefs()).isEqualTo(new TreeSet<>(PolicyKeys.shapes().keySet()));
        assertThat(new TreeSet<>(SHAPE_LOCATIONS.keySet())).isEqualTo(new TreeSet<>(PolicyKeys.shapes().keySet()));
    }

    @Test
    void schemaPropertiesEqualTheKeysThePolicyKeysTableDeclares() {
        for (String shape : objectDefs()) {
            JsonNode def = defs.get(shape);
            assertThat(fieldNames(def.get("properties"))).as(shape)
                    .isEqualTo(new TreeSet<>(PolicyKeys.keys(shape)));
            assertThat(def.get("additionalProperties").asBoolean(true)).as(shape + " must forbid unknown keys").isFalse();
        }
    }

    /** Asks the parser itself which keys it accepts at each place, through its unknown-key error. */
    @Test
    void schemaPropertiesEqualTheKeysTheParserAccepts() {
        for (Map.Entry<String, String> e : SHAPE_LOCATIONS.entrySet()) {
            String doc = e.getValue().replace("X", "zzzUnknownKey");
            PolicyException ex = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse(doc, "s.yaml", ENV));
            assertThat(ex).as(e.getKey()).isNotNull();
            assertThat(ex.problem()).as(e.getKey()).startsWith("unknown key 'zzzUnknownKey' (expected one of: ");
            String list = ex.problem().substring(ex.problem().indexOf(": ") + 2, ex.problem().lastIndexOf(')'));
            Set<String> accepted = new TreeSet<>(Arrays.asList(list.split(", ")));
            assertThat(accepted).as(e.getKey()).isEqualTo(fieldNames(defs.get(e.getKey()).get("properties")));
        }
    }

    @Test
    void schemaEnumsEqualTheJavaVocabularies() {
        for (Map.Entry<String, Class<? extends PolicyKeyword>> e : ENUMS.entrySet()) {
            List<String> schemaWords = new ArrayList<>();
            defs.get(e.getKey()).get("enum").forEach(n -> schemaWords.add(n.asText()));
            List<String> javaWords = Arrays.stream(e.getValue().getEnumConstants()).map(PolicyKeyword::keyword).toList();
            assertThat(schemaWords).as(e.getKey()).isEqualTo(javaWords);
        }
    }

    @Test
    void everyReferenceResolvesAndEveryDefinitionIsUsed() {
        Set<String> refs = new HashSet<>();
        collectRefs(schema, refs);
        for (String ref : refs) {
            assertThat(ref).startsWith("#/$defs/");
            assertThat(defs.has(ref.substring("#/$defs/".length()))).as(ref).isTrue();
        }
        Set<String> used = new TreeSet<>();
        refs.forEach(r -> used.add(r.substring("#/$defs/".length())));
        assertThat(used).isEqualTo(fieldNames(defs));
    }

    private static void collectRefs(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }

    @Test
    void requiredKeysMatchWhatTheParserRequires() {
        Map<String, String> requiredDocs = Map.of(
                "Policy", "mode: enforce\n",
                "Endpoint", "version: 1\naudit: { tcp: { port: 1 } }\n",
                "FileEntry", "version: 1\nfiles: { allow: [ { access: [read] } ] }\n",
                "ProcessEntry", "version: 1\nprocess: { allow: [ { args: x } ] }\n",
                "ArgRule", "version: 1\ntools: { t: { args: { a: { maxLength: 1 } } } }\n");
        for (String shape : objectDefs()) {
            JsonNode required = defs.get(shape).get("required");
            if (required == null) {
                assertThat(requiredDocs).as(shape + " has no required keys").doesNotContainKey(shape);
                continue;
            }
            assertThat(requiredDocs).as(shape).containsKey(shape);
            String first = required.get(0).asText();
            PolicyException ex = catchThrowableOfType(PolicyException.class,
                    () -> PolicyLoader.parse(requiredDocs.get(shape), "r.yaml", ENV));
            assertThat(ex).as(shape).isNotNull();
            assertThat(ex.problem()).as(shape).isEqualTo("missing required key '" + first + "'");
        }
    }

    @Test
    void fullPolicyUsesEveryKeyOfEveryShape() throws Exception {
        // The fixture used by the parser tests exercises every documented key.
        JsonNode full = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(TestPolicies.FULL_YAML);
        Set<String> seen = new TreeSet<>();
        collectKeys(full, seen);
        for (String shape : objectDefs()) {
            for (String key : PolicyKeys.keys(shape)) {
                assertThat(seen).as(shape + "." + key).contains(key);
            }
        }
    }

    private static void collectKeys(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                out.add(e.getKey());
                collectKeys(e.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectKeys(n, out));
        }
    }
}

package dev.moat.demo.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a tool's JSON Schema {@code inputSchema}: an object whose properties are all required.
 *
 * <pre>{@code InputSchema.object().string("path", "File to read").build()}</pre>
 */
public final class InputSchema {

    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    private InputSchema() {
    }

    /** Starts an object schema. */
    public static InputSchema object() {
        return new InputSchema();
    }

    /** Adds a required string property. */
    public InputSchema string(String name, String description) {
        return property(name, "string", description);
    }

    /** Adds a required number property. */
    public InputSchema number(String name, String description) {
        return property(name, "number", description);
    }

    private InputSchema property(String name, String type, String description) {
        properties.put(name, Map.of("type", type, "description", description));
        required.add(name);
        return this;
    }

    /** The schema as the map {@code McpSchema.Tool} expects. */
    public Map<String, Object> build() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
        schema.put("required", List.copyOf(required));
        return schema;
    }
}
